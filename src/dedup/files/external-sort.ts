/**
 * Sorting bucket records within a memory budget. Records (key words, then the document's
 * ordinal) arrive in input order into one buffer per output file; when the buffers outgrow the
 * budget each is sorted and spilled to disk as a run, and at the end the runs are k-way merged
 * into the final file. Sorting is a stable LSD radix sort on the key, so equal keys stay in
 * input order and the result is the same however the input was split into runs.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { mergeCursors, RecordCursor } from "../merge.js";
import { FileKind, RecordFileReader, RecordFileWriter } from "./record-file.js";
import type { FileCheck } from "./work-dir.js";

/** Order of records `[0, n)` by their first `keyWords` words (stable: ties keep their order). */
export function sortOrder(words: Uint32Array, n: number, stride: number, keyWords: number): Uint32Array {
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n < 2) return order;
  if (n < 512) {
    const arr = Array.from(order);
    arr.sort((a, b) => {
      for (let w = 0; w < keyWords; w++) {
        const x = words[a * stride + w]!;
        const y = words[b * stride + w]!;
        if (x !== y) return x < y ? -1 : 1;
      }
      return a - b;
    });
    order.set(arr);
    return order;
  }
  let tmp = new Uint32Array(n);
  // 16-bit digits halve the passes, but each pass clears and sums a 65,536-entry table: below
  // that many records (a task's bucket usually is) 8-bit digits cost several times less.
  const bits = n < 65536 ? 8 : 16;
  const radix = 1 << bits;
  const mask = radix - 1;
  const shifts = bits === 8 ? [0, 8, 16, 24] : [0, 16];
  const count = new Uint32Array(radix);
  for (let w = keyWords - 1; w >= 0; w--) {
    for (const shift of shifts) {
      count.fill(0);
      for (let i = 0; i < n; i++) count[(words[i * stride + w]! >>> shift) & mask]!++;
      let sum = 0;
      let distinct = 0;
      for (let d = 0; d < radix; d++) {
        const c = count[d]!;
        if (c > 0) distinct++;
        count[d] = sum;
        sum += c;
      }
      if (distinct === 1) continue; // this digit is the same everywhere: the pass would change nothing
      for (let i = 0; i < n; i++) {
        const r = order[i]!;
        tmp[count[(words[r * stride + w]! >>> shift) & mask]!++] = r;
      }
      [order, tmp] = [tmp, order];
    }
  }
  return order;
}

/** One output of a SortedBuckets: a file of sorted records. */
export interface BucketSpec {
  path: string;
  kind: FileKind;
  /** Key words per record; one more word (the ordinal) follows. */
  keyWords: number;
}

class Bucket {
  readonly stride: number;
  words: Uint32Array;
  n = 0;
  runs: string[] = [];

  constructor(readonly spec: BucketSpec) {
    this.stride = spec.keyWords + 1;
    this.words = new Uint32Array(this.stride * 256);
  }

  get bytes(): number {
    return this.words.byteLength;
  }

  get full(): boolean {
    return (this.n + 1) * this.stride > this.words.length;
  }

  /** Bytes that growing the buffer would add. */
  get growthBytes(): number {
    return Math.max(this.stride * 256, this.words.length) * 4;
  }

  grow(): void {
    const next = new Uint32Array(this.words.length + this.growthBytes / 4);
    next.set(this.words);
    this.words = next;
  }

  /** Writes the buffered records, sorted, to `writer`, without copying them all at once. */
  writeSorted(writer: RecordFileWriter): void {
    const order = sortOrder(this.words, this.n, this.stride, this.spec.keyWords);
    const stride = this.stride;
    const chunkRecords = 16384;
    const chunk = new Uint32Array(chunkRecords * stride);
    let k = 0;
    for (let i = 0; i < this.n; i++) {
      const src = order[i]! * stride;
      for (let w = 0; w < stride; w++) chunk[k * stride + w] = this.words[src + w]!;
      if (++k === chunkRecords) {
        writer.writeWords(chunk, 0, k);
        k = 0;
      }
    }
    if (k > 0) writer.writeWords(chunk, 0, k);
  }

  /** Empties the buffer but keeps its memory: it will fill to the same size again. */
  clear(): void {
    this.n = 0;
  }

  release(): void {
    this.n = 0;
    this.words = new Uint32Array(0);
  }
}

/** How many runs are merged at once; more are merged in several passes. */
const MERGE_FAN_IN = 64;

/**
 * Buffers records for several sorted output files of one task, within `budgetBytes` of
 * buffer memory, spilling runs to `spillDir`. The budget is checked when a buffer has to grow:
 * if growing would pass it, everything is spilled instead and the buffers are refilled in place.
 */
