/**
 * GPT-NeoX's mmap indexed dataset, the files the trainer reads as `data_path: <prefix>_text_document`:
 * the on-disk layout, a writer for one dataset, a reader and a verifier, kept together so that tests
 * hold each against the others.
 *
 * `.bin`: token ids back to back, little-endian, no header.
 * `.idx`: magic `MMIDIDX\0\0` (9 bytes), u64 version 1, u8 dtype code, u64 N (sequences),
 *         u64 D (doc_idx length), int32 sizes[N], int64 byte pointers[N], int64 doc_idx[D];
 *         little-endian, no padding (the int64 arrays are not 8-byte aligned; numpy reads them anyway).
 * Layout from EleutherAI/gpt-neox megatron/data/indexed_dataset.py (MMapIndexedDataset.Index).
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { requireLittleEndian } from "../io/little-endian.js";
import path from "node:path";
import { temporaryNameFor } from "../io/atomic-file.js";

export type TokenDtype = "uint16" | "int32";
export type TokenArray = Uint16Array | Int32Array;

/** numpy dtype codes as GPT-NeoX numbers them (`indexed_dataset.dtypes`). */
export const DTYPE_CODES: Record<TokenDtype, number> = { uint16: 8, int32: 4 };
export const INDEX_MAGIC = Buffer.from("MMIDIDX\x00\x00", "latin1");
export const INDEX_VERSION = 1;
/** magic 9 + version 8 + dtype 1 + N 8 + D 8. */
export const INDEX_HEADER_BYTES = 34;

/** GPT-NeoX's `__best_fitting_dtype`: uint16 below 65,500 entries (vocabulary with added tokens), else int32. */
export function dtypeForVocabSize(vocabSize: number): TokenDtype {
  return vocabSize < 65500 ? "uint16" : "int32";
}

export function itemSize(dtype: TokenDtype): number {
  return dtype === "uint16" ? 2 : 4;
}

export function dtypeFromCode(code: number): TokenDtype | undefined {
  return code === 8 ? "uint16" : code === 4 ? "int32" : undefined;
}

/** The two files of a dataset path such as `out/ko_text_document`. */
export function datasetFiles(datasetPath: string): { bin: string; idx: string } {
  return { bin: `${datasetPath}.bin`, idx: `${datasetPath}.idx` };
}

/** Size of an `.idx` for N sequences with doc_idx [0..N]. */
export function indexFileBytes(documents: number): number {
  return INDEX_HEADER_BYTES + 4 * documents + 8 * documents + 8 * (documents + 1);
}

// Typed arrays are written and read as raw memory below; that is the file's byte order only on
// little-endian machines (every platform Node ships prebuilt binaries for today).
requireLittleEndian("GPT-NeoX shards (.bin/.idx)");

export function encodeIndexHeader(dtype: TokenDtype, documents: number, docIdxLength: number): Buffer {
  const header = Buffer.alloc(INDEX_HEADER_BYTES);
  INDEX_MAGIC.copy(header, 0);
  header.writeBigUInt64LE(BigInt(INDEX_VERSION), 9);
  header.writeUInt8(DTYPE_CODES[dtype], 17);
  header.writeBigUInt64LE(BigInt(documents), 18);
  header.writeBigUInt64LE(BigInt(docIdxLength), 26);
  return header;
}

const CHUNK = 1 << 16;

/** Little-endian int64 values from exact integers below 2^53, as lo/hi 32-bit halves. */
function int64Chunk(values: (i: number) => number, from: number, to: number): Buffer {
  const words = new Uint32Array(2 * (to - from));
  for (let i = from; i < to; i++) {
    const v = values(i);
    words[2 * (i - from)] = v % 0x1_0000_0000;
    words[2 * (i - from) + 1] = Math.floor(v / 0x1_0000_0000);
  }
  return Buffer.from(words.buffer, words.byteOffset, words.byteLength);
}

/**
 * Writes a complete `.idx` for `sizes` to an open file: pointers are recomputed from the sizes
 * (pointer i = itemsize × tokens before document i) and doc_idx is [0..N], one sequence per document.
 * `sizeChunks` yields the sizes in order; it is iterated twice (sizes, then pointers).
 */
