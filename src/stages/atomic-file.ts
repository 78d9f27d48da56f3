/**
 * Files that appear under their final name only when complete: written to a temporary name in the
 * same directory, then renamed, so a killed run never leaves a file that looks finished.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

let counter = 0;

export function temporaryNameFor(finalPath: string): string {
  return path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.${process.pid}.${++counter}.tmp`);
}

export async function writeFileAtomic(finalPath: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(finalPath), { recursive: true });
  const tmp = temporaryNameFor(finalPath);
  try {
    await writeFile(tmp, data);
    await rename(tmp, finalPath);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** A write stream to a temporary file; `commit` ends it and renames it into place, `abort` removes it. */
export class AtomicWriteStream {
  readonly finalPath: string;
  readonly tempPath: string;
  readonly stream: WriteStream;
  private readonly failure: Promise<never>;

  private constructor(finalPath: string) {
    this.finalPath = finalPath;
    this.tempPath = temporaryNameFor(finalPath);
    this.stream = createWriteStream(this.tempPath);
    this.failure = new Promise<never>((_, reject) => this.stream.once("error", reject));
    this.failure.catch(() => {}); // surfaced through write/commit, not as an unhandled rejection
  }

  static async open(finalPath: string): Promise<AtomicWriteStream> {
    await mkdir(path.dirname(finalPath), { recursive: true });
    const s = new AtomicWriteStream(finalPath);
    await Promise.race([new Promise((resolve) => s.stream.once("open", resolve)), s.failure]);
    return s;
  }

  /** Resolves when the OS buffer has room again (backpressure). */
  async write(chunk: string | Uint8Array): Promise<void> {
    if (!this.stream.write(chunk)) {
      await Promise.race([new Promise<void>((resolve) => this.stream.once("drain", () => resolve())), this.failure]);
    }
  }

  async commit(): Promise<void> {
    await Promise.race([new Promise<void>((resolve) => this.stream.end(resolve)), this.failure]);
    await rename(this.tempPath, this.finalPath);
  }

  /** For a stream that was ended by a pipe (a compressor): wait for it to finish, then rename. */
  async commitEnded(): Promise<void> {
    if (!this.stream.writableFinished) {
      await Promise.race([new Promise<void>((resolve) => this.stream.once("finish", () => resolve())), this.failure]);
    }
    await rename(this.tempPath, this.finalPath);
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await rm(this.tempPath, { force: true });
  }
}
