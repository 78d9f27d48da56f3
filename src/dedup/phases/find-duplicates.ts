/**
 * Phases 1–3 in one process, as `korpipe dedup` and `dedupStage` run them: the input is one
 * task (task 0); signatures and band merges are spread over the worker pool. A cluster runner
 * calls the phase functions itself instead, one task or band per job.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { Document } from "../../types.js";
import { openDedupPool } from "./dedup-pool.js";
import { DEFAULT_THRESHOLD, resolveVerifyMode, type VerifyMode } from "../minhash/lsh-params.js";
import { buildClusters, readClusterSummary, type ClusterSummary } from "./phase-clusters.js";
import { readPairsManifest } from "./phase-pairs.js";
import { writeSignatures } from "./phase-signatures.js";
import { resolveSignatureParams, type SignatureParams } from "../minhash/signature.js";
import { bandsFor, DEFAULT_MEMORY_MB, isTaskDone, readTaskManifest, WorkDir, writeJsonAtomic, type PairsManifest, type TaskManifest } from "../files/work-dir.js";

export interface DedupOptions {
  params?: Partial<SignatureParams>;
  /** How candidates are checked against `threshold` (default "exact", 0.8); see VerifyMode. */
  verify?: VerifyMode | boolean;
  threshold?: number;
  /** Sort and merge buffers, in MiB (default 1024). */
  memoryMb?: number;
  /** Worker threads for signatures and band merges (default 0: everything on this thread). */
  workers?: number;
  /** Called for every document in input order during the signature pass. */
  onDocument?: (doc: Document, ordinal: number) => void;
  /**
   * Reuse the phases a previous run in `workDir` finished, when it saw the same input: a string
   * that identifies the input (file names, sizes, times, read settings). Reused files are checked
   * as they are read, so a damaged one stops the run with its name instead of skewing the result.
   */
  resumeKey?: string;
}

export interface PhaseTimes {
  signatures_s: number;
  pairs_s: number;
  clusters_s: number;
}

export interface FoundDuplicates {
  task: TaskManifest;
  bands: PairsManifest[];
  clusters: ClusterSummary;
  times: PhaseTimes;
  /** Phases taken over from a previous run (with resumeKey). */
  reused: { signatures: boolean; bands: number; clusters: boolean };
}

const INPUT_KEY_FILE = "input.json";

function sameInput(work: WorkDir, key: string): boolean {
  const file = path.join(work.root, INPUT_KEY_FILE);
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { key?: string }).key === key;
  } catch {
    return false;
  }
}

/** Undefined unless `read()` succeeds; a finished phase is only reused when its manifest is sound. */
function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

const seconds = (ms: number) => Math.round(ms / 10) / 100;

/** Runs phases 1–3 over `docs` as task 0 in `workDir`; phase 4 is `removalFilter(workDir, 0)`. */
export async function findDuplicates(docs: AsyncIterable<Document> | Iterable<Document>, workDir: string, options: DedupOptions = {}): Promise<FoundDuplicates> {
  const params = resolveSignatureParams(options.params);
  const memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB;
  const work = new WorkDir(workDir);
  const verify: VerifyMode = params.exactOnly ? "off" : resolveVerifyMode(options.verify, params.shingleSets);
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const pool = openDedupPool(params, options.workers ?? 0);
  const reused = { signatures: false, bands: 0, clusters: false };
  try {
    let t0 = performance.now();
    let task: TaskManifest | undefined;
    if (options.resumeKey !== undefined && isTaskDone(work, 0) && sameInput(work, options.resumeKey)) {
      task = attempt(() => readTaskManifest(work, 0, params));
    }
    if (task) reused.signatures = true;
    else {
      // Only dedup's own files: the directory may hold the caller's (dedupStage keeps its spill there).
      for (const entry of ["tasks", "pairs", "clusters", INPUT_KEY_FILE]) rmSync(path.join(workDir, entry), { recursive: true, force: true });
      if (options.resumeKey !== undefined) writeJsonAtomic(path.join(workDir, INPUT_KEY_FILE), { key: options.resumeKey });
      task = await writeSignatures(0, docs, workDir, { params, memoryMb, pool, onDocument: options.onDocument });
    }
    const signaturesMs = performance.now() - t0;

    t0 = performance.now();
    const perJobMb = memoryMb / pool.threads;
    // Verification is part of what a band's pairs mean, so it is part of what must match to reuse them.
    const bands = await Promise.all(
      bandsFor(params).map(async (band) => {
        if (reused.signatures) {
          const done = attempt(() => readPairsManifest(work, band, params, 1));
          const expected = band === "exact" ? "off" : verify;
          if (done && done.verify === expected && done.threshold === (expected !== "off" ? threshold : undefined)) {
            reused.bands++;
            return done;
          }
        }
        return pool.pairs({ workDir, band, params, tasks: 1, verify, threshold, memoryMb: perJobMb });
      }),
    );
    const pairsMs = performance.now() - t0;

    t0 = performance.now();
    let clusters = reused.bands === bands.length ? attempt(() => readClusterSummary(work, params)) : undefined;
    if (clusters) reused.clusters = true;
    else clusters = buildClusters(workDir, { params, tasks: 1, memoryMb });
    const clustersMs = performance.now() - t0;
    return { task, bands, clusters, reused, times: { signatures_s: seconds(signaturesMs), pairs_s: seconds(pairsMs), clusters_s: seconds(clustersMs) } };
  } finally {
    await pool.close();
  }
}
