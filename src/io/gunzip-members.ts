/**
 * gzip decoding that reads like `gzip -dc`: every member of a multi-member file, in order, and on
 * damage (trailing garbage, a bad header, a CRC mismatch, a cut-off member) everything decoded
 * before it is kept and the error names the compressed byte offset. Node's Gunzip decodes the
 * members after the first in the same native call and throws away that call's output when it
 * meets garbage, so members are parsed here and their deflate data handed to InflateRaw.
 */
import { createInflateRaw, crc32 } from "node:zlib";

/** Damage in a gzip file; everything before `offset` was decoded and delivered. */
export class GzipDamageError extends Error {
  constructor(
    readonly offset: number,
    problem: string,
  ) {
    super(`${problem} at compressed byte ${offset}; the data before it was read`);
  }
}

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
/** Compressed bytes handed to the inflater at once: bounds the decoded bytes waiting to be read. */
const PIECE = 64 * 1024;

class ByteSource {
  buf: Buffer = Buffer.alloc(0);
  /** File offset of buf[0]. */
  base = 0;
  eof = false;
  private readonly it: AsyncIterator<Buffer>;
  constructor(chunks: AsyncIterable<Buffer>) {
    this.it = chunks[Symbol.asyncIterator]();
  }
  /** Whether at least n bytes are buffered (false at end of input). */
  async fill(n: number): Promise<boolean> {
    while (this.buf.length < n && !this.eof) {
      const r = await this.it.next();
      if (r.done) this.eof = true;
      else this.buf = this.buf.length > 0 ? Buffer.concat([this.buf, r.value]) : r.value;
    }
    return this.buf.length >= n;
  }
  skip(n: number): void {
    this.buf = this.buf.subarray(n);
    this.base += n;
  }
  /** Index of the first zero byte at or after `from`, reading on as needed; -1 at end of input. */
  async zeroAt(from: number): Promise<number> {
    for (;;) {
      const i = this.buf.indexOf(0, from);
      if (i >= 0) return i;
      from = this.buf.length;
      if (!(await this.fill(this.buf.length + 1))) return -1;
    }
  }
  async close(): Promise<void> {
    await this.it.return?.();
  }
}

/** Header length of the member at the start of `src.buf`, or a reason it is not one. */
async function memberHeader(src: ByteSource): Promise<number | string> {
  if (!(await src.fill(10))) return "cut-off gzip header";
  const b = src.buf;
  if (b[0] !== 0x1f || b[1] !== 0x8b) return "not gzip data";
  if (b[2] !== 8) return "unknown gzip compression method";
  const flags = b[3]!;
  let at = 10;
  if (flags & FEXTRA) {
    if (!(await src.fill(at + 2))) return "cut-off gzip header";
    at += 2 + src.buf.readUInt16LE(at);
  }
  for (const f of [FNAME, FCOMMENT]) {
    if (!(flags & f)) continue;
    const z = await src.zeroAt(at);
    if (z < 0) return "cut-off gzip header";
    at = z + 1;
  }
  if (flags & FHCRC) at += 2;
  if (!(await src.fill(at))) return "cut-off gzip header";
  return at;
}

/** Decodes one member's deflate data from the start of `src.buf`, yielding output; leaves `src` after the trailer. */
async function* inflateMember(src: ByteSource): AsyncGenerator<Buffer> {
  const start = src.base;
  const inflater = createInflateRaw({ chunkSize: 256 * 1024 });
  const out: Buffer[] = [];
  let crc = 0;
  let size = 0;
  let ended = false;
  let failure: Error | undefined;
  inflater.on("data", (c: Buffer) => {
    out.push(c);
    crc = crc32(c, crc);
    size += c.length;
  });
  inflater.on("end", () => void (ended = true));
  inflater.on("error", (err: Error) => void (failure = err));
  try {
    let written = 0;
    while (!ended && !failure) {
      if (!(await src.fill(1))) break;
      const piece = src.buf.subarray(0, PIECE);
      await new Promise<void>((resolve) => inflater.write(piece, () => resolve()));
      // 'end' is emitted after the write callback; let it arrive before deciding what was consumed.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const consumed = ended ? inflater.bytesWritten - written : piece.length;
      written += consumed;
      src.skip(consumed);
      while (out.length > 0) yield out.shift()!;
    }
    if (failure) throw new GzipDamageError(start + inflater.bytesWritten, `corrupt deflate data (${failure.message})`);
    if (!ended) throw new GzipDamageError(src.base, "unexpected end of file (cut-off gzip member)");
    if (!(await src.fill(8))) throw new GzipDamageError(src.base, "unexpected end of file (cut-off gzip trailer)");
    const wantCrc = src.buf.readUInt32LE(0);
    const wantSize = src.buf.readUInt32LE(4);
    if (wantCrc !== crc >>> 0 || wantSize !== size % 2 ** 32) throw new GzipDamageError(src.base, "gzip checksum mismatch");
    src.skip(8);
  } finally {
    inflater.destroy();
  }
}

/** The decoded bytes of a gzip file's members, in order. */
export async function* gunzipMembers(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const src = new ByteSource(chunks);
  try {
    for (let member = 0; ; member++) {
      if (!(await src.fill(1))) {
        if (member === 0) throw new GzipDamageError(0, "empty file, no gzip data");
        return;
      }
      // Zero bytes after the last member are padding (tape blocks); gzip -d accepts them too.
      if (member > 0 && src.buf[0] === 0) {
        while (await src.fill(1)) {
          const nonZero = src.buf.findIndex((b) => b !== 0);
          if (nonZero >= 0) throw new GzipDamageError(src.base + nonZero, "trailing data after the gzip members");
          src.skip(src.buf.length);
        }
        return;
      }
      const header = await memberHeader(src);
      if (typeof header === "string") throw new GzipDamageError(src.base, member > 0 && header === "not gzip data" ? "trailing data after the gzip members" : header);
      src.skip(header);
      yield* inflateMember(src);
    }
  } finally {
    await src.close();
  }
}
