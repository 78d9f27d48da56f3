/**
 * Random access to what phase 1 recorded per document (signature table and ids), for the phases
 * that need a document's MinHash, exact hash or id by (task, ordinal): verification of candidate
 * pairs, similarity estimates of removals, ids in duplicates.jsonl. Each task's files are
 * opened on first use and checked in full once.
 *
 * A signature-table record: u32 id byte offset (low, high), u32 id byte length, u32 shingle
 * count, 4 × u32 exact hash, u32 shingle-set offset in words (low, high), then the low 16 bits
 * of each MinHash value (padded to a word).
 */
import { statSync } from "node:fs";
import { DamagedFileError, FileKind, RecordFileReader, RecordTable } from "../files/record-file.js";
import { numPermutations, toSortedSet, type SignatureParams } from "./signature.js";
import { signatureRecordBytes, type WorkDir } from "../files/work-dir.js";

export const SIG_WORDS_BEFORE_MINHASH = 10;

/** Tables kept whole in memory per thread, together: bounded memory for any corpus. */
const WHOLE_TABLES_BUDGET_BYTES = 256 * 1024 * 1024;
/** A random read costs about a page of the kernel's work: past a quarter of the table in pages, reading it whole is cheaper. */
const PAGE_BYTES = 4096;

/**
 * Tables this thread read whole, by path, with the identity the file had then. The bands of a
 * pairs task each open the same tables again; a file replaced since is read again.
 */
const wholeTables = new Map<string, { identity: string; body: Buffer }>();
let wholeBytes = 0;

function fileIdentity(file: string): string | undefined {
  const s = statSync(file, { throwIfNoEntry: false });
  return s ? `${s.ino}:${s.size}:${s.mtimeMs}` : undefined;
}

function keepWhole(file: string, identity: string, body: Buffer): void {
  if (body.length > WHOLE_TABLES_BUDGET_BYTES) return;
  // Oldest first: a pairs task's bands use the same few tables, so the recent ones matter.
  for (const [f, t] of wholeTables) {
    if (wholeBytes + body.length <= WHOLE_TABLES_BUDGET_BYTES) break;
    wholeTables.delete(f);
    wholeBytes -= t.body.length;
  }
  wholeTables.set(file, { identity, body });
  wholeBytes += body.length;
}

/**
 * Per signature table, what later phases look up of each document without its MinHash: id offset
 * (low, high) and length, shingle count, set offset (low, high), exact hash (4 words). By path,
 * with the file's identity.
 */
const recordIndexes = new Map<string, { identity: string; index: Uint32Array }>();
let recordIndexBytes = 0;
const INDEX_WORDS = 10;
const RECORD_INDEX_BUDGET_BYTES = 64 * 1024 * 1024;

/**
 * Sorted shingle sets this thread made, by table and offset: a document that is a near duplicate
 * is verified in nearly every band, and sorting its set each time was most of the verification.
 */
const sortedSets = new Map<string, Map<number, Int32Array>>();
let sortedSetBytes = 0;
const SORTED_SETS_BUDGET_BYTES = 64 * 1024 * 1024;

/** The sorted sets kept for one shingle-set table (by its key), by offset: looked up once per reader, not per set. */
function sortedSetsOf(tableKey: string): Map<number, Int32Array> {
  let sets = sortedSets.get(tableKey);
  if (!sets) {
    sets = new Map();
    sortedSets.set(tableKey, sets);
  }
  return sets;
}

function keepSortedSet(into: Map<number, Int32Array>, offset: number, set: Int32Array): void {
  if (sortedSetBytes + set.byteLength > SORTED_SETS_BUDGET_BYTES) {
    for (const m of sortedSets.values()) m.clear();
    sortedSetBytes = 0;
  }
  into.set(offset, set);
  sortedSetBytes += set.byteLength;
}

/**
 * A table read at random, or whole once the lookups have paid for it. Verifying candidate pairs
 * reads a document's record and shingle set in every band it shares with another: on a corpus
 * with many near duplicates, tens of thousands of small reads, a system call each (most of the
 * pairs phase's time on bench/pipeline.mjs's corpus). Reads come from a file verified in full
 * when the thread first opened it.
 */
class LookupTable {
  private reads = 0;
  private body: Buffer | undefined;
  private readonly identity: string | undefined;
  /** The file and its identity: names what was read from it in this thread's caches. */
  readonly key: string | undefined;
  /** This thread's sorted sets made from this file, by offset (for a shingle-set table). */
  readonly sortedSets: Map<number, Int32Array> | undefined;

