/**
 * Dedup inside a run: its signature pass rides along the prepare phase, its pair and cluster
 * phases run between prepare and finalize, and its removal lists filter each task in finalize.
 * All of it lives under OUTPUT/.korpipe/work/dedup, dedup's own file-based layout.
 */
import path from "node:path";
import type { Document, NamedStage } from "../types.js";
import type { DedupStageConfig } from "./config.js";
import { workDir, type RunPlan } from "./plan.js";
import type { Phase } from "./phases.js";
import { writeSignatures } from "../dedup/phase-signatures.js";
import { findCandidatePairs } from "../dedup/phase-pairs.js";
import { buildClusters } from "../dedup/phase-clusters.js";
import { removalFilter, type DuplicateRecord } from "../dedup/phase-filter.js";
import { bandsFor } from "../dedup/work-dir.js";
import { resolveSignatureParams, type SignatureParams } from "../dedup/signature.js";
import { parseShingleSpec } from "../dedup/shingles.js";

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

export function dedupPhases(plan: RunPlan, cfg: DedupStageConfig): Phase[] {
  const params = dedupParams(cfg);
  const bands = bandsFor(params);
  const tasks = plan.tasks.length;
  return [
    {
      name: "dedup-pairs",
      taskCount: () => bands.length,
      async run(_plan, index) {
        findCandidatePairs(dedupWorkDir(plan), bands[index]!, { params, tasks, verify: cfg.verify, threshold: cfg.threshold, memoryMb: cfg.memoryMb });
        return { stages: [], unreadable: [] };
      },
    },
    {
      name: "dedup-clusters",
      taskCount: () => 1,
      async run() {
        const summary = buildClusters(dedupWorkDir(plan), { params, tasks });
        return { stages: [], unreadable: [], sections: { dedup: { ...summary, cluster_sizes: summary.cluster_size_histogram } } };
      },
    },
  ];
}

/** Finalize for task i: drops the task's duplicates, reporting each to `onDuplicate`. */
export function dedupRemovalStage(plan: RunPlan, cfg: DedupStageConfig, i: number, onDuplicate: (r: DuplicateRecord) => void): NamedStage {
  return { name: "dedup", run: removalFilter(dedupWorkDir(plan), i, { params: dedupParams(cfg), onDuplicate: (r) => onDuplicate(r) }) };
}