export function writeIndex(fd: number, dtype: TokenDtype, documents: number, sizeChunks: () => Iterable<Int32Array>): void {
  writeSync(fd, encodeIndexHeader(dtype, documents, documents + 1));
  let seen = 0;
  for (const sizes of sizeChunks()) {
    writeSync(fd, sizes);
    seen += sizes.length;
  }
  if (seen !== documents) throw new Error(`index writer: ${seen} sizes for ${documents} documents`);
  const width = itemSize(dtype);
  let address = 0;
  for (const sizes of sizeChunks()) {
    for (let from = 0; from < sizes.length; from += CHUNK) {
      const to = Math.min(sizes.length, from + CHUNK);
      writeSync(fd, int64Chunk((i) => {
        const pointer = address;
        address += sizes[i]! * width;
        return pointer;
      }, from, to));
    }
  }
  for (let from = 0; from <= documents; from += CHUNK) writeSync(fd, int64Chunk((i) => i, from, Math.min(documents + 1, from + CHUNK)));
}

export interface DatasetSummary {
  /** The dataset path the trainer is given (without .bin/.idx). */
  path: string;
  dtype: TokenDtype;
  documents: number;
  tokens: number;
}

/**
 * Streams documents into one dataset. Both files are written under temporary names and renamed
 * into place by `finish` (the `.bin` first, so an `.idx` under its final name always has its data).
 */
export class DatasetWriter {
  readonly path: string;
  readonly dtype: TokenDtype;
  private readonly files: { bin: string; idx: string };
  private readonly binTemp: string;
  private binFd: number;
  private sizes = new Int32Array(1024);
  private count = 0;
  private tokenCount = 0;
  private readonly buffer: Buffer;
  private readonly view: TokenArray;
  private buffered = 0;
  private readonly maxId: number;

  constructor(datasetPath: string, dtype: TokenDtype, bufferTokens = 1 << 20) {
    this.path = datasetPath;
    this.dtype = dtype;
    this.files = datasetFiles(datasetPath);
    mkdirSync(path.dirname(this.files.bin), { recursive: true });
    this.binTemp = temporaryNameFor(this.files.bin);
    this.binFd = openSync(this.binTemp, "w");
    this.buffer = Buffer.alloc(bufferTokens * itemSize(dtype));
    this.view = dtype === "uint16" ? new Uint16Array(this.buffer.buffer, this.buffer.byteOffset, bufferTokens) : new Int32Array(this.buffer.buffer, this.buffer.byteOffset, bufferTokens);
    this.maxId = dtype === "uint16" ? 0xffff : 0x7fffffff;
  }

  get documents(): number {
    return this.count;
  }

  get tokens(): number {
    return this.tokenCount;
  }

  /** Appends one document (one sequence). Ids must fit the dtype; typed arrays of the dtype are copied as they are. */
  append(ids: ArrayLike<number>): void {
    if (this.binFd < 0) throw new Error(`${this.path}: append after finish or abort`);
    const sameType = this.dtype === "uint16" ? ids instanceof Uint16Array : ids instanceof Int32Array;
    if (!sameType) {
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (!Number.isInteger(id) || id < 0 || id > this.maxId) throw new RangeError(`${this.path}: token id ${id} does not fit ${this.dtype}`);
      }
    }
    let from = 0;
    while (from < ids.length) {
      if (this.buffered === this.view.length) this.flush();
      const n = Math.min(ids.length - from, this.view.length - this.buffered);
      const part = from === 0 && n === ids.length ? ids : sliceOf(ids, from, from + n);
      this.view.set(part, this.buffered);
      this.buffered += n;
      from += n;
    }
    if (this.count === this.sizes.length) {
      const grown = new Int32Array(this.sizes.length * 2);
      grown.set(this.sizes);
      this.sizes = grown;
    }
    this.sizes[this.count++] = ids.length;
    this.tokenCount += ids.length;
  }

  private flush(): void {
    if (this.buffered > 0) writeSync(this.binFd, this.buffer, 0, this.buffered * itemSize(this.dtype));
    this.buffered = 0;
  }

  finish(): DatasetSummary {
    this.flush();
    closeSync(this.binFd);
    this.binFd = -1;
    const idxTemp = temporaryNameFor(this.files.idx);
    const idxFd = openSync(idxTemp, "w");
    try {
      const sizes = this.sizes.subarray(0, this.count);
      writeIndex(idxFd, this.dtype, this.count, () => [sizes]);
    } catch (err) {
      closeSync(idxFd);
      rmSync(idxTemp, { force: true });
      rmSync(this.binTemp, { force: true });
      throw err;
    }
    closeSync(idxFd);
    renameSync(this.binTemp, this.files.bin);
    renameSync(idxTemp, this.files.idx);
    return { path: this.path, dtype: this.dtype, documents: this.count, tokens: this.tokenCount };
  }

  /** Removes the temporary file; nothing appears under the final names. */
  abort(): void {
    if (this.binFd >= 0) closeSync(this.binFd);
    this.binFd = -1;
    rmSync(this.binTemp, { force: true });
  }
}

