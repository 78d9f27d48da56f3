/**
 * korpipe as a library: every stage importable on its own, async iterables in and out.
 *
 *   import { readDocuments, resolveInputs, normalize, qualityFilter, writeDocuments } from "korpipe";
 *   const files = await resolveInputs(["data/"]);
 *   await writeDocuments(qualityFilter(normalize(readDocuments(files))), { outputDir: "out", inputs: files });
 */
export type { Document, DocumentSource, Stage, NamedStage, Reject, RejectReason } from "./types.js";

// The stage contract: helpers that own the counting, and how a stage declares its options.
export { filterStage, mapStage, filterMapStage, type NamedStageFn } from "./stages/stage.js";
export { defineStage, stageEntrySchema, type StageDefinition, type StageContext, type StageKind } from "./stages/registry.js";

export { readDocuments, readFile, resolveInputs, recordToDocument, InputError, DEFAULT_MAX_DOC_BYTES, type ReadOptions } from "./stages/read.js";
export { writeDocuments, writeFileAtomic, documentToRecord, outputPathFor, planOutputs, OutputCollisionError, type WriteOptions, type WriteResult } from "./stages/write.js";
export { WriteError } from "./io/write-error.js";
export { SIDE_FILES, type DiscoveryOptions } from "./io/input-discovery.js";
export { gunzipMembers, GzipDamageError } from "./io/gunzip-members.js";
export { OutputLock, OutputLockedError } from "./io/output-lock.js";
export { detectFormat, type Compression, type FileFormat } from "./io/formats.js";
export { normalize, normalizeStage, normalizeText, normalizeDefinition, type NormalizeOptions } from "./stages/normalize.js";
export {
  qualityFilter,
  qualityFilterStage,
  qualityFilterReason,
  filterDefinition,
  QualityFilterOptionsSchema,
  hangulRatio,
  repeatedLineRatio,
  DEFAULT_QUALITY_FILTER,
  type QualityFilterOptions,
  type FilterReason,
} from "./stages/quality-filter.js";
export { judgeText, cleanLines, qualitySettings, QUALITY_PRESETS, QUALITY_REASONS, PRESETS as QUALITY_PRESET_SETTINGS, isKsx1001Syllable, type QualityVerdict, type QualitySettings, type QualityPreset, type QualityReason, type LineRule } from "./stages/quality/index.js";
export { composeStages } from "./stages/compose.js";
export { StageStats, mergeStageStats, type StageStatsJSON, type Counts, type DropEvent } from "./stats/stage-stats.js";
export { buildRunStats, formatRunSummary, identityHoldsFor, type RunStatsJSON, type UnreadableFile } from "./stats/run-stats.js";

// Korean PII: recognizers, the scrubber, the scrub stage, privacy tokens, evaluation.
export * from "./pii/index.js";
// Exact and near-duplicate removal: signatures, MinHash LSH, the file-based phases, the dedup stage.
export * from "./dedup/index.js";
// GPT-NeoX .bin/.idx shards: tokenizer loading and checks, writer, reader, verifier, merge, training.
export * from "./shard/index.js";

// korpipe run: config, plan, local and Slurm executors, the report page.
export { parsePipelineConfig, loadPipelineConfig, exampleConfig, ConfigError, type PipelineConfig, type StageConfig } from "./run/plan/config.js";
export { buildPlan, type RunPlan } from "./run/plan/plan.js";
export { BUILTIN_STAGES, buildStages, resolveModuleStages, StageModuleError, type ModuleStageEntry } from "./run/plan/stage-registry.js";
export { splitIntoTasks } from "./run/plan/tasks.js";
export { runLocal, type LocalRunOptions } from "./run/local/local-executor.js";
export { runPipeline, RunRefusedError, type RunPipelineOptions } from "./run/run-pipeline.js";
export { runSlurm, type SlurmRunOptions } from "./run/slurm/executor.js";
export { releaseIntermediates } from "./run/phases/work-cleanup.js";
export { shardManifestPath, type ShardManifest } from "./run/phases/sharded-output.js";
export {
  submitArrayJob,
  jobTaskStates,
  waitForJobs,
  cancelJobs,
  slurmAvailable,
  summarizeTasks,
  SlurmJobFailedError,
  SlurmUnavailableError,
  type ArrayJobSpec,
  type ArrayJobRef,
  type ArrayTaskStatus,
} from "./run/slurm/index.js";
export { renderReportHtml } from "./run/report/index.js";