  constructor(readonly table: RecordTable) {
    this.identity = fileIdentity(table.file);
    this.key = this.identity === undefined ? undefined : `${table.file}\0${this.identity}`;
    this.sortedSets = this.key === undefined ? undefined : sortedSetsOf(this.key);
    const kept = wholeTables.get(table.file);
    if (kept && kept.identity === this.identity && kept.body.length === this.bodyBytes) this.body = kept.body;
  }

  private get bodyBytes(): number {
    return this.table.recordBytes > 0 ? this.table.count * this.table.recordBytes : this.table.count;
  }

  readBytes(offset: number, length: number, into: Uint8Array): void {
    if (!this.body && this.identity !== undefined && ++this.reads * PAGE_BYTES >= this.bodyBytes / 4 && this.bodyBytes <= WHOLE_TABLES_BUDGET_BYTES) {
      const body = Buffer.allocUnsafe(this.bodyBytes);
      this.table.readBytes(0, this.bodyBytes, body);
      keepWhole(this.table.file, this.identity, body);
      this.body = body;
    }
    if (this.body) into.set(this.body.subarray(offset, offset + length));
    else this.table.readBytes(offset, length, into);
  }

  readRecord(index: number, into: Uint8Array): void {
    // Out-of-range indexes are the file's error to report.
    if (!(index >= 0 && index < this.table.count)) this.table.readRecord(index, into);
    this.readBytes(index * this.table.recordBytes, this.table.recordBytes, into);
  }

  close(): void {
    this.body = undefined;
    this.table.close();
  }
}

export class SignatureTables {
  readonly numPerm: number;
  private readonly recordBytes: number;
  private readonly sigs = new Map<number, LookupTable>();
  private readonly ids = new Map<number, LookupTable>();
  private readonly sets = new Map<number, LookupTable>();
  /** This reader's view of the thread's record indexes (null: the table was too big for one). */
  private readonly recordIndexes = new Map<number, Uint32Array | null>();
  private readonly record: Uint8Array;
  private readonly recordWords: Uint32Array;
  private idBuf = new Uint8Array(256);

  constructor(
    private readonly work: WorkDir,
    params: SignatureParams,
  ) {
    this.numPerm = numPermutations(params);
    this.recordBytes = signatureRecordBytes(params);
    const ab = new ArrayBuffer(this.recordBytes);
    this.record = new Uint8Array(ab);
    this.recordWords = new Uint32Array(ab);
  }

  private table(task: number): LookupTable {
    let t = this.sigs.get(task);
    if (!t) {
      t = new LookupTable(new RecordTable(this.work.signatures(task), FileKind.signatureTable, this.recordBytes));
      this.sigs.set(task, t);
    }
    return t;
  }

  /** Loads the record of (task, ordinal); the accessors below read from it. */
  load(task: number, ordinal: number): this {
    this.table(task).readRecord(ordinal, this.record);
    return this;
  }

  /** Copies the loaded record's MinHash (low 16 bits) into `into` at `offset`. */
  copyMinhash16(into: Uint16Array, offset = 0): void {
    const view = new Uint16Array(this.record.buffer, SIG_WORDS_BEFORE_MINHASH * 4, this.numPerm);
    into.set(view, offset);
  }

  /** Copies the loaded record's exact hash (4 words) into `into` at `offset`. */
  copyExact(into: Uint32Array, offset = 0): void {
    into.set(this.recordWords.subarray(4, 8), offset);
  }

  shingleCount(): number {
    return this.recordWords[3]!;
  }

  /** The loaded record's distinct shingle hashes, sorted (shared: read it, never change it; needs shingle sets). */
  shingleSet(task: number): Int32Array {
    return this.setAt(task, this.recordWords[3]!, this.recordWords[8]! + this.recordWords[9]! * 2 ** 32);
  }

  /**
   * shingleSet of (task, ordinal) without loading its record: from an index of every document's
   * shingle count and set offset, built once per thread from one sequential read of the table.
   * Verification needs only those two numbers of a record; loading whole 360-byte records for
   * them made a 500 MB corpus's tables outgrow the whole-table budget and be read again and again.
   */
  shingleSetOf(task: number, ordinal: number): Int32Array {
    const index = this.indexOf(task, ordinal);
    if (!index) return this.load(task, ordinal).shingleSet(task);
    const k = ordinal * INDEX_WORDS;
    return this.setAt(task, index[k + 3]!, index[k + 4]! + index[k + 5]! * 2 ** 32);
  }