function sliceOf(ids: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  if (ids instanceof Uint16Array || ids instanceof Int32Array) return ids.subarray(from, to);
  return Array.prototype.slice.call(ids, from, to) as number[];
}

/** A structural problem that makes an `.idx` unreadable. */
export class DatasetFormatError extends Error {}

export interface IndexedDataset extends DatasetSummary {
  itemSize: number;
  /** Tokens per document. */
  sizes: Int32Array;
  /** Byte offset of each document in `.bin`. */
  pointers: Float64Array;
  docIdx: Float64Array;
  /** Actual `.bin` size on disk. */
  binBytes: number;
}

function readInt64s(buf: Buffer, offset: number, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const lo = buf.readUInt32LE(offset + 8 * i);
    const hi = buf.readInt32LE(offset + 8 * i + 4);
    out[i] = hi * 0x1_0000_0000 + lo;
  }
  return out;
}

/** Parses an `.idx` file's bytes. Throws DatasetFormatError on a structure the trainer could not read. */
export function parseIndex(buf: Buffer, name = "index"): Omit<IndexedDataset, "path" | "binBytes" | "tokens"> {
  if (buf.length < INDEX_HEADER_BYTES) throw new DatasetFormatError(`${name}: ${buf.length} bytes, shorter than the ${INDEX_HEADER_BYTES}-byte header`);
  if (!buf.subarray(0, 9).equals(INDEX_MAGIC)) throw new DatasetFormatError(`${name}: wrong magic ${JSON.stringify(buf.subarray(0, 9).toString("latin1"))}, expected "MMIDIDX\\0\\0" (not a GPT-NeoX mmap index)`);
  const version = buf.readBigUInt64LE(9);
  if (version !== BigInt(INDEX_VERSION)) throw new DatasetFormatError(`${name}: version ${version}, expected ${INDEX_VERSION}`);
  const code = buf.readUInt8(17);
  const dtype = dtypeFromCode(code);
  if (!dtype) throw new DatasetFormatError(`${name}: dtype code ${code} is not a token dtype (8 = uint16, 4 = int32)`);
  const n = buf.readBigUInt64LE(18);
  const d = buf.readBigUInt64LE(26);
  const expected = BigInt(INDEX_HEADER_BYTES) + 12n * n + 8n * d;
  if (BigInt(buf.length) !== expected) {
    throw new DatasetFormatError(`${name}: ${buf.length} bytes, but the header's ${n} sequences and doc_idx length ${d} need ${expected}`);
  }
  const documents = Number(n);
  const sizes = new Int32Array(documents);
  for (let i = 0; i < documents; i++) sizes[i] = buf.readInt32LE(INDEX_HEADER_BYTES + 4 * i);
  const pointers = readInt64s(buf, INDEX_HEADER_BYTES + 4 * documents, documents);
  const docIdx = readInt64s(buf, INDEX_HEADER_BYTES + 12 * documents, Number(d));
  return { dtype, itemSize: itemSize(dtype), documents, sizes, pointers, docIdx };
}

/** Reads a dataset's index (the `.bin` stays on disk; read documents with `readDocument`). */
export function readIndexedDataset(datasetPath: string): IndexedDataset {
  const files = datasetFiles(datasetPath);
  if (!existsSync(files.idx)) throw new DatasetFormatError(`${files.idx}: no such file (give the dataset path without .bin/.idx, e.g. out/ko_text_document)`);
  if (!existsSync(files.bin)) throw new DatasetFormatError(`${files.bin}: no such file; the dataset needs both .bin and .idx`);
  const fd = openSync(files.idx, "r");
  let buf: Buffer;
  try {
    buf = Buffer.alloc(fstatSync(fd).size);
    let off = 0;
    while (off < buf.length) off += readSync(fd, buf, off, buf.length - off, off);
  } finally {
    closeSync(fd);
  }
  const index = parseIndex(buf, files.idx);
  let tokens = 0;
  for (const s of index.sizes) tokens += s;
  return { ...index, path: datasetPath, tokens, binBytes: statSync(files.bin).size };
}

