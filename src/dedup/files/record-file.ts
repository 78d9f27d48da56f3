/**
 * The one on-disk format of dedup's intermediate files: a header naming what the file holds, a
 * body of fixed-size records (or bytes, for a blob), and a trailer with the body's length and
 * xxh64. Files are written under a temporary name and renamed when complete, so a killed run
 * leaves either a whole file or none; a file damaged later (truncated copy, disk error, a file
 * from another run) fails its check with an error that names it.
 *
 *   header  16 bytes  "KPDEDUP1", u32 kind, u32 record bytes (0 = blob)
 *   body    n × record bytes (little-endian u32 words)
 *   trailer 24 bytes  u64 body bytes, u64 xxh64(body, seed 0), "KPDDEND\n"
 *
 * I/O is synchronous on purpose: these phases are batch work where big sequential reads and
 * writes are all that happens, and sync calls keep the merge loops simple and fast.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { requireLittleEndian } from "../../io/little-endian.js";
import path from "node:path";
import { Xxh64 } from "@node-rs/xxhash";
import { temporaryNameFor } from "../../io/atomic-file.js";

export const HEADER_BYTES = 16;
export const TRAILER_BYTES = 24;
const MAGIC = Buffer.from("KPDEDUP1", "latin1");
const END_MAGIC = Buffer.from("KPDDEND\n", "latin1");

requireLittleEndian("korpipe dedup's intermediate files");

/** What a file holds; checked on open so that a file is never read as something else. */
export const FileKind = {
  bandBucket: 1,
  exactBucket: 2,
  signatureTable: 3,
  ids: 4,
  pairs: 5,
  removals: 6,
  spillRun: 7,
  shingleSets: 8,
  documentPlaces: 9,
} as const;
export type FileKind = (typeof FileKind)[keyof typeof FileKind];

const KIND_NAMES: Record<number, string> = Object.fromEntries(Object.entries(FileKind).map(([k, v]) => [v, k]));

/** A damaged or foreign intermediate file. The message names the file and what to do. */
export class DamagedFileError extends Error {
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`${file}: damaged dedup intermediate file (${problem}); delete it, or the whole work directory, and rerun to recompute it`);
    this.file = file;
  }
}

const tempPathFor = temporaryNameFor;

const INITIAL_BUFFER_BYTES = 64 * 1024;

/** Writes a record file (or blob) sequentially; nothing appears under `finalPath` until `commit`. */
export class RecordFileWriter {
  readonly finalPath: string;
  readonly recordBytes: number;
  private readonly tempPath: string;
  private readonly fd: number;
  private readonly hash = new Xxh64(0n);
  private buf: Buffer;
  /** The same memory as `buf`, as words (record files are always whole words). */
  private bufWords: Uint32Array;
  private readonly maxBufferBytes: number;
  private used = 0;
  private bodyBytes = 0;
  private closed = false;
  private readonly durable: boolean;

  /**
   * `durable: true` adds an fsync before the rename. Off by default: a file cut short by a power
   * loss fails its length or checksum check on the next read and is recomputed, and syncing
   * every bucket file costs as much as writing it on some disks.
   */
  constructor(finalPath: string, kind: FileKind, recordBytes: number, options: { bufferBytes?: number; durable?: boolean } = {}) {
    const bufferBytes = options.bufferBytes ?? 1 << 20;
    this.durable = options.durable ?? false;
    if (recordBytes % 4 !== 0) throw new Error(`record size ${recordBytes} is not a multiple of 4`);
    this.finalPath = finalPath;
    this.recordBytes = recordBytes;
    mkdirSync(path.dirname(finalPath), { recursive: true });
    this.tempPath = tempPathFor(finalPath);
    this.fd = openSync(this.tempPath, "w");
    this.maxBufferBytes = Math.max(Math.ceil(bufferBytes / 4) * 4, 4096);
    // The buffer grows up to its size as the file does: a task writes dozens of files, most of
    // them far smaller than the buffer, and allocating every buffer whole (1 MiB each) drew
    // garbage collections of its own.
    const ab = new ArrayBuffer(Math.min(this.maxBufferBytes, INITIAL_BUFFER_BYTES));
    this.buf = Buffer.from(ab);
    this.bufWords = new Uint32Array(ab);
    const header = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(header, 0);
    header.writeUInt32LE(kind, 8);
    header.writeUInt32LE(recordBytes, 12);
    writeSync(this.fd, header);
  }

