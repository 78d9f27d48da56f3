/**
 * Dedup inside a run: its signature pass rides along the prepare phase, its pair and cluster
 * phases run between prepare and finalize, and its removal lists filter each task in finalize.
 * All of it lives under OUTPUT/.korpipe/work/dedup, dedup's own file-based layout.
 */
import path from "node:path";
import type { Document, NamedStage } from "../../types.js";
import type { DedupStageConfig } from "../plan/config.js";
import { workDir, type RunPlan } from "../plan/plan.js";
import type { Phase } from "./phases.js";
import { writeSignatures } from "../../dedup/phases/phase-signatures.js";
import { buildClusters } from "../../dedup/phases/phase-clusters.js";
import { removalFilter, type DuplicateRecord } from "../../dedup/phases/phase-filter.js";
import { bandsFor, readTaskManifest, WorkDir, type BandId } from "../../dedup/files/work-dir.js";
import { numPermutations, resolveSignatureParams, signatureParamsKey, type SignatureParams } from "../../dedup/minhash/signature.js";
import { formatShingleSpec, parseShingleSpec } from "../../dedup/minhash/shingles.js";
import { findCandidatePairs, readPairsManifest } from "../../dedup/phases/phase-pairs.js";

export const dedupWorkDir = (plan: RunPlan) => path.join(workDir(plan), "dedup");

export function dedupParams(cfg: DedupStageConfig): SignatureParams {
  return resolveSignatureParams({
    shingle: parseShingleSpec(cfg.shingle),
    exactOnly: cfg.exactOnly,
    // The shingle sets on disk serve only exact verification.
    shingleSets: cfg.verify === "exact",
    ...(cfg.bands !== undefined ? { bands: cfg.bands } : {}),
    ...(cfg.rows !== undefined ? { rows: cfg.rows } : {}),
  });
}

/** Phase 1 for task i: signatures of `docs`, each document also handed to `onDocument` in order. */
export async function writeTaskSignatures(plan: RunPlan, cfg: DedupStageConfig, i: number, docs: AsyncIterable<Document>, onDocument: (d: Document) => void): Promise<void> {
  await writeSignatures(i, docs, dedupWorkDir(plan), { params: dedupParams(cfg), memoryMb: cfg.memoryMb, onDocument });
}

/**
 * How much input one dedup-pairs task should cover at least, counted once per band it merges
 * (merging a band reads every document's bucket record of that band). On Slurm each task costs a
 * scheduling round, which must stay small next to the work: at 300 MB of input, 21 tasks of one
 * band each took under half a second.
 */
export const PAIR_TASK_TARGET_BYTES = 2e9;

/**
 * The bands (LSH bands, then the exact band) of each dedup-pairs task: `bandsPerTask` of them, or
 * by default as many as it takes for a task to cover PAIR_TASK_TARGET_BYTES (20 bands + exact over
 * 300 MB: 3 tasks of 7 bands; over 2 GB or more: one band per task), but never fewer tasks than
 * the run has prepare tasks: those already pay their scheduling, and a run of 4 tasks on 100 MB
 * otherwise merged 20 of its 21 bands in one task on one core while the other cores waited.
 */
export function pairTaskBands(plan: Pick<RunPlan, "totalBytes"> & Partial<Pick<RunPlan, "tasks">>, cfg: DedupStageConfig): BandId[][] {
  const bands = bandsFor(dedupParams(cfg));
  const bySize = Math.max(1, Math.ceil(PAIR_TASK_TARGET_BYTES / Math.max(1, plan.totalBytes)));
  const byTasks = Math.max(1, Math.ceil(bands.length / Math.max(1, plan.tasks?.length ?? 1)));
  const perTask = Math.min(bands.length, cfg.bandsPerTask ?? Math.min(bySize, byTasks));
  const out: BandId[][] = [];
  for (let i = 0; i < bands.length; i += perTask) out.push(bands.slice(i, i + perTask));
  return out;
}

export function dedupPhases(plan: RunPlan, cfg: DedupStageConfig): Phase[] {
  const params = dedupParams(cfg);
  const tasks = plan.tasks.length;
  const groups = pairTaskBands(plan, cfg);
  return [
    {
      name: "dedup-pairs",
      taskCount: () => groups.length,
      async run(_plan, index) {
        for (const band of groups[index]!) {
          findCandidatePairs(dedupWorkDir(plan), band, { params, tasks, verify: cfg.verify, threshold: cfg.threshold, memoryMb: cfg.memoryMb });
        }
        return { stages: [], unreadable: [] };
      },
    },
    {
      name: "dedup-clusters",
      taskCount: () => 1,
      async run() {
        const summary = buildClusters(dedupWorkDir(plan), { params, tasks, memoryMb: cfg.memoryMb });
        return { stages: [], unreadable: [], sections: { dedup: { ...dedupFacts(plan, cfg), ...summary, cluster_sizes: summary.cluster_size_histogram } } };
      },
    },
  ];
}

/** What the report tells about how dedup ran: its settings, the candidates found and checked, sort spills. */
function dedupFacts(plan: RunPlan, cfg: DedupStageConfig): Record<string, unknown> {
  const params = dedupParams(cfg);
  const work = new WorkDir(dedupWorkDir(plan));
  const tasks = plan.tasks.length;
  const pairs = bandsFor(params).map((band) => readPairsManifest(work, band, params, tasks));
  let spills = 0;
  for (let i = 0; i < tasks; i++) spills += readTaskManifest(work, i, params).spills;
  return {
    settings: {
      shingle: formatShingleSpec(params.shingle),
      bands: params.exactOnly ? 0 : params.bands,
      rows: params.exactOnly ? 0 : params.rows,
      permutations: numPermutations(params),
      seed: params.seed,
      exact_only: params.exactOnly,
      verify: params.exactOnly ? "off" : cfg.verify,
      ...(!params.exactOnly && cfg.verify !== "off" ? { threshold: cfg.threshold } : {}),
      memory_mb: cfg.memoryMb,
      key: signatureParamsKey(params),
    },
    candidate_pairs: pairs.reduce((a, b) => a + b.pairs, 0),
    candidates_rejected_by_verify: pairs.reduce((a, b) => a + b.verified_out, 0),
    sort_spills: spills,
  };
}

/** Finalize for task i: drops the task's duplicates, reporting each to `onDuplicate`. */
export function dedupRemovalStage(plan: RunPlan, cfg: DedupStageConfig, i: number, onDuplicate: (r: DuplicateRecord) => void): NamedStage {
  return { name: "dedup", run: removalFilter(dedupWorkDir(plan), i, { params: dedupParams(cfg), onDuplicate: (r) => onDuplicate(r) }) };
}
