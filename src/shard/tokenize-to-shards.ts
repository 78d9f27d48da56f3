/**
 * "Tokenize these documents into shard prefix P": the whole tokenize step as one function with
 * explicit inputs and outputs, used by `korpipe tokenize` and by pipeline tasks alike.
 */
import { statSync } from "node:fs";
import path from "node:path";
import type { Document } from "../types.js";
import type { PrivacyTokens } from "../pii/privacy-tokens.js";
import type { StageStats } from "../stats/stage-stats.js";
import type { EngineChoice } from "./engine/engines.js";
import type { DatasetSummary, TokenDtype } from "./indexed-dataset.js";
import { checkPrivacyTokens } from "./privacy-check.js";
import { tokenizerFileHash, writeSidecar } from "./dataset-sidecar.js";
import { IndexedDatasetWriter } from "./shard-writer.js";
import { DEFAULT_EOD_TOKEN, eodTokenId, loadTokenizer, type LoadedTokenizer } from "./tokenizer.js";
import { tokenizeDocuments, TokenizerPool } from "./tokenize-documents.js";

export interface TokenizeToShardsOptions {
  /** Output prefix: writes `PREFIX_text_document.bin/.idx`, or numbered shards with `shardTokens`. */
  prefix: string;
  /** A tokenizer.json path, or one already loaded with `loadTokenizer`. */
  tokenizer: string | LoadedTokenizer;
  shardTokens?: number;
  /** The JSON key in the dataset name, as preprocess_data.py's --json-keys (default `text`). */
  key?: string;
  /** Append an end-of-document id after each document (default true). */
  eod?: boolean;
  /** The token whose id ends each document (default `<|endoftext|>`). */
  eodToken?: string;
  /** Checked before any work starts; null skips the check (a corpus that was never scrubbed). */
  privacyTokens: PrivacyTokens | null;
  /** Worker threads (default: cores); 0 tokenizes in this thread. Ignored when `pool` is given. */
  workers?: number;
  batchSize?: number;
  /** Batches being encoded at once (default 2 per worker; with workers 0, 2). */
  inFlight?: number;
  /** auto (default): korpipe's own engine when it reproduces the tokenizer exactly, else Hugging Face's. Ignored when `pool` is given. */
  engine?: EngineChoice;
  /** Receives the one-line notice when `auto` falls back to Hugging Face (default: stderr). */
  onNotice?: (line: string) => void;
  /** A pool shared across calls (left open). Must use the same tokenizer file. */
  pool?: TokenizerPool;
  /** Receives in/out/filter("empty") per document, counters `tokens` and `eod_tokens`, histogram `tokens_per_doc`. */
  stats?: StageStats;
}

export interface TokenizeResult {
  shards: DatasetSummary[];
  dtype: TokenDtype;
  vocab_size: number;
  eod_id: number | null;
  privacy_token_ids: Record<string, number> | null;
  documents: number;
  /** All ids written, EOD included. */
  tokens: number;
  /** Documents that tokenize to nothing; skipped, not written (GPT-NeoX's preprocessing crashes on them). */
  empty_documents: number;
  /** UTF-8 bytes of the written documents' text. */
  text_bytes: number;
  /** text_bytes per token, EOD not counted. */
  bytes_per_token: number | null;
}

const loaded = new Map<string, LoadedTokenizer>();

/**
 * The tokenizer at `file`, loaded once per thread and file version: the pipeline's tasks run one
 * after another on a few threads, and loading Polyglot-Ko's costs a few tenths of a CPU-second.
 */
function threadTokenizer(file: string): LoadedTokenizer {
  const key = `${path.resolve(file)}\0${statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? "missing"}`;
  let tok = loaded.get(key);
  if (!tok) {
    // Checked to load by the caller's preflight; korpipe's engine then never needs the library's copy.
    tok = loadTokenizer(file, { lazy: true });
    loaded.set(key, tok);
  }
  return tok;
}

/**
 * Validates the tokenizer setup (privacy tokens, EOD) before reading a single document, then
 * tokenizes `docs` in order into the prefix. On failure no file appears under a final name for
 * the shard being written.
 */
export async function tokenizeToShards(docs: AsyncIterable<Document> | Iterable<Document>, options: TokenizeToShardsOptions): Promise<TokenizeResult> {
  const tok = typeof options.tokenizer === "string" ? threadTokenizer(options.tokenizer) : options.tokenizer;
  const privacyIds = options.privacyTokens ? await checkPrivacyTokens(tok, options.privacyTokens) : null;
  const eodId = options.eod === false ? null : eodTokenId(tok, options.eodToken ?? DEFAULT_EOD_TOKEN);
  if (options.pool && options.pool.tokenizerPath !== tok.path) {
    throw new Error(`the tokenizer pool loads ${options.pool.tokenizerPath}, but this call checks ${tok.path}; use one tokenizer file for both`);
  }
  const stats = options.stats;
  const writer = new IndexedDatasetWriter({ prefix: options.prefix, dtype: tok.dtype, shardTokens: options.shardTokens, ...(options.key ? { key: options.key } : {}) });
  let documents = 0;
  let tokens = 0;
  let empty = 0;
  let textBytes = 0;
  async function* counted(): AsyncGenerator<Document> {
    for await (const doc of docs) {
      stats?.in(doc);
      yield doc;
    }
  }
  let shards: DatasetSummary[];
  try {
    const tokenized = tokenizeDocuments(counted(), {
      pool: options.pool,
      tokenizerPath: tok.path,
      workers: options.workers,
      engine: options.engine,
      onNotice: options.onNotice,
      batchSize: options.batchSize,
      inFlight: options.inFlight,
      eodId,
      dtype: tok.dtype,
    });
    for await (const { doc, ids } of tokenized) {
      if (ids.length === 0) {
        empty++;
        stats?.filter(doc, "empty");
        continue;
      }
      writer.append(ids);
      documents++;
      tokens += ids.length;
      textBytes += Buffer.byteLength(doc.text, "utf8");
      if (stats) {
        stats.out(doc);
        stats.count("tokens", ids.length);
        if (eodId !== null) stats.count("eod_tokens");
        stats.observe("tokens_per_doc", ids.length);
      }
    }
    shards = writer.finish();
    const stamp = { tokenizer_sha256: tokenizerFileHash(tok.path), tokenizer_path: tok.path, vocab_size: tok.vocabSize, eod_id: eodId, dtype: tok.dtype };
    for (const s of shards) writeSidecar(s.path, stamp);
  } catch (err) {
    writer.abort();
    throw err;
  } finally {
    stats?.stop();
  }
  const textTokens = tokens - (eodId === null ? 0 : documents);
  return {
    shards,
    dtype: tok.dtype,
    vocab_size: tok.vocabSize,
    eod_id: eodId,
    privacy_token_ids: privacyIds,
    documents,
    tokens,
    empty_documents: empty,
    text_bytes: textBytes,
    bytes_per_token: textTokens > 0 ? Math.round((textBytes / textTokens) * 1000) / 1000 : null,
  };
}