  get bytesWritten(): number {
    return this.bodyBytes + this.used;
  }

  /** Grows the buffer towards its size to hold `bytes` more; false when it is as large as it gets. */
  private grow(bytes: number): boolean {
    if (this.buf.length >= this.maxBufferBytes) return false;
    const ab = new ArrayBuffer(Math.min(this.maxBufferBytes, Math.max(this.buf.length * 2, Math.ceil((this.used + bytes) / 4) * 4)));
    const buf = Buffer.from(ab);
    buf.set(this.buf.subarray(0, this.used));
    this.buf = buf;
    this.bufWords = new Uint32Array(ab);
    return true;
  }

  private flush(): void {
    if (this.used === 0) return;
    const chunk = this.buf.subarray(0, this.used);
    this.hash.update(chunk);
    let off = 0;
    while (off < this.used) off += writeSync(this.fd, chunk, off, this.used - off);
    this.bodyBytes += this.used;
    this.used = 0;
  }

  /** Appends bytes (whole records for a record file). */
  write(bytes: Uint8Array): void {
    while (bytes.byteLength > this.buf.length - this.used && this.grow(bytes.byteLength));
    if (bytes.byteLength > this.buf.length - this.used) {
      this.flush();
      if (bytes.byteLength > this.buf.length) {
        this.hash.update(bytes);
        let off = 0;
        while (off < bytes.byteLength) off += writeSync(this.fd, bytes, off, bytes.byteLength - off);
        this.bodyBytes += bytes.byteLength;
        return;
      }
    }
    this.buf.set(bytes, this.used);
    this.used += bytes.byteLength;
  }

  /** Appends `count` records of u32 words starting at word `offset` of `words`. */
  writeWords(words: Uint32Array, offset: number, count: number): void {
    const bytes = count * this.recordBytes;
    this.write(new Uint8Array(words.buffer, words.byteOffset + offset * 4, bytes));
  }

  /** Appends `n` words copied into the buffer (for hot loops; a record file stays word-aligned). */
  appendWords(words: ArrayLike<number>, offset: number, n: number): void {
    if (this.used + n * 4 > this.buf.length) {
      this.grow(n * 4);
      if (this.used + n * 4 > this.buf.length) this.flush();
    }
    if (this.used % 4 !== 0) throw new Error("appendWords on a file that is not word-aligned");
    const bw = this.bufWords;
    let at = this.used >> 2;
    for (let i = 0; i < n; i++) bw[at++] = words[offset + i]!;
    this.used = at << 2;
  }

  /** Finishes the file and renames it into place. Returns the body checksum (hex). */
  commit(): { bytes: number; checksum: string } {
    this.flush();
    const digest = this.hash.digest();
    const trailer = Buffer.alloc(TRAILER_BYTES);
    trailer.writeBigUInt64LE(BigInt(this.bodyBytes), 0);
    trailer.writeBigUInt64LE(digest, 8);
    END_MAGIC.copy(trailer, 16);
    writeSync(this.fd, trailer);
    if (this.durable) fsyncSync(this.fd);
    closeSync(this.fd);
    this.closed = true;
    renameSync(this.tempPath, this.finalPath);
    return { bytes: this.bodyBytes, checksum: digest.toString(16).padStart(16, "0") };
  }

  /** Removes the unfinished file. */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
    rmSync(this.tempPath, { force: true });
  }
}

interface OpenedFile {
  fd: number;
  bodyBytes: number;
  checksum: bigint;
}