export class SortedBuckets {
  private readonly buckets: Bucket[];
  private buffered = 0;
  private runCounter = 0;
  spills = 0;

  constructor(
    specs: BucketSpec[],
    private readonly spillDir: string,
    private readonly budgetBytes: number,
  ) {
    this.buckets = specs.map((s) => new Bucket(s));
    this.buffered = this.buckets.reduce((a, b) => a + b.bytes, 0);
  }

  /** Appends a record with a 2-word key to bucket `b`. Records must come in ordinal order. */
  add2(b: number, k0: number, k1: number, ordinal: number): void {
    const bucket = this.buckets[b]!;
    if (bucket.full) this.makeRoom(bucket);
    const at = bucket.n++ * bucket.stride;
    const w = bucket.words;
    w[at] = k0;
    w[at + 1] = k1;
    w[at + 2] = ordinal;
  }

  /** Appends a record with a 4-word key to bucket `b`. */
  add4(b: number, key: Uint32Array, keyOffset: number, ordinal: number): void {
    const bucket = this.buckets[b]!;
    if (bucket.full) this.makeRoom(bucket);
    const at = bucket.n++ * bucket.stride;
    const w = bucket.words;
    w[at] = key[keyOffset]!;
    w[at + 1] = key[keyOffset + 1]!;
    w[at + 2] = key[keyOffset + 2]!;
    w[at + 3] = key[keyOffset + 3]!;
    w[at + 4] = ordinal;
  }

  /** Grows a full buffer if the budget allows, else spills everything (which empties it). */
  private makeRoom(bucket: Bucket): void {
    const growth = bucket.growthBytes;
    if (this.buffered + growth > this.budgetBytes) {
      this.spill();
      return;
    }
    bucket.grow();
    this.buffered += growth;
  }

  /** Sorts every bucket's buffer and writes it out as a run, freeing the memory. */
  spill(): void {
    this.spills++;
    const run = ++this.runCounter;
    for (const b of this.buckets) {
      if (b.n === 0) continue;
      const file = path.join(this.spillDir, `${path.basename(b.spec.path, ".bin")}.run-${String(run).padStart(5, "0")}.bin`);
      const w = new RecordFileWriter(file, FileKind.spillRun, b.stride * 4);
      try {
        b.writeSorted(w);
        w.commit();
      } catch (err) {
        w.abort();
        throw err;
      }
      b.runs.push(file);
      b.clear();
    }
  }

  /** Writes every final file; returns their checks by path. Spill runs are removed. */
  finish(): Record<string, FileCheck> {
    const out: Record<string, FileCheck> = {};
    const anySpilled = this.buckets.some((b) => b.runs.length > 0);
    if (anySpilled) this.spill(); // every bucket's tail becomes its last run, and the memory is free for merging
    for (const b of this.buckets) {
      const writer = new RecordFileWriter(b.spec.path, b.spec.kind, b.stride * 4);
      try {
        if (b.runs.length === 0) b.writeSorted(writer);
        else this.mergeRuns(b, writer);
        out[b.spec.path] = writer.commit();
      } catch (err) {
        writer.abort();
        throw err;
      }
      b.release();
    }
    if (anySpilled) rmSync(this.spillDir, { recursive: true, force: true });
    return out;
  }

  private mergeRuns(b: Bucket, writer: RecordFileWriter): void {
    let runs = b.runs;
    while (runs.length > MERGE_FAN_IN) {
      const next: string[] = [];
      for (let i = 0; i < runs.length; i += MERGE_FAN_IN) {
        const group = runs.slice(i, i + MERGE_FAN_IN);
        const file = path.join(this.spillDir, `${path.basename(b.spec.path, ".bin")}.run-${String(++this.runCounter).padStart(5, "0")}.bin`);
        const w = new RecordFileWriter(file, FileKind.spillRun, b.stride * 4);
        try {
          this.mergeInto(group, b, w);
          w.commit();
        } catch (err) {
          w.abort();
          throw err;
        }
        for (const r of group) rmSync(r, { force: true });
        next.push(file);
      }
      runs = next;
    }
    this.mergeInto(runs, b, writer);
  }

  private mergeInto(runs: string[], b: Bucket, writer: RecordFileWriter): void {
    const bufferBytes = Math.max(64 * 1024, Math.floor(this.budgetBytes / (runs.length + 1)));
    const cursors = runs.map((file, rank) => new RecordCursor(new RecordFileReader(file, FileKind.spillRun, b.stride * 4, bufferBytes), rank));
    try {
      mergeCursors(cursors, b.spec.keyWords, (c) => writer.appendWords(c.words, c.pos, b.stride));
    } finally {
      for (const c of cursors) c.reader.close();
    }
  }
}
