/**
 * Raw bytes of an input file, decompressed as a stream so memory does not grow with file size.
 * Node 20's zlib has no zstd, hence zstd-napi (libzstd bindings, built from source on install).
 */
import { createReadStream } from "node:fs";
import { Readable, type Transform } from "node:stream";
import { DecompressStream } from "zstd-napi";
import type { Compression } from "./formats.js";
import { gunzipMembers } from "./gunzip-members.js";

const READ_CHUNK = 1 << 20;
/** Decoded chunks held while the reader is busy, before the decoder is paused. */
const QUEUE_CHUNKS = 8;

/**
 * Opens a file (or a byte range of an uncompressed one) as a stream of decompressed chunks.
 * `onRawBytes` sees the bytes read from disk, for progress against the files' sizes.
 * A damaged archive yields everything decoded before the damage, then fails with an error naming
 * the compressed byte offset, as `gzip -dc` would: gzip members after the first are read too.
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
  if (compression === "gzip") return Readable.from(gunzipMembers(raw), { objectMode: false });
  return Readable.from(decodeUntilDamage(raw, new DecompressStream(), compression), { objectMode: false });
}

/**
 * The decoder's output up to its last good byte. Piping with pipeline() would destroy the output
 * on the first decoder error and drop what was already decoded (a gzip with trailing garbage lost
 * every document), so chunks are queued here and the error is raised only after them.
 */
async function* decodeUntilDamage(raw: Readable, decoder: Transform, compression: Compression): AsyncGenerator<Buffer> {
  const queue: Buffer[] = [];
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let rawBytes = 0;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const fail = (err: Error, offset: number | undefined) => {
    failure ??= offset === undefined ? err : new Error(`${err.message} at compressed byte ${offset} (${compression}); what came before it was read`);
    ended = true;
    notify();
  };
  raw.on("data", (c: Buffer) => void (rawBytes += c.length));
  decoder.on("data", (chunk: Buffer) => {
    queue.push(chunk);
    if (queue.length >= QUEUE_CHUNKS) decoder.pause();
    notify();
  });
  decoder.on("end", () => {
    ended = true;
    notify();
  });
  // zstd-napi does not count the input it consumed: the offset is where reading had got to.
  decoder.on("error", (err: Error) => fail(err, rawBytes));
  raw.on("error", (err: Error) => fail(err, undefined));
  raw.pipe(decoder);
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk) {
        if (queue.length < QUEUE_CHUNKS / 2 && decoder.isPaused()) decoder.resume();
        yield chunk;
        continue;
      }
      if (ended) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    if (failure) throw failure;
  } finally {
    raw.destroy();
    decoder.destroy();
  }
}