/** Checks header, size and trailer (not the checksum, which needs a full read). */
function openChecked(file: string, kind: FileKind, recordBytes: number | undefined): OpenedFile & { recordBytes: number } {
  if (!existsSync(file)) throw new DamagedFileError(file, "missing; the phase that writes it did not finish");
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    if (size < HEADER_BYTES + TRAILER_BYTES) throw new DamagedFileError(file, `only ${size} bytes, shorter than header and trailer`);
    const header = Buffer.alloc(HEADER_BYTES);
    readSync(fd, header, 0, HEADER_BYTES, 0);
    if (!header.subarray(0, 8).equals(MAGIC)) throw new DamagedFileError(file, "not a korpipe dedup file (bad header)");
    const k = header.readUInt32LE(8);
    if (k !== kind) throw new DamagedFileError(file, `holds ${KIND_NAMES[k] ?? `kind ${k}`}, expected ${KIND_NAMES[kind]}`);
    const rb = header.readUInt32LE(12);
    if (recordBytes !== undefined && rb !== recordBytes) {
      throw new DamagedFileError(file, `records of ${rb} bytes, expected ${recordBytes}; it was made with other settings`);
    }
    const trailer = Buffer.alloc(TRAILER_BYTES);
    readSync(fd, trailer, 0, TRAILER_BYTES, size - TRAILER_BYTES);
    if (!trailer.subarray(16).equals(END_MAGIC)) throw new DamagedFileError(file, "truncated (no end marker)");
    const bodyBytes = Number(trailer.readBigUInt64LE(0));
    if (bodyBytes !== size - HEADER_BYTES - TRAILER_BYTES) {
      throw new DamagedFileError(file, `length check failed: trailer says ${bodyBytes} body bytes, file has ${size - HEADER_BYTES - TRAILER_BYTES}`);
    }
    if (rb > 0 && bodyBytes % rb !== 0) throw new DamagedFileError(file, `body of ${bodyBytes} bytes is not whole records of ${rb}`);
    return { fd, bodyBytes, checksum: trailer.readBigUInt64LE(8), recordBytes: rb };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * Reads a record file front to back in chunks. The checksum is compared when the last chunk has
 * been read, so a consumer learns of damage before it commits anything built from the file.
 */
export class RecordFileReader {
  readonly file: string;
  readonly recordBytes: number;
  readonly recordWords: number;
  readonly count: number;
  /** The checksum the trailer promises (hex), to compare with a manifest. */
  readonly checksum: string;
  /** The current chunk; records `[0, chunkRecords)` are valid. */
  words: Uint32Array;
  chunkRecords = 0;
  private readonly fd: number;
  private readonly bodyBytes: number;
  private readonly expected: bigint;
  private readonly hash = new Xxh64(0n);
  private readonly bytes: Uint8Array;
  private readPos = 0;
  private closed = false;

  constructor(file: string, kind: FileKind, recordBytes: number, bufferBytes = 1 << 20) {
    const o = openChecked(file, kind, recordBytes);
    this.file = file;
    this.fd = o.fd;
    this.bodyBytes = o.bodyBytes;
    this.expected = o.checksum;
    this.checksum = o.checksum.toString(16).padStart(16, "0");
    this.recordBytes = recordBytes;
    this.recordWords = recordBytes / 4;
    this.count = o.bodyBytes / recordBytes;
    // No larger than the file: most bucket files are a small part of a buffer's size.
    const chunkRecords = Math.max(1, Math.min(Math.floor(bufferBytes / recordBytes), Math.ceil(o.bodyBytes / recordBytes)));
    const ab = new ArrayBuffer(chunkRecords * recordBytes);
    this.bytes = new Uint8Array(ab);
    this.words = new Uint32Array(ab);
  }

  /** Loads the next chunk; false at the end (after the checksum was verified). */
  nextChunk(): boolean {
    if (this.closed) return false;
    const want = Math.min(this.bytes.byteLength, this.bodyBytes - this.readPos);
    if (want === 0) {
      this.finish();
      this.chunkRecords = 0;
      return false;
    }
    let got = 0;
    while (got < want) {
      const n = readSync(this.fd, this.bytes, got, want - got, HEADER_BYTES + this.readPos + got);
      if (n === 0) throw new DamagedFileError(this.file, "shorter than its trailer says");
      got += n;
    }
    this.readPos += want;
    this.hash.update(this.bytes.subarray(0, want));
    this.chunkRecords = want / this.recordBytes;
    return true;
  }

  private finish(): void {
    const actual = this.hash.digest();
    this.close();
    if (actual !== this.expected) throw new DamagedFileError(this.file, "checksum mismatch");
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/** Reads and checks a whole file; for random-access tables that are verified once up front. */
export function verifyRecordFile(file: string, kind: FileKind, recordBytes: number | undefined): { recordBytes: number; bodyBytes: number } {
  const o = openChecked(file, kind, recordBytes);
  try {
    const hash = new Xxh64(0n);
    const buf = Buffer.allocUnsafe(1 << 20);
    let pos = 0;
    while (pos < o.bodyBytes) {
      const want = Math.min(buf.length, o.bodyBytes - pos);
      const n = readSync(o.fd, buf, 0, want, HEADER_BYTES + pos);
      if (n === 0) throw new DamagedFileError(file, "shorter than its trailer says");
      hash.update(buf.subarray(0, n));
      pos += n;
    }
    if (hash.digest() !== o.checksum) throw new DamagedFileError(file, "checksum mismatch");
    return { recordBytes: o.recordBytes, bodyBytes: o.bodyBytes };
  } finally {
    closeSync(o.fd);
  }
}

/**
 * Files this thread has checked in full, by path, with the identity they had then. Tables are
 * opened again by every band merge; reading 100 MB to check them each time would cost more than
 * the merge. A file replaced since (new inode, size or time) is checked again.
 */
const verifiedTables = new Map<string, string>();

function verifyOnce(file: string, kind: FileKind, recordBytes: number | undefined): { recordBytes: number; bodyBytes: number } {
  const s = statSync(file, { throwIfNoEntry: false });
  const identity = s ? `${s.ino}:${s.size}:${s.mtimeMs}:${kind}` : undefined;
  if (identity !== undefined && verifiedTables.get(file) === identity) {
    const o = openChecked(file, kind, recordBytes);
    closeSync(o.fd);
    return { recordBytes: o.recordBytes, bodyBytes: o.bodyBytes };
  }
  const result = verifyRecordFile(file, kind, recordBytes);
  if (identity !== undefined) verifiedTables.set(file, identity);
  return result;
}

/**
 * Random access to a verified file: records by index, or byte ranges of a blob. The whole body is
 * checked when a thread first opens the file; header, length and trailer every time.
 */
export class RecordTable {
  readonly file: string;
  readonly recordBytes: number;
  readonly count: number;
  private readonly fd: number;

  constructor(file: string, kind: FileKind, recordBytes: number | undefined) {
    const { recordBytes: rb, bodyBytes } = verifyOnce(file, kind, recordBytes);
    this.file = file;
    this.recordBytes = rb;
    this.count = rb > 0 ? bodyBytes / rb : bodyBytes;
    this.fd = openSync(file, "r");
  }

  /** Reads `length` body bytes from `offset` into `into` (at 0). */
  readBytes(offset: number, length: number, into: Uint8Array): void {
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, into, got, length - got, HEADER_BYTES + offset + got);
      if (n === 0) throw new DamagedFileError(this.file, "shorter than its trailer says");
      got += n;
    }
  }

  /** Reads record `index` into `into` (at 0). */
  readRecord(index: number, into: Uint8Array): void {
    if (index < 0 || index >= this.count) throw new DamagedFileError(this.file, `record ${index} asked for, file has ${this.count}`);
    this.readBytes(index * this.recordBytes, this.recordBytes, into);
  }

  close(): void {
    closeSync(this.fd);
  }
}
