/**
 * Files that appear under their final name only when complete: written to a temporary name in the
 * same directory, then renamed, so a killed run never leaves a file that looks finished.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { threadId } from "node:worker_threads";
import { writeErrorFor } from "./write-error.js";

let counter = 0;

/**
 * `.NAME.PID-THREAD-RANDOM.tmp`: worker threads share a pid, and a retried task may run in the same
 * thread as its killed attempt, so pid and counter alone could collide; the random part cannot.
 */
export function temporaryNameFor(finalPath: string): string {
  const unique = `${process.pid}-${threadId}-${++counter}-${randomBytes(4).toString("hex")}`;
  return path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.${unique}.tmp`);
}

/** Whether a file name is one of korpipe's temporary names (left behind only by a killed process). */
export function isTemporaryName(name: string): boolean {
  return /^\..+\.\d+(?:[-.][0-9a-z]+)*\.tmp$/.test(name);
}

export async function writeFileAtomic(finalPath: string, data: string | Uint8Array): Promise<void> {
  const tmp = temporaryNameFor(finalPath);
  try {
    await mkdir(path.dirname(finalPath), { recursive: true });
    await writeFile(tmp, data);
    await rename(tmp, finalPath);
  } catch (err) {
    await rm(tmp, { force: true });
    throw writeErrorFor(finalPath, err);
  }
}

/**
 * A write stream to a temporary file; `commit` ends it and renames it into place, `abort` removes it.
 * Every failure (open, write, close, rename) rejects with a WriteError naming the final path.
 */
export class AtomicWriteStream {
  readonly finalPath: string;
  readonly tempPath: string;
  readonly stream: WriteStream;
  /** Rejects on the stream's first error; never resolves. Race it against anything that waits on the stream. */
  readonly failure: Promise<never>;

  private constructor(finalPath: string) {
    this.finalPath = finalPath;
    this.tempPath = temporaryNameFor(finalPath);
    this.stream = createWriteStream(this.tempPath);
    this.failure = new Promise<never>((_, reject) => this.stream.once("error", (err) => reject(writeErrorFor(finalPath, err))));
    this.failure.catch(() => {}); // surfaced through write/commit, not as an unhandled rejection
  }

  static async open(finalPath: string): Promise<AtomicWriteStream> {
    try {
      await mkdir(path.dirname(finalPath), { recursive: true });
    } catch (err) {
      throw writeErrorFor(finalPath, err);
    }
    const s = new AtomicWriteStream(finalPath);
    try {
      await Promise.race([new Promise((resolve) => s.stream.once("open", resolve)), s.failure]);
    } catch (err) {
      await s.abort();
      throw err;
    }
    return s;
  }

  /** Resolves when the OS buffer has room again (backpressure). */
  async write(chunk: string | Uint8Array): Promise<void> {
    if (!this.stream.write(chunk)) {
      await Promise.race([new Promise<void>((resolve) => this.stream.once("drain", () => resolve())), this.failure]);
    }
  }

  /** Writes the chunks in order as one gathered write (writev); resolves as `write` does. */
  async writeAll(chunks: Uint8Array[]): Promise<void> {
    this.stream.cork();
    for (const c of chunks) this.stream.write(c);
    this.stream.uncork();
    if (this.stream.writableNeedDrain) {
      await Promise.race([new Promise<void>((resolve) => this.stream.once("drain", () => resolve())), this.failure]);
    }
  }

  async commit(): Promise<void> {
    const ended = new Promise<void>((resolve, reject) => this.stream.end((err?: Error | null) => (err ? reject(writeErrorFor(this.finalPath, err)) : resolve())));
    try {
      await Promise.race([ended, this.failure]);
    } catch (err) {
      await this.abort();
      throw err;
    }
    await this.renameIntoPlace();
  }

  /** For a stream that was ended by a pipe (a compressor): wait for it to finish, then rename. */
  async commitEnded(): Promise<void> {
    if (!this.stream.writableFinished) {
      try {
        await Promise.race([new Promise<void>((resolve) => this.stream.once("finish", () => resolve())), this.failure]);
      } catch (err) {
        await this.abort();
        throw err;
      }
    }
    await this.renameIntoPlace();
  }

  private async renameIntoPlace(): Promise<void> {
    try {
      await rename(this.tempPath, this.finalPath);
    } catch (err) {
      await rm(this.tempPath, { force: true });
      throw writeErrorFor(this.finalPath, err);
    }
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await rm(this.tempPath, { force: true }).catch(() => {});
  }
}

/**
 * Removes what killed processes left under temporary names below `dir` (only names of the shape
 * temporaryNameFor makes, and with `namePrefix` only those of outputs starting with it). Call it
 * while holding the directory's lock, so no live writer's file is touched.
 */
export async function removeStaleTemporaryFiles(dir: string, namePrefix = "", recursive = true): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive }).catch(() => []);
  let removed = 0;
  for (const e of entries) {
    if (!e.isFile() || !isTemporaryName(e.name) || !e.name.startsWith(`.${namePrefix}`)) continue;
    await rm(path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name), { force: true });
    removed++;
  }
  return removed;
}
