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
export { checkPrivacyTokens, nearestSpecialToken, PrivacyTokenError } from "./privacy-check.js";
export { reserveTokenizerThreads, tokenizeDocuments, TokenizerPool, type TokenizeDocumentsOptions, type TokenizedDocument } from "./tokenize-documents.js";
export { tokenizeToShards, type TokenizeResult, type TokenizeToShardsOptions } from "./tokenize-to-shards.js";
export { trainTokenizer, type TrainTokenizerOptions, type TrainedTokenizer } from "./train-tokenizer.js";
export { tokenizeDefinition, TokenizeStageOptionsSchema } from "./tokenize-options.js";
