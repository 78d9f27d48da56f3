/**
 * Documents to token ids, in input order, with the tokenizing spread over worker threads: texts
 * go out in batches, several batches are in flight at once, and results come back in the order
 * the documents came in.
 */
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { Document } from "../types.js";
import { workerPath } from "../io/worker-path.js";
import { chooseEngine, threadEngine, type EngineChoice, type EngineName, type TokenEngine } from "./engine/engines.js";
import { CHUNK_CHARS, cutAtSpaces } from "./engine/long-documents.js";
import { encodeBatch, TokenArrayBuilder, type EncodeBatchOptions, type EncodedBatch } from "./encode-batch.js";
import type { TokenArray } from "./indexed-dataset.js";
import type { TokenizeTask } from "./tokenize-worker.js";

export const DEFAULT_BATCH_SIZE = 256;
/** Stands in for a piece's result once its ids are appended, so they can be collected. */
const DONE: Promise<EncodedBatch> = Promise.resolve({ tokens: new Int32Array(0), lengths: new Int32Array(0) });
/** A batch is also sent once its texts reach this many UTF-16 code units, so huge documents do not pile up. */
export const DEFAULT_BATCH_CHARS = 1 << 20;

export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * Sets up the process for `workers` tokenizer threads, keeping values the user set. Each worker
 * thread is one core's worth of tokenizing, so the Rust core's own thread pool inside every
 * encodeBatch would only oversubscribe the cores (TOKENIZERS_PARALLELISM is read on every call).
 * Every encodeBatch also runs on libuv's process-wide thread pool, 4 threads unless
 * UV_THREADPOOL_SIZE says more, which would cap more than 4 workers at 4 batches at a time; that
 * variable counts only before the pool first starts (the first async fs or tokenizers call), so
 * call this early.
 */
export function reserveTokenizerThreads(workers: number): void {
  if (workers <= 0) return;
  process.env.TOKENIZERS_PARALLELISM ??= "false";
  process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, workers + 2));
}

/**
 * Tokenizes batches on `workers` threads, each holding the tokenizer once; `workers: 0` tokenizes
 * in the calling thread (for callers that already run on a worker, like a pipeline task).
 * Share one pool across many `tokenizeDocuments` calls to load the tokenizer only once per thread.
 */
export interface TokenizerPoolOptions {
  tokenizerPath: string;
  workers?: number;
  /** auto (default): korpipe's own engine when it reproduces this tokenizer exactly, else Hugging Face's. */
  engine?: EngineChoice;
  /** Receives the one-line notice when `auto` falls back to Hugging Face (default: stderr). */
  onNotice?: (line: string) => void;
  /**
   * A text longer than this many UTF-16 code units goes to the worker threads as exact pieces of
   * about this size, never whole (default 256K), when the tokenizer allows exact cuts.
   */
  longTextChars?: number;
}

export class TokenizerPool {
  readonly tokenizerPath: string;
  readonly workers: number;
  /** The engine every thread of this pool tokenizes with. */
  readonly engine: EngineName;
  private readonly pool: Piscina | undefined;
  private local: TokenEngine | undefined;
  /** Long texts are sent to workers as pieces of about this many UTF-16 code units; 0: whole. */
  private readonly handoverChars: number;

  constructor(options: TokenizerPoolOptions) {
    this.tokenizerPath = options.tokenizerPath;
    const plan = chooseEngine(options.tokenizerPath, options.engine);
    this.engine = plan.engine;
    this.handoverChars = plan.exactCuts ? (options.longTextChars ?? CHUNK_CHARS) : 0;
    if (plan.notice) (options.onNotice ?? ((line) => process.stderr.write(line + "\n")))(plan.notice);
    this.workers = options.workers ?? defaultWorkers();
    if (!(Number.isInteger(this.workers) && this.workers >= 0)) throw new RangeError(`workers must be 0 or more, got ${options.workers}`);
    if (this.workers > 0) {
      reserveTokenizerThreads(this.workers);
      this.pool = new Piscina({
        filename: workerPath(import.meta.url, "./tokenize-worker.js"),
        minThreads: this.workers,
        maxThreads: this.workers,
        idleTimeout: 60_000,
      });
    }
  }

  encode(texts: string[], options: EncodeBatchOptions): Promise<EncodedBatch> {
    if (this.pool) return this.encodeOnWorkers(this.pool, texts, options);
    this.local ??= threadEngine(this.tokenizerPath, this.engine);
    return encodeBatch(this.local, texts, options);
  }

