/** Exact and near-duplicate removal: the public surface of src/dedup. */
export { computeSignature, Signer, DEFAULT_SIGNATURE_PARAMS, resolveSignatureParams, setJaccard, type Signature, type SignatureParams } from "./minhash/signature.js";
export { parseShingleSpec, exactJaccard, type ShingleSpec } from "./minhash/shingles.js";
export { estimateJaccard } from "./minhash/minhash.js";
export { DEFAULT_BANDING, DEFAULT_THRESHOLD, DEFAULT_VERIFY, VERIFY_MODES, candidateProbability, formatSCurve, type BandingParams, type VerifyMode } from "./minhash/lsh-params.js";
export { MinHashLSH, type MinHashLSHOptions, type LSHMatch } from "./minhash/lsh-index.js";
export { writeSignatures, type SignatureTaskOptions } from "./phases/phase-signatures.js";
export { findCandidatePairs, type CandidatePairsOptions } from "./phases/phase-pairs.js";
export { buildClusters, type ClusterSummary, type ClusterOptions } from "./phases/phase-clusters.js";
export { removalFilter, InputChangedError, type DuplicateRecord, type RemovalFilterOptions } from "./phases/phase-filter.js";
export { findDuplicates, type DedupOptions, type FoundDuplicates } from "./phases/find-duplicates.js";
export { dedupStage, type DedupStageOptions } from "./dedup-stage.js";
export { DamagedFileError } from "./files/record-file.js";
export { bandsFor, DEFAULT_MEMORY_MB, type BandId } from "./files/work-dir.js";
export { dedupDefinition, DedupStageOptionsSchema } from "./dedup-options.js";
