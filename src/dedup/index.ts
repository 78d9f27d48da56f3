/** Exact and near-duplicate removal: the public surface of src/dedup. */
export { computeSignature, Signer, DEFAULT_SIGNATURE_PARAMS, resolveSignatureParams, setJaccard, type Signature, type SignatureParams } from "./signature.js";
export { parseShingleSpec, exactJaccard, type ShingleSpec } from "./shingles.js";
export { estimateJaccard } from "./minhash.js";
export { DEFAULT_BANDING, DEFAULT_THRESHOLD, DEFAULT_VERIFY, VERIFY_MODES, candidateProbability, formatSCurve, type BandingParams, type VerifyMode } from "./lsh-params.js";
export { MinHashLSH, type MinHashLSHOptions, type LSHMatch } from "./lsh-index.js";
export { writeSignatures, type SignatureTaskOptions } from "./phase-signatures.js";
export { findCandidatePairs, type CandidatePairsOptions } from "./phase-pairs.js";
export { buildClusters, type ClusterSummary, type ClusterOptions } from "./phase-clusters.js";
export { removalFilter, InputChangedError, type DuplicateRecord, type RemovalFilterOptions } from "./phase-filter.js";
export { findDuplicates, type DedupOptions, type FoundDuplicates } from "./find-duplicates.js";
export { dedupStage, type DedupStageOptions } from "./dedup-stage.js";
export { openDedupPool, type DedupPool } from "./dedup-pool.js";
export { DamagedFileError } from "./record-file.js";
export { bandsFor, DEFAULT_MEMORY_MB, type BandId } from "./work-dir.js";
export { dedupDefinition, DedupStageOptionsSchema } from "./dedup-options.js";
