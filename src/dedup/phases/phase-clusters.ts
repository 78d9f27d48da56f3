/**
 * Phase 3, once: connected components over all candidate pairs (every band and the exact band)
 * with union-find, keeping the first document in input order of each component, and a removal
 * list per task saying which of its documents go and which kept document each duplicates.
 *
 * Documents are numbered globally as task offset + ordinal, and union-find keeps one Int32 per
 * document (parent, or at a root its component's size) in a PagedInt32Array: in memory while
 * 4 bytes per document fit half of --memory-mb, else paged through a file, so the phase stays
 * within --memory-mb however many documents there are. The root of every component is its smallest
 * number, which is the first document in input order, however the pairs arrived.
 */
import { estimateJaccard16 } from "../minhash/minhash.js";
import { FileKind, RecordFileReader, RecordFileWriter } from "../files/record-file.js";
import { readPairsManifest, PAIR_WORDS } from "./phase-pairs.js";
import { SignatureTables } from "../minhash/signature-table.js";
import { numPermutations, resolveSignatureParams, setJaccard, signatureParamsKey, type SignatureParams } from "../minhash/signature.js";
import { histogramBucket, type Histogram } from "../../stats/stage-stats.js";
import { bandsFor, DEFAULT_MEMORY_MB, readJson, readTaskManifest, WorkDir, writeJsonAtomic } from "../files/work-dir.js";
import { PagedInt32Array } from "../files/paged-int32.js";
import { existsSync } from "node:fs";
import path from "node:path";

/** A removal record: ordinal, kept document's task and ordinal, similarity × 1e6, kind (0 exact, 1 near). */
export const REMOVAL_WORDS = 5;
export const KIND_EXACT = 0;
export const KIND_NEAR = 1;

export interface ClusterSummary {
  params: string;
  tasks: number;
  docs: number;
  /** Components with two or more documents. */
  clusters: number;
  removed: number;
  removed_exact: number;
  removed_near: number;
  /** Power-of-two buckets of component size (key = lower bound), components of 2+ only. */
  cluster_size_histogram: Histogram;
  largest_cluster: number;
  /** Removals per task, in task order. */
  removed_per_task: number[];
}

export interface ClusterOptions {
  params?: Partial<SignatureParams>;
  tasks: number;
  /** The union-find gets half of this, in MiB (default 1024); past it, it pages through a file. */
  memoryMb?: number;
}

/**
 * Union-find over a PagedInt32Array whose initial zeros mean "a root of size 1": an entry v > 0
 * is a parent (v - 1), an entry v <= 0 marks a root of a component of 1 - v documents.
 */
class UnionFind {
  constructor(readonly cells: PagedInt32Array) {}

  find(x: number): number {
    for (;;) {
      const v = this.cells.get(x);
      if (v <= 0) return x;
      const p = v - 1;
      const vp = this.cells.get(p);
      if (vp <= 0) return p;
      this.cells.set(x, vp); // path halving: x now points at its grandparent
      x = vp - 1;
    }
  }

  /** Joins the components of a and b under the smaller root. */
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    const lo = ra < rb ? ra : rb;
    const hi = ra < rb ? rb : ra;
    this.cells.set(lo, this.cells.get(lo) + this.cells.get(hi) - 1);
    this.cells.set(hi, lo + 1);
  }

  /** Size of the component whose root is `root`. */
  size(root: number): number {
    return 1 - this.cells.get(root);
  }
}

/** Writes the removal list of every task and clusters/done.json; returns the summary. */
export function buildClusters(workDir: string, options: ClusterOptions): ClusterSummary {
  const params = resolveSignatureParams(options.params);
  const work = new WorkDir(workDir);
  const tasks = options.tasks;
  if (!Number.isInteger(tasks) || tasks < 1) throw new Error(`tasks ${tasks}: expected a positive whole number`);
  const counts = Array.from({ length: tasks }, (_, t) => readTaskManifest(work, t, params).docs);
  const offsets = new Float64Array(tasks + 1);
  for (let t = 0; t < tasks; t++) offsets[t + 1] = offsets[t]! + counts[t]!;
  const total = offsets[tasks]!;
  if (total > 0x7ffffffe) throw new Error(`${total} documents is more than one clustering pass handles (2^31 - 2)`);

  const memoryBytes = (options.memoryMb ?? DEFAULT_MEMORY_MB) * 1024 * 1024;
  const cells = new PagedInt32Array(total, Math.floor(memoryBytes / 2), path.join(work.root, "clusters", `.union-find.${process.pid}.tmp`));
  // Read and write buffers share the other half with the signature tables.
  const bufferBytes = Math.max(64 * 1024, Math.min(1 << 20, Math.floor(memoryBytes / 16)));
  try {
    return clusterAndWrite(work, params, tasks, counts, offsets, new UnionFind(cells), bufferBytes);
  } finally {
    cells.close();
  }
}

