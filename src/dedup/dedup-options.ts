/**
 * The dedup stage's config entry: how documents are signed, banded and verified. The run's
 * dedup phases carry it out; this module only declares its options and their defaults.
 */
import { z } from "zod";
import { defineStage } from "../stages/registry.js";
import { dedupReport } from "./report-section.js";
import { DEFAULT_THRESHOLD, DEFAULT_VERIFY, VERIFY_MODES, type VerifyMode } from "./minhash/lsh-params.js";
import { DEFAULT_SHINGLE, formatShingleSpec } from "./minhash/shingles.js";
import { DEFAULT_MEMORY_MB } from "./files/work-dir.js";

export const DedupStageOptionsSchema = z.object({
  bands: z.number().int().positive().optional().describe("LSH bands (default 20; set with rows)"),
  rows: z.number().int().positive().optional().describe("rows per band (default 8; set with bands)"),
  shingle: z
    .string()
    .regex(/^(word|char):\d+$/, "use word:N or char:N")
    .default(formatShingleSpec(DEFAULT_SHINGLE))
    .describe("word:N (Korean eojeol n-grams) or char:N for text without spaces"),
  verify: z
    .enum(VERIFY_MODES as [VerifyMode, ...VerifyMode[]])
    .default(DEFAULT_VERIFY)
    .describe("how candidate pairs are checked: exact shingle Jaccard, the MinHash estimate, or not at all"),
  threshold: z.number().min(0).max(1).default(DEFAULT_THRESHOLD).describe("Jaccard similarity at or above which two documents are near duplicates"),
  exactOnly: z.boolean().default(false).describe("remove exact duplicates only"),
  memoryMb: z.number().int().positive().default(DEFAULT_MEMORY_MB).describe("memory budget of the sort and cluster phases, in MiB"),
  bandsPerTask: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("LSH bands merged by one dedup-pairs task of korpipe run (default: enough for each task to cover about 2 GB of input)"),
});

export const dedupDefinition = defineStage({
  name: "dedup",
  kind: "dedup",
  description: "exact (xxh3-128) and near-duplicate (MinHash LSH) removal, keeping the first document of each cluster",
  options: DedupStageOptionsSchema,
  report: dedupReport,
});
