/**
 * What a run remembers of each input, so that a resumed run notices an input that changed: size
 * and modification time always (an edit that keeps the size still moves the mtime), and with
 * --verify-inputs a hash of the content too (for copies that reset or preserve mtimes).
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Xxh64 } from "@node-rs/xxhash";

export interface InputStamp {
  file: string;
  size: number;
  mtimeMs: number;
  /** xxh64 of the bytes, with --verify-inputs. */
  hash?: string;
}

async function hashFile(file: string): Promise<string> {
  const h = new Xxh64(0n);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest().toString(16).padStart(16, "0");
}

export async function stampInputs(files: string[], verifyContent: boolean): Promise<InputStamp[]> {
  return Promise.all(
    files.map(async (file) => {
      const s = await stat(file);
      return { file, size: s.size, mtimeMs: s.mtimeMs, ...(verifyContent ? { hash: await hashFile(file) } : {}) };
    }),
  );
}

/** Says how `now` differs from `before` in words (first few files), or undefined when they agree. */
export function describeInputChanges(before: InputStamp[] | undefined, now: InputStamp[]): string | undefined {
  if (!before) return undefined;
  const old = new Map(before.map((s) => [s.file, s]));
  const changes: string[] = [];
  for (const s of now) {
    const o = old.get(s.file);
    if (!o) changes.push(`${s.file} is new`);
    else if (o.size !== s.size) changes.push(`${s.file} changed size`);
    else if (o.hash !== undefined && s.hash !== undefined && o.hash !== s.hash) changes.push(`${s.file} changed content`);
    else if (o.mtimeMs !== s.mtimeMs) changes.push(`${s.file} was modified`);
    old.delete(s.file);
  }
  for (const f of old.keys()) changes.push(`${f} is gone`);
  if (changes.length === 0) return undefined;
  return changes.slice(0, 3).join(", ") + (changes.length > 3 ? ` and ${changes.length - 3} more` : "");
}
