/**
 * Phases 1–3 in one process, one after another on this thread, over one stream of documents
 * (task 0), as the library's `dedupStage` runs them. Commands and runs use the engine's phases
 * instead (src/run/phases/dedup-phases.ts), one task or band group per job; this is the same
 * file-based work, only without tasks.
 */
import type { Document } from "../../types.js";
import { DEFAULT_THRESHOLD, resolveVerifyMode, type VerifyMode } from "../minhash/lsh-params.js";
import { buildClusters, type ClusterSummary } from "./phase-clusters.js";
import { findCandidatePairs } from "./phase-pairs.js";
import { writeSignatures } from "./phase-signatures.js";
import { resolveSignatureParams, type SignatureParams } from "../minhash/signature.js";
import { bandsFor, DEFAULT_MEMORY_MB, type PairsManifest, type TaskManifest } from "../files/work-dir.js";

export interface DedupOptions {
  params?: Partial<SignatureParams>;
  /** How candidates are checked against `threshold` (default "exact", 0.8); see VerifyMode. */
  verify?: VerifyMode | boolean;
  threshold?: number;
  /** Sort and merge buffers, in MiB (default 1024). */
  memoryMb?: number;
  /** Called for every document in input order during the signature pass. */
  onDocument?: (doc: Document, ordinal: number) => void;
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
}

const seconds = (ms: number) => Math.round(ms / 10) / 100;

/** Runs phases 1–3 over `docs` as task 0 in `workDir`; phase 4 is `removalFilter(workDir, 0)`. */
export async function findDuplicates(docs: AsyncIterable<Document> | Iterable<Document>, workDir: string, options: DedupOptions = {}): Promise<FoundDuplicates> {
  const params = resolveSignatureParams(options.params);
  const memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB;
  const verify: VerifyMode = params.exactOnly ? "off" : resolveVerifyMode(options.verify, params.shingleSets);
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  let t0 = performance.now();
  const task = await writeSignatures(0, docs, workDir, { params, memoryMb, ...(options.onDocument ? { onDocument: options.onDocument } : {}) });
  const signaturesMs = performance.now() - t0;
  t0 = performance.now();
  const bands = bandsFor(params).map((band) => findCandidatePairs(workDir, band, { params, tasks: 1, verify, threshold, memoryMb }));
  const pairsMs = performance.now() - t0;
  t0 = performance.now();
  const clusters = buildClusters(workDir, { params, tasks: 1, memoryMb });
  const clustersMs = performance.now() - t0;
  return { task, bands, clusters, times: { signatures_s: seconds(signaturesMs), pairs_s: seconds(pairsMs), clusters_s: seconds(clustersMs) } };
}