  /**
   * Ordinary texts go to a worker together. A long text goes out as its exact pieces, one task
   * each, so no worker ever holds a copy of the whole of it: a piece stays a slice of this thread's
   * text until it is sent, and is copied only for the worker that encodes it. The pieces' ids come
   * back in order and are put together here, with the end-of-document id after the last.
   */
  private async encodeOnWorkers(pool: Piscina, texts: string[], options: EncodeBatchOptions): Promise<EncodedBatch> {
    const run = (batch: string[], eodId: number | null): Promise<EncodedBatch> =>
      pool.run({ tokenizerPath: this.tokenizerPath, engine: this.engine, texts: batch, eodId, dtype: options.dtype } satisfies TokenizeTask);
    const segments: { from: number; to: number; whole?: Promise<EncodedBatch>; pieces?: Promise<EncodedBatch>[]; chars?: number[] }[] = [];
    let from = 0;
    for (let i = 0; i <= texts.length; i++) {
      const long = i < texts.length && this.handoverChars > 0 && texts[i]!.length > this.handoverChars;
      if (!long && i < texts.length) continue;
      if (i > from) segments.push({ from, to: i, whole: run(texts.slice(from, i), options.eodId) });
      if (long) {
        const pieces = cutAtSpaces(texts[i]!, this.handoverChars);
        segments.push({ from: i, to: i + 1, pieces: pieces.map((piece) => run([piece], null)), chars: pieces.map((p) => p.length) });
      }
      from = i + 1;
    }
    for (const s of segments) for (const r of s.pieces ?? [s.whole!]) r.catch(() => {}); // awaited in order below
    if (segments.length === 1 && segments[0]!.whole) return segments[0]!.whole;
    const lengths = new Int32Array(texts.length);
    const out = new TokenArrayBuilder(options.dtype);
    for (const s of segments) {
      const before = out.length;
      if (s.whole) {
        const batch = await s.whole;
        lengths.set(batch.lengths, s.from);
        out.append(batch.tokens, 0, batch.tokens.length);
        continue;
      }
      // Each piece's ids are appended as soon as it is its turn, and then dropped.
      let chars = 0;
      for (let k = 0; k < s.pieces!.length; k++) {
        const piece = await s.pieces![k]!;
        s.pieces![k] = DONE;
        chars += s.chars![k]!;
        out.reserveForText(before, piece.tokens.length, chars, texts[s.from]!.length);
        out.append(piece.tokens, 0, piece.tokens.length);
      }
      lengths[s.from] = out.length - before;
      if (lengths[s.from]! > 0 && options.eodId !== null) lengths[s.from] = out.appendEod(options.eodId, lengths[s.from]!);
    }
    return { tokens: out.finish(), lengths };
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}

export interface TokenizeDocumentsOptions extends EncodeBatchOptions {
  /** A pool to use (and leave open); otherwise one is made from `tokenizerPath` and `workers` and closed at the end. */
  pool?: TokenizerPool;
  tokenizerPath?: string;
  /** Worker threads (default: the number of cores); 0 tokenizes in this thread. */
  workers?: number;
  /** Engine of a pool made here (default auto); see TokenizerPoolOptions. */
  engine?: EngineChoice;
  onNotice?: (line: string) => void;
  /** Documents per batch (default 256). */
  batchSize?: number;
  /** Batches in flight at once (default 2 per worker, so no worker waits for the next batch). */
  inFlight?: number;
}

export interface TokenizedDocument {
  doc: Document;
  /** The document's ids with EOD appended; empty when the text tokenizes to nothing. */
  ids: TokenArray;
}

/** Yields every input document with its token ids, in input order. */
export async function* tokenizeDocuments(
  docs: AsyncIterable<Document> | Iterable<Document>,
  options: TokenizeDocumentsOptions,
): AsyncGenerator<TokenizedDocument> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  let pool = options.pool;
  const ownPool = !pool;
  if (!pool) {
    if (!options.tokenizerPath) throw new Error("tokenizeDocuments needs a pool or a tokenizerPath");
    pool = new TokenizerPool({ tokenizerPath: options.tokenizerPath, workers: options.workers, engine: options.engine, onNotice: options.onNotice });
  }
  const maxInFlight = options.inFlight ?? Math.max(2, 2 * pool.workers);
  const encodeOptions: EncodeBatchOptions = { eodId: options.eodId, dtype: options.dtype };
  const queue: { docs: Document[]; result: Promise<EncodedBatch> }[] = [];
  const send = (batch: Document[]) => {
    const result = pool!.encode(batch.map((d) => d.text), encodeOptions);
    result.catch(() => {}); // awaited in order below; this only keeps a later batch's failure from being "unhandled" meanwhile
    queue.push({ docs: batch, result });
  };
  async function* takeOldest(): AsyncGenerator<TokenizedDocument> {
    const { docs: batch, result } = queue.shift()!;
    const { tokens, lengths } = await result;
    let at = 0;
    for (let i = 0; i < batch.length; i++) {
      const n = lengths[i]!;
      yield { doc: batch[i]!, ids: tokens.subarray(at, at + n) };
      at += n;
    }
  }
  try {
    let batch: Document[] = [];
    let chars = 0;
    for await (const doc of docs) {
      batch.push(doc);
      chars += doc.text.length;
      if (batch.length >= batchSize || chars >= DEFAULT_BATCH_CHARS) {
        send(batch);
        batch = [];
        chars = 0;
        if (queue.length >= maxInFlight) yield* takeOldest();
      }
    }
    if (batch.length > 0) send(batch);
    while (queue.length > 0) yield* takeOldest();
  } finally {
    if (ownPool) await pool.close();
  }
}
