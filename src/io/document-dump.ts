/**
 * Documents between the phases of a run: JSONL of the full document (id, text, meta, source),
 * written atomically by one task and read back by the next phase. The writer is synchronous so
 * that it can sit in a callback (dedup's signature pass hands each document over as it goes);
 * tasks run on worker threads, where blocking writes stall nobody else.
 *
 * With compression "zstd" the dump is a series of independent zstd frames, one per flush, which
 * any zstd reader decodes as one stream. Level 3 (DUMP_ZSTD_LEVEL) was measured against level 1
 * and no compression in bench/dump-compression.mjs (see docs/run.md): 0.30x the bytes (level 1:
 * 0.43x) for about 1.7 CPU-seconds more per 100 MB written and read back (level 1: 1.4), a few
 * percent of what the pipeline spends on those 100 MB; the dumps are the largest intermediate.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { compress } from "zstd-napi";
import type { Document } from "../types.js";
import { temporaryNameFor } from "./atomic-file.js";
import { splitLines } from "./lines.js";
import { openDecompressed } from "./decompress.js";

const FLUSH_CHARS = 1 << 19;

export const DUMP_ZSTD_LEVEL = 3;

export type DumpCompression = "none" | "zstd";

export interface DumpOptions {
  compression?: DumpCompression;
  /** zstd level (default DUMP_ZSTD_LEVEL). */
  level?: number;
}

/** The dump's file name for a stem: `prepared/task-00003` → `.jsonl` or `.jsonl.zst`. */
export function dumpFileName(stem: string, compression: DumpCompression): string {
  return `${stem}.jsonl${compression === "zstd" ? ".zst" : ""}`;
}

export class DocumentDumpWriter {
  private readonly temp: string;
  private readonly fd: number;
  private pending: string[] = [];
  private chars = 0;
  private readonly level: number | undefined;
  count = 0;
  /** Bytes written to disk so far. */
  bytes = 0;

  constructor(
    private readonly file: string,
    options: DumpOptions = {},
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.temp = temporaryNameFor(file);
    this.fd = openSync(this.temp, "w");
    this.level = options.compression === "zstd" ? (options.level ?? DUMP_ZSTD_LEVEL) : undefined;
  }

  add(d: Document): void {
    const line = JSON.stringify({ id: d.id, text: d.text, meta: d.meta, source: d.source }) + "\n";
    this.pending.push(line);
    this.chars += line.length;
    this.count++;
    if (this.chars >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.pending.length) {
      const raw = Buffer.from(this.pending.join(""), "utf8");
      const out = this.level === undefined ? raw : compress(raw, { compressionLevel: this.level });
      writeSync(this.fd, out);
      this.bytes += out.length;
    }
    this.pending = [];
    this.chars = 0;
  }

  commit(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.temp, this.file);
  }

  abort(): void {
    closeSync(this.fd);
    rmSync(this.temp, { force: true });
  }
}

class DumpDamagedError extends Error {}

export async function* readDocumentDump(file: string): AsyncGenerator<Document> {
  const bytes = openDecompressed(file, file.endsWith(".zst") ? "zstd" : "none");
  try {
    for await (const line of splitLines(bytes, Number.MAX_SAFE_INTEGER)) {
      if (line.text === undefined) throw new DumpDamagedError(`${file}:${line.no}: damaged intermediate file (invalid UTF-8); rerun with --force`);
      if (line.text === "") continue;
      let doc: Document;
      try {
        doc = JSON.parse(line.text) as Document;
      } catch {
        // JSON.parse's message can quote the line, i.e. document text: say where, never what.
        throw new DumpDamagedError(`${file}:${line.no}: damaged intermediate file (not valid JSON); rerun with --force`);
      }
      yield doc;
    }
  } catch (err) {
    if (err instanceof DumpDamagedError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw err;
    // A decoder error (not zstd, cut short) names no file: name it, and say it is damaged.
    throw new DumpDamagedError(`${file}: damaged intermediate file (${code ?? "cannot be decompressed"}); rerun with --force`);
  }
}
