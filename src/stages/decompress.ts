/**
 * Raw bytes of an input file, decompressed as a stream so memory does not grow with file size.
 * Node 20's zlib has no zstd, hence zstd-napi (libzstd bindings, built from source on install).
 */
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { pipeline } from "node:stream";
import type { Readable } from "node:stream";
import { DecompressStream } from "zstd-napi";
import type { Compression } from "./formats.js";

const READ_CHUNK = 1 << 20;

/**
 * Opens a file (or a byte range of an uncompressed one) as a stream of decompressed chunks.
 * `onRawBytes` sees the bytes read from disk, for progress against the files' sizes.
 */
export function openDecompressed(
  file: string,
  compression: Compression,
  onRawBytes?: (n: number) => void,
  range?: { start: number; end: number },
): Readable {
  // createReadStream's `end` is inclusive.
  const raw = createReadStream(file, { highWaterMark: READ_CHUNK, ...(range ? { start: range.start, end: range.end - 1 } : {}) });
  if (onRawBytes) raw.on("data", (chunk: Buffer | string) => onRawBytes(chunk.length));
  if (compression === "none") return raw;
  const decoder = compression === "gzip" ? createGunzip({ chunkSize: 256 * 1024 }) : new DecompressStream();
  // pipeline() forwards a read error or a decoder error (truncated or corrupt archive) to the last stream.
  return pipeline(raw, decoder, () => {}) as unknown as Readable;
}
