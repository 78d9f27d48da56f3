/** Tokenized GPT-NeoX shards: tokenizer loading and checks, the mmap .bin/.idx format, merge, tokenizer training. */
export {
  DatasetFormatError,
  DatasetWriter,
  checkIndexedDataset,
  datasetFiles,
  dtypeForVocabSize,
  parseIndex,
  readDocument,
  readIndexedDataset,
  verifyIndexedDataset,
  type DatasetSummary,
  type IndexedDataset,
  type TokenArray,
  type TokenDtype,
  type VerifyOptions,
} from "./indexed-dataset.js";
export { DATASET_SUFFIX, IndexedDatasetWriter, datasetPathFor, findDatasets, type IndexedDatasetWriterOptions } from "./shard-writer.js";
export { mergeIndexedDatasets, MergeError } from "./merge.js";
export { DEFAULT_EOD_TOKEN, eodTokenId, loadTokenizer, type LoadedTokenizer } from "./tokenizer.js";
export type { HfEncoding, HfTokenizer } from "./hf-tokenizer.js";
export { checkPrivacyTokens, nearestSpecialToken, PrivacyTokenError } from "./privacy-check.js";
export { reserveTokenizerThreads, tokenizeDocuments, TokenizerPool, type TokenizeDocumentsOptions, type TokenizedDocument, type TokenizerPoolOptions } from "./tokenize-documents.js";
export { tokenizeToShards, type TokenizeResult, type TokenizeToShardsOptions } from "./tokenize-to-shards.js";
export { trainTokenizer, type TrainTokenizerOptions, type TrainedTokenizer } from "./train-tokenizer.js";
export {
  chooseEngine,
  ENGINE_CHOICES,
  FastEngine,
  HfEngine,
  loadEngine,
  type EngineChoice,
  type EngineName,
  type EnginePlan,
  type TokenEngine,
} from "./engine/engines.js";
export { FastEncoder, type FastEncoderOptions } from "./engine/fast-encoder.js";
export { engineSpec, type EngineSpec } from "./engine/tokenizer-spec.js";
export { cutAtSpaces, cutsAreExact } from "./engine/long-documents.js";
export { IdBuffer } from "./engine/id-buffer.js";
export { encodeBatch, type EncodeBatchOptions, type EncodedBatch } from "./encode-batch.js";
export { tokenizeDefinition, TokenizeStageOptionsSchema } from "./tokenize-options.js";
