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
import { FileKind, RecordTable } from "../files/record-file.js";
import { numPermutations, toSortedSet, type SignatureParams } from "./signature.js";
import { signatureRecordBytes, type WorkDir } from "../files/work-dir.js";

export const SIG_WORDS_BEFORE_MINHASH = 10;

export class SignatureTables {
  readonly numPerm: number;
  private readonly recordBytes: number;
  private readonly sigs = new Map<number, RecordTable>();
  private readonly ids = new Map<number, RecordTable>();
  private readonly sets = new Map<number, RecordTable>();
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

  private table(task: number): RecordTable {
    let t = this.sigs.get(task);
    if (!t) {
      t = new RecordTable(this.work.signatures(task), FileKind.signatureTable, this.recordBytes);
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

  /** The loaded record's distinct shingle hashes, sorted (a fresh array; needs shingle sets). */
  shingleSet(task: number): Int32Array {
    let sets = this.sets.get(task);
    if (!sets) {
      sets = new RecordTable(this.work.shingleSets(task), FileKind.shingleSets, 4);
      this.sets.set(task, sets);
    }
    const count = this.recordWords[3]!;
    const offset = this.recordWords[8]! + this.recordWords[9]! * 2 ** 32;
    const out = new Int32Array(count);
    if (count > 0) sets.readBytes(offset * 4, count * 4, new Uint8Array(out.buffer));
    return toSortedSet(out);
  }

  /** The id of (task, ordinal). */
  id(task: number, ordinal: number): string {
    this.load(task, ordinal);
    const offset = this.recordWords[0]! + this.recordWords[1]! * 2 ** 32;
    const length = this.recordWords[2]!;
    let ids = this.ids.get(task);
    if (!ids) {
      ids = new RecordTable(this.work.ids(task), FileKind.ids, 0);
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
  }
}
