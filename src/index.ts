/**
 * korpipe as a library: every stage importable on its own, async iterables in and out.
 *
 *   import { readDocuments, resolveInputs, normalize, qualityFilter, writeDocuments } from "korpipe";
 *   const files = await resolveInputs(["data/"]);
 *   await writeDocuments(qualityFilter(normalize(readDocuments(files))), { outputDir: "out", inputs: files });
 */
export type { Document, DocumentSource, Stage, NamedStage, Reject, RejectReason } from "./types.js";

export { readDocuments, readFile, resolveInputs, recordToDocument, InputError, DEFAULT_MAX_DOC_BYTES, type ReadOptions } from "./stages/read.js";
export { writeDocuments, writeFileAtomic, documentToRecord, outputPathFor, type WriteOptions, type WriteResult } from "./stages/write.js";
export { detectFormat, type Compression, type FileFormat } from "./stages/formats.js";
export { normalize, normalizeText, type NormalizeOptions } from "./stages/normalize.js";
export {
  qualityFilter,
  qualityFilterReason,
  hangulRatio,
  repeatedLineRatio,
  DEFAULT_QUALITY_FILTER,
  type QualityFilterOptions,
  type FilterReason,
} from "./stages/quality-filter.js";
export { composeStages } from "./stages/compose.js";
export { StageStats, mergeStageStats, type StageStatsJSON, type Counts, type DropEvent } from "./stages/stats.js";
export { buildRunStats, formatRunSummary, identityHoldsFor, type RunStatsJSON, type UnreadableFile } from "./stages/run-stats.js";
export { parsePrivacyTokens, DEFAULT_PRIVACY_TOKENS, PRIVACY_TOKEN_PRESETS, PII_TYPES, type PiiType, type PrivacyTokens } from "./pii/privacy-tokens.js";
