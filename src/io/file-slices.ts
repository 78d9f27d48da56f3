/**
 * Cutting a big uncompressed line-based file into slices that start at line starts, so that
 * several tasks can share it. One streaming pass counts lines, so each slice knows the number of
 * its first line (ids and rejects keep naming the file's real line numbers).
 */
import { closeSync, openSync, readSync } from "node:fs";
import type { FileSlice } from "../stages/read.js";

const NEWLINE = 0x0a;
const SCAN_BYTES = 8 << 20;

/** Slices of about size/pieces bytes each; fewer when lines are longer than a slice. */
export async function sliceFile(file: string, size: number, pieces: number): Promise<FileSlice[]> {
  const bounds: { offset: number; line: number }[] = [{ offset: 0, line: 1 }];
  if (pieces > 1 && size > 0) {
    const targets = Array.from({ length: pieces - 1 }, (_, i) => Math.floor(((i + 1) * size) / pieces));
    let t = 0;
    let lines = 0; // newlines seen so far
    // Plain synchronous reads of big blocks: this pass runs before any task can start, and a read
    // stream's 1 MiB chunks through the thread pool took most of a second for 100 MB here.
    const fd = openSync(file, "r");
    try {
      const buf = Buffer.allocUnsafe(SCAN_BYTES);
      let pos = 0; // file offset of the block's first byte
      scan: for (;;) {
        const n = readSync(fd, buf, 0, buf.length, pos);
        if (n === 0) break;
        const block = buf.subarray(0, n);
        for (let i = block.indexOf(NEWLINE); i >= 0; i = block.indexOf(NEWLINE, i + 1)) {
          lines++;
          const at = pos + i;
          if (at < targets[t]!) continue;
          // Cut after the first newline at or past the target; targets it overtook are skipped.
          if (at + 1 < size) bounds.push({ offset: at + 1, line: lines + 1 });
          while (t < targets.length && targets[t]! <= at) t++;
          if (t >= targets.length) break scan;
        }
        pos += n;
      }
    } finally {
      closeSync(fd);
    }
  }
  const slices: FileSlice[] = [];
  for (let i = 0; i < bounds.length; i++) {
    const start = bounds[i]!.offset;
    const end = i + 1 < bounds.length ? bounds[i + 1]!.offset : size;
    if (end > start) slices.push({ file, start, end, firstLine: bounds[i]!.line });
  }
  return slices;
}
