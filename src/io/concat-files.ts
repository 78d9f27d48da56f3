/**
 * Joining files into one, committed atomically (temporary name, then rename). Synchronous reads
 * and writes through one reused buffer: joining the slices of a 500 MB output this way took about
 * a quarter of the time of a read stream piped into a write stream (which also touched a fresh
 * megabyte of memory per chunk).
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { temporaryNameFor } from "./atomic-file.js";
import { writeErrorFor } from "./write-error.js";

const BUFFER_BYTES = 4 << 20;

/** Writes `parts` (those that exist, in order) back to back into `target`. */
export function concatFiles(parts: string[], target: string): void {
  const temp = temporaryNameFor(target);
  let out: number | undefined;
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    out = openSync(temp, "w");
  } catch (err) {
    throw writeErrorFor(target, err);
  }
  try {
    const buf = Buffer.allocUnsafe(BUFFER_BYTES);
    for (const part of parts) {
      if (!existsSync(part)) continue;
      const fd = openSync(part, "r");
      try {
        for (let pos = 0; ; ) {
          const n = readSync(fd, buf, 0, buf.length, pos);
          if (n === 0) break;
          pos += n;
          for (let written = 0; written < n; ) {
            try {
              written += writeSync(out, buf, written, n - written);
            } catch (err) {
              throw writeErrorFor(target, err);
            }
          }
        }
      } finally {
        closeSync(fd);
      }
    }
    closeSync(out);
    out = undefined;
    try {
      renameSync(temp, target);
    } catch (err) {
      throw writeErrorFor(target, err);
    }
  } catch (err) {
    if (out !== undefined) closeSync(out);
    rmSync(temp, { force: true });
    throw err;
  }
}
