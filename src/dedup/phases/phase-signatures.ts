/**
 * Phase 1, per task: the signature of every document, in input order, written as a signature
 * table, the documents' ids, and one sorted bucket file per LSH band plus one for exact hashes.
 * A document is known everywhere after this by (task, ordinal): its task number and its place
 * in the task's input, which makes every later phase independent of thread timing.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import type { Document } from "../../types.js";
import { SortedBuckets, type BucketSpec } from "../files/external-sort.js";
import { FileKind, RecordFileWriter } from "../files/record-file.js";
import { SIG_WORDS_BEFORE_MINHASH } from "../minhash/signature-table.js";
import { numPermutations, resolveSignatureParams, Signer, signatureParamsKey, type SignatureBatch, type SignatureParams } from "../minhash/signature.js";
import { DEFAULT_MEMORY_MB, signatureRecordBytes, WorkDir, writeJsonAtomic, type FileCheck, type TaskManifest } from "../files/work-dir.js";

export interface SignatureTaskOptions {
  params?: Partial<SignatureParams>;
  /**
   * Memory for this task's sort buffers, in MiB (default 1024). Half of it buffers bucket
   * records before they spill to disk; the rest covers the batch being signed and merge buffers.
   */
  memoryMb?: number;
  /** Text signed per batch, in UTF-16 units (default 512 Ki). */
  batchChars?: number;
  /** Called for every document after it was counted, in order (e.g. to keep a copy). */
  onDocument?: (doc: Document, ordinal: number) => void;
}

/** Writes task `taskId`'s phase-1 files under `workDir` and returns its manifest (also written as done.json). */
export async function writeSignatures(
  taskId: number,
  docs: AsyncIterable<Document> | Iterable<Document>,
  workDir: string,
  options: SignatureTaskOptions = {},
): Promise<TaskManifest> {
  if (!Number.isInteger(taskId) || taskId < 0) throw new Error(`task id ${taskId}: expected a whole number from 0`);
  const params = resolveSignatureParams(options.params);
  const memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB;
  if (!(memoryMb > 0)) throw new Error(`--memory-mb ${memoryMb}: expected a positive number`);
  const work = new WorkDir(workDir);
  // A rerun of the task starts clean: no manifest means its old files count for nothing.
  rmSync(work.taskDir(taskId), { recursive: true, force: true });

  // A task signs on its own thread: tasks are what spreads the work over the cores.
  const signer = new Signer(params);
  const sink = new TaskSink(work, taskId, params, memoryMb);
  const batchChars = options.batchChars ?? 1 << 19;
  let ids: string[] = [];
  let texts: string[] = [];
  let chars = 0;
  let ordinal = 0;
  const sign = () => {
    if (texts.length > 0) sink.add(ids, signer.signBatch(texts));
    ids = [];
    texts = [];
    chars = 0;
  };
  try {
    for await (const doc of docs) {
      options.onDocument?.(doc, ordinal);
      ordinal++;
      ids.push(doc.id);
      texts.push(doc.text);
      chars += doc.text.length;
      if (chars >= batchChars || texts.length >= 8192) sign();
    }
    sign();
    return sink.finish();
  } catch (err) {
    sink.abort();
    throw err;
  }
}

/** Receives signature batches in order and writes the task's files. */
class TaskSink {
  private readonly K: number;
  private readonly recordBytes: number;
  private readonly sigs: RecordFileWriter;
  private readonly idsFile: RecordFileWriter;
  private readonly setsFile: RecordFileWriter | undefined;
  private setWords = 0;
  private readonly buckets: SortedBuckets;
  private readonly exactBucket: number;
  private idBytes = 0;
  private docs = 0;