  /** Copies the exact hash (4 words) of (task, ordinal) into `into` at `offset`, from the index when there is one. */
  exactOf(task: number, ordinal: number, into: Uint32Array, offset = 0): void {
    const index = this.indexOf(task, ordinal);
    if (!index) return this.load(task, ordinal).copyExact(into, offset);
    const k = ordinal * INDEX_WORDS + 6;
    for (let e = 0; e < 4; e++) into[offset + e] = index[k + e]!;
  }

  /** The task's record index when it fits the budget, with `ordinal` checked against it. */
  private indexOf(task: number, ordinal: number): Uint32Array | undefined {
    let index = this.recordIndexes.get(task);
    if (index === undefined) {
      index = this.recordIndex(task) ?? null;
      this.recordIndexes.set(task, index);
    }
    if (!index) return undefined;
    if (!(ordinal >= 0 && ordinal * INDEX_WORDS < index.length)) throw new DamagedFileError(this.work.signatures(task), `record ${ordinal} asked for, file has ${index.length / INDEX_WORDS}`);
    return index;
  }

  private recordIndex(task: number): Uint32Array | undefined {
    const file = this.work.signatures(task);
    const identity = fileIdentity(file);
    if (identity === undefined) return undefined; // the table's own open reports the missing file
    const known = recordIndexes.get(file);
    if (known && known.identity === identity) return known.index;
    const reader = new RecordFileReader(file, FileKind.signatureTable, this.recordBytes);
    if (reader.count * INDEX_WORDS * 4 > RECORD_INDEX_BUDGET_BYTES) {
      reader.close();
      return undefined;
    }
    const index = new Uint32Array(reader.count * INDEX_WORDS);
    const words = reader.recordWords;
    let at = 0;
    try {
      while (reader.nextChunk()) {
        const w = reader.words;
        for (let r = 0, base = 0; r < reader.chunkRecords; r++, base += words) {
          index[at++] = w[base]!;
          index[at++] = w[base + 1]!;
          index[at++] = w[base + 2]!;
          index[at++] = w[base + 3]!;
          index[at++] = w[base + 8]!;
          index[at++] = w[base + 9]!;
          for (let e = 4; e < 8; e++) index[at++] = w[base + e]!;
        }
      }
    } finally {
      reader.close();
    }
    recordIndexBytes += index.byteLength;
    if (recordIndexBytes > RECORD_INDEX_BUDGET_BYTES) {
      recordIndexes.clear();
      recordIndexBytes = index.byteLength;
    }
    recordIndexes.set(file, { identity, index });
    return index;
  }

  private setAt(task: number, count: number, offset: number): Int32Array {
    let sets = this.sets.get(task);
    if (!sets) {
      sets = new LookupTable(new RecordTable(this.work.shingleSets(task), FileKind.shingleSets, 4));
      this.sets.set(task, sets);
    }
    const cache = sets.sortedSets;
    const known = cache?.get(offset);
    if (known) return known;
    const out = new Int32Array(count);
    if (count > 0) sets.readBytes(offset * 4, count * 4, new Uint8Array(out.buffer));
    const set = toSortedSet(out);
    if (cache) keepSortedSet(cache, offset, set);
    return set;
  }

  /** The id of (task, ordinal). */
  id(task: number, ordinal: number): string {
    const index = this.indexOf(task, ordinal);
    let offset: number;
    let length: number;
    if (index) {
      const k = ordinal * INDEX_WORDS;
      offset = index[k]! + index[k + 1]! * 2 ** 32;
      length = index[k + 2]!;
    } else {
      this.load(task, ordinal);
      offset = this.recordWords[0]! + this.recordWords[1]! * 2 ** 32;
      length = this.recordWords[2]!;
    }
    let ids = this.ids.get(task);
    if (!ids) {
      ids = new LookupTable(new RecordTable(this.work.ids(task), FileKind.ids, 0));
      this.ids.set(task, ids);
    }
    if (this.idBuf.length < length) this.idBuf = new Uint8Array(Math.max(length, this.idBuf.length * 2));
    ids.readBytes(offset, length, this.idBuf);
    return Buffer.from(this.idBuf.buffer, 0, length).toString("utf8");
  }

  close(): void {
    for (const t of this.sigs.values()) t.close();
    for (const t of this.ids.values()) t.close();
    for (const t of this.sets.values()) t.close();
    this.sigs.clear();
    this.ids.clear();
    this.sets.clear();
    this.recordIndexes.clear();
  }
}