/** The token ids of document `i`, read from `.bin` at its pointer. */
export function readDocument(dataset: IndexedDataset, i: number): TokenArray {
  if (!Number.isInteger(i) || i < 0 || i >= dataset.documents) throw new RangeError(`document ${i} is out of range; ${dataset.path} has ${dataset.documents} documents (0..${dataset.documents - 1})`);
  const bytes = Buffer.alloc(dataset.sizes[i]! * dataset.itemSize);
  const fd = openSync(datasetFiles(dataset.path).bin, "r");
  try {
    const got = readSync(fd, bytes, 0, bytes.length, dataset.pointers[i]!);
    if (got !== bytes.length) throw new DatasetFormatError(`${dataset.path}.bin: document ${i} runs past the end of the file`);
  } finally {
    closeSync(fd);
  }
  return dataset.dtype === "uint16" ? new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2) : new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

export interface VerifyOptions {
  /** When given, every token id in `.bin` is checked to be below it (reads the whole `.bin`). */
  vocabSize?: number;
}

/**
 * Everything that would make the trainer read wrong data, as one sentence each; empty when the
 * dataset is consistent: header, pointer arithmetic, `.bin` size = sum(sizes) × itemsize, doc_idx = [0..N].
 */
export function verifyIndexedDataset(datasetPath: string, options: VerifyOptions = {}): string[] {
  let ds: IndexedDataset;
  try {
    ds = readIndexedDataset(datasetPath);
  } catch (err) {
    if (err instanceof DatasetFormatError) return [err.message];
    throw err;
  }
  return checkIndexedDataset(ds, options);
}

/** The checks of `verifyIndexedDataset` beyond the structure `readIndexedDataset` already enforces. */
export function checkIndexedDataset(ds: IndexedDataset, options: VerifyOptions = {}): string[] {
  const problems: string[] = [];
  const name = ds.path;
  let address = 0;
  let badPointers = 0;
  let firstBad = -1;
  for (let i = 0; i < ds.documents; i++) {
    const size = ds.sizes[i]!;
    if (size < 0) problems.push(`${name}.idx: document ${i} has negative size ${size}`);
    if (ds.pointers[i] !== address) {
      if (firstBad < 0) firstBad = i;
      badPointers++;
    }
    address += Math.max(0, size) * ds.itemSize;
  }
  if (firstBad >= 0) {
    problems.push(`${name}.idx: ${badPointers} pointer(s) disagree with the sizes, first at document ${firstBad} (pointer ${ds.pointers[firstBad]}, expected ${expectedPointer(ds, firstBad)})`);
  }
  if (ds.binBytes !== address) {
    problems.push(`${name}.bin: ${ds.binBytes} bytes, but sum(sizes) × ${ds.itemSize} = ${address}` + (ds.binBytes < address ? " (truncated?)" : ""));
  }
  const docIdxOk = ds.docIdx.length === ds.documents + 1 && ds.docIdx.every((v, i) => v === i);
  if (!docIdxOk) {
    problems.push(`${name}.idx: doc_idx has ${ds.docIdx.length} entries [${[...ds.docIdx.subarray(0, 4)].join(", ")}${ds.docIdx.length > 4 ? ", …" : ""}], expected [0, 1, …, ${ds.documents}] (one sequence per document)`);
  }
  if (options.vocabSize !== undefined && problems.length === 0) {
    const bad = countIdsOutOfRange(ds, options.vocabSize);
    if (bad > 0) problems.push(`${name}.bin: ${bad} token id(s) are not below the vocabulary size ${options.vocabSize} (tokenized with another tokenizer?)`);
  }
  return problems;
}

function expectedPointer(ds: IndexedDataset, i: number): number {
  let address = 0;
  for (let j = 0; j < i; j++) address += Math.max(0, ds.sizes[j]!) * ds.itemSize;
  return address;
}

function countIdsOutOfRange(ds: IndexedDataset, vocabSize: number): number {
  const fd = openSync(datasetFiles(ds.path).bin, "r");
  const buf = Buffer.alloc(1 << 22);
  let bad = 0;
  try {
    for (let pos = 0; pos < ds.binBytes; ) {
      const got = readSync(fd, buf, 0, Math.min(buf.length, ds.binBytes - pos), pos);
      if (got <= 0) break;
      const ids = ds.dtype === "uint16" ? new Uint16Array(buf.buffer, buf.byteOffset, got >> 1) : new Int32Array(buf.buffer, buf.byteOffset, got >> 2);
      for (const id of ids) if (id < 0 || id >= vocabSize) bad++;
      pos += got;
    }
  } finally {
    closeSync(fd);
  }
  return bad;
}