function clusterAndWrite(work: WorkDir, params: SignatureParams, tasks: number, counts: number[], offsets: Float64Array, uf: UnionFind, bufferBytes: number): ClusterSummary {
  const total = offsets[tasks]!;
  const globalOf = (task: number, ordinal: number, file: string) => {
    if (task >= tasks || ordinal >= counts[task]!) throw new Error(`${file} names document ${ordinal} of task ${task}, which does not exist; rerun phase 2`);
    return offsets[task]! + ordinal;
  };

  for (const band of bandsFor(params)) {
    readPairsManifest(work, band, params, tasks);
    const file = work.pairs(band);
    const reader = new RecordFileReader(file, FileKind.pairs, PAIR_WORDS * 4, bufferBytes);
    try {
      while (reader.nextChunk()) {
        const w = reader.words;
        const end = reader.chunkRecords * PAIR_WORDS;
        for (let p = 0; p < end; p += PAIR_WORDS) {
          uf.union(globalOf(w[p]!, w[p + 1]!, file), globalOf(w[p + 2]!, w[p + 3]!, file));
        }
      }
    } finally {
      reader.close();
    }
  }

  const K = numPermutations(params);
  // With shingle sets the similarity reported is the sets' exact Jaccard, else the MinHash estimate.
  const useSets = params.shingleSets;
  const tables = new SignatureTables(work, params);
  const exactA = new Uint32Array(4);
  const exactB = new Uint32Array(4);
  const sigA = new Uint16Array(K);
  const sigB = new Uint16Array(K);
  const taskOf = (g: number) => {
    let lo = 0;
    let hi = tasks - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (offsets[mid]! <= g) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const summary: ClusterSummary = {
    params: signatureParamsKey(params),
    tasks,
    docs: total,
    clusters: 0,
    removed: 0,
    removed_exact: 0,
    removed_near: 0,
    cluster_size_histogram: {},
    largest_cluster: 0,
    removed_per_task: [],
  };
  const record = new Uint32Array(REMOVAL_WORDS);
  try {
    for (let t = 0; t < tasks; t++) {
      const out = new RecordFileWriter(work.removals(t), FileKind.removals, REMOVAL_WORDS * 4, { bufferBytes });
      let removedHere = 0;
      try {
        for (let o = 0; o < counts[t]!; o++) {
          const g = offsets[t]! + o;
          const root = uf.find(g);
          if (root === g) {
            const size = uf.size(g);
            if (size > 1) {
              summary.clusters++;
              const key = String(histogramBucket(size));
              summary.cluster_size_histogram[key] = (summary.cluster_size_histogram[key] ?? 0) + 1;
              if (size > summary.largest_cluster) summary.largest_cluster = size;
            }
            continue;
          }
          const rt = taskOf(root);
          const ro = root - offsets[rt]!;
          // With shingle sets nothing of the MinHash is needed: the tables' index serves without whole records.
          if (useSets) {
            tables.exactOf(t, o, exactA);
            tables.exactOf(rt, ro, exactB);
          } else {
            tables.load(t, o).copyExact(exactA);
            if (K > 0) tables.copyMinhash16(sigA);
            tables.load(rt, ro).copyExact(exactB);
            if (K > 0) tables.copyMinhash16(sigB);
          }
          const exact = exactA[0] === exactB[0] && exactA[1] === exactB[1] && exactA[2] === exactB[2] && exactA[3] === exactB[3];
          let similarity = 1;
          if (!exact) similarity = useSets ? setJaccard(tables.shingleSetOf(t, o), tables.shingleSetOf(rt, ro)) : K > 0 ? estimateJaccard16(sigA, 0, sigB, 0, K) : 0;
          record[0] = o;
          record[1] = rt;
          record[2] = ro;
          record[3] = Math.round(similarity * 1e6);
          record[4] = exact ? KIND_EXACT : KIND_NEAR;
          out.appendWords(record, 0, REMOVAL_WORDS);
          removedHere++;
          if (exact) summary.removed_exact++;
          else summary.removed_near++;
        }
        out.commit();
      } catch (err) {
        out.abort();
        throw err;
      }
      summary.removed += removedHere;
      summary.removed_per_task.push(removedHere);
    }
  } finally {
    tables.close();
  }
  writeJsonAtomic(work.clustersManifest(), summary);
  return summary;
}

export function readClusterSummary(work: WorkDir, params: SignatureParams): ClusterSummary {
  const file = work.clustersManifest();
  if (!existsSync(file)) throw new Error(`${file} is missing: clustering (phase 3) has not run`);
  const s = readJson<ClusterSummary>(file);
  if (s.params !== signatureParamsKey(params)) throw new Error(`${file} was made with dedup settings ${s.params}; use a fresh work directory`);
  return s;
}