  constructor(
    private readonly work: WorkDir,
    private readonly task: number,
    private readonly params: SignatureParams,
    memoryMb: number,
  ) {
    this.K = numPermutations(params);
    this.recordBytes = signatureRecordBytes(params);
    this.sigs = new RecordFileWriter(work.signatures(task), FileKind.signatureTable, this.recordBytes);
    this.idsFile = new RecordFileWriter(work.ids(task), FileKind.ids, 0);
    this.setsFile = params.shingleSets ? new RecordFileWriter(work.shingleSets(task), FileKind.shingleSets, 4) : undefined;
    const specs: BucketSpec[] = [];
    const bands = params.exactOnly ? 0 : params.bands;
    for (let b = 0; b < bands; b++) specs.push({ path: work.bucket(task, b), kind: FileKind.bandBucket, keyWords: 2 });
    specs.push({ path: work.bucket(task, "exact"), kind: FileKind.exactBucket, keyWords: 4 });
    this.exactBucket = bands;
    const budget = Math.floor(memoryMb * 1024 * 1024 * 0.5);
    this.buckets = new SortedBuckets(specs, work.spillDir(task), budget);
  }

  add(ids: string[], batch: SignatureBatch): void {
    const n = batch.count;
    if (ids.length !== n) throw new Error(`signature batch of ${n} for ${ids.length} documents`);
    if (this.docs + n > 0xffffffff) throw new Error(`task ${this.task} has more than 2^32 documents; split the input into more tasks`);
    const K = this.K;
    const bands = this.params.exactOnly ? 0 : this.params.bands;
    const rec = new ArrayBuffer(this.recordBytes * n);
    const w = new Uint32Array(rec);
    const h = new Uint16Array(rec);
    const stride = this.recordBytes / 4;
    const idChunks: Buffer[] = [];
    for (let d = 0; d < n; d++) {
      const ordinal = this.docs + d;
      const idBuf = Buffer.from(ids[d]!, "utf8");
      idChunks.push(idBuf);
      const base = d * stride;
      w[base] = this.idBytes % 2 ** 32;
      w[base + 1] = Math.floor(this.idBytes / 2 ** 32);
      w[base + 2] = idBuf.length;
      this.idBytes += idBuf.length;
      const shingles = batch.shingles[d]!;
      w[base + 3] = shingles;
      for (let i = 0; i < 4; i++) w[base + 4 + i] = batch.exact[4 * d + i]!;
      if (this.setsFile) {
        w[base + 8] = this.setWords % 2 ** 32;
        w[base + 9] = Math.floor(this.setWords / 2 ** 32);
        this.setWords += shingles;
      }
      if (K > 0) h.set(batch.minhash16.subarray(K * d, K * d + K), (base + SIG_WORDS_BEFORE_MINHASH) * 2);
      this.buckets.add4(this.exactBucket, batch.exact, 4 * d, ordinal);
      // A text without words has the all-ones signature; it may only match exactly.
      if (shingles > 0) {
        const keys = batch.bandKeys;
        const kb = 2 * bands * d;
        for (let b = 0; b < bands; b++) this.buckets.add2(b, keys[kb + 2 * b]!, keys[kb + 2 * b + 1]!, ordinal);
      }
    }
    this.sigs.write(new Uint8Array(rec));
    this.idsFile.write(Buffer.concat(idChunks));
    if (this.setsFile) this.setsFile.write(new Uint8Array(batch.sets.buffer, batch.sets.byteOffset, batch.sets.byteLength));
    this.docs += n;
  }

  finish(): TaskManifest {
    const files: Record<string, FileCheck> = {};
    const rel = (p: string) => path.relative(this.work.taskDir(this.task), p);
    files[rel(this.work.signatures(this.task))] = this.sigs.commit();
    files[rel(this.work.ids(this.task))] = this.idsFile.commit();
    if (this.setsFile) files[rel(this.work.shingleSets(this.task))] = this.setsFile.commit();
    for (const [p, check] of Object.entries(this.buckets.finish())) files[rel(p)] = check;
    const spills = this.buckets.spills;
    const manifest: TaskManifest = { task: this.task, docs: this.docs, params: signatureParamsKey(this.params), spills, files };
    writeJsonAtomic(this.work.taskManifest(this.task), manifest);
    return manifest;
  }

  abort(): void {
    this.sigs.abort();
    this.idsFile.abort();
    this.setsFile?.abort();
  }
}
