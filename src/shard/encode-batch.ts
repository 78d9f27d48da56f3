/**
 * One batch of texts to one flat array of token ids in the shard dtype, with the end-of-document
 * id after each non-empty document. Runs in a tokenizer worker thread, or in the caller's thread,
 * with either engine (korpipe's own or Hugging Face tokenizers): the output is the same.
 */
import type { TokenEngine } from "./engine/engines.js";
import { IdBuffer } from "./engine/id-buffer.js";
import type { TokenArray, TokenDtype } from "./indexed-dataset.js";

export interface EncodeBatchOptions {
  /** Appended after each document that has at least one token; null for none (--no-eod). */
  eodId: number | null;
  dtype: TokenDtype;
}

export interface EncodedBatch {
  /** All documents' ids back to back. */
  tokens: TokenArray;
  /** Ids per document, EOD included; 0 for a document that tokenizes to nothing (it gets no EOD). */
  lengths: Int32Array;
}

/**
 * 32-bit id buffers of this thread, reused from batch to batch: a fresh one per batch or piece
 * would leave a megabyte of garbage each time, which piles up between collections while one long
 * document is encoded piece after piece. More than one is needed only when batches overlap (the
 * library's encodeBatch awaits).
 */
const spareIdBuffers: IdBuffer[] = [];

async function withIdBuffer<T>(use: (ids: IdBuffer) => Promise<T>): Promise<T> {
  const ids = spareIdBuffers.pop() ?? new IdBuffer(1 << 16);
  ids.length = 0;
  try {
    return await use(ids);
  } finally {
    spareIdBuffers.push(ids);
  }
}

export async function encodeBatch(engine: TokenEngine, texts: string[], options: EncodeBatchOptions): Promise<EncodedBatch> {
  const out = new TokenArrayBuilder(options.dtype);
  const lengths = new Int32Array(texts.length);
  const eod = options.eodId;
  // Ordinary texts are encoded together; a text the engine cuts into pieces is encoded piece by
  // piece, so only one piece's ids are ever held as 32-bit ids next to the shard-dtype output.
  let run: number[] = [];
  const flush = async () => {
    if (run.length === 0) return;
    const batch = run;
    run = [];
    await withIdBuffer(async (ids) => {
      const ends = new Int32Array(batch.length);
      await engine.encodeAll(batch.map((i) => texts[i]!), ids, ends);
      out.reserve(ids.length + batch.length);
      let start = 0;
      batch.forEach((i, k) => {
        out.append(ids.ids, start, ends[k]!);
        lengths[i] = ends[k]! - start;
        start = ends[k]!;
        if (lengths[i]! > 0 && eod !== null) lengths[i] = out.appendEod(eod, lengths[i]!);
      });
    });
  };
  for (let i = 0; i < texts.length; i++) {
    const pieces = engine.pieces(texts[i]!);
    if (pieces.length === 1) {
      run.push(i);
      continue;
    }
    await flush();
    const before = out.length;
    let chars = 0;
    for (const piece of pieces) {
      chars += piece.length;
      await withIdBuffer(async (ids) => {
        const ends = new Int32Array(1);
        await engine.encodeAll([piece], ids, ends);
        out.reserveForText(before, ids.length, chars, texts[i]!.length);
        out.append(ids.ids, 0, ids.length);
      });
    }
    lengths[i] = out.length - before;
    if (lengths[i]! > 0 && eod !== null) lengths[i] = out.appendEod(eod, lengths[i]!);
  }
  await flush();
  return { tokens: out.finish(), lengths };
}

/** Ids in the shard dtype, growing as they come, each checked to fit it. */
export class TokenArrayBuilder {
  length = 0;
  private array: TokenArray;
  private readonly max: number;

  constructor(private readonly dtype: TokenDtype) {
    this.array = dtype === "uint16" ? new Uint16Array(0) : new Int32Array(0);
    this.max = dtype === "uint16" ? 0xffff : 0x7fffffff;
  }

  append(ids: TokenArray, from: number, to: number): void {
    const needed = this.length + (to - from);
    if (needed > this.array.length) this.grow(Math.max(needed, Math.ceil(this.array.length * 1.5), 1024));
    const a = this.array;
    for (let k = from; k < to; k++) {
      const id = ids[k]!;
      // Typed-array stores wrap silently; an id the dtype cannot hold must stop the run instead.
      if (id > this.max || id < 0) throw new RangeError(`token id ${id} does not fit ${this.dtype}; the tokenizer's vocabulary is larger than it reports`);
      a[this.length++] = id;
    }
  }

  /** Appends the end-of-document id after a document of `length` ids; returns its length with it. */
  appendEod(eod: number, length: number): number {
    this.append(Int32Array.of(eod), 0, 1);
    return length + 1;
  }

  /**
   * Before appending `next` more ids of one long text whose ids start at `start`, with `chars` of
   * its `totalChars` code units encoded: room for all of its ids at the rate seen so far (5% spare,
   * and its EOD), so its array grows about once instead of by half again and again, each time
   * leaving the old array behind as garbage.
   */
  reserveForText(start: number, next: number, chars: number, totalChars: number): void {
    if (this.length + next <= this.array.length) return;
    const estimate = Math.ceil(((this.length - start + next) / Math.max(chars, 1)) * totalChars * 1.05) + 1;
    this.reserve(Math.max(next, estimate - (this.length - start)));
  }

  /** Room for `n` more ids. */
  reserve(n: number): void {
    if (this.length + n > this.array.length) this.grow(this.length + n);
  }

  private grow(size: number): void {
    const grown = this.dtype === "uint16" ? new Uint16Array(size) : new Int32Array(size);
    grown.set(this.array.subarray(0, this.length));
    this.array = grown;
  }

  /**
   * The ids without the spare capacity (a view would carry it to the main thread); a copy only
   * when the spare part is large, since the copy is itself a second array of the document's size.
   */
  finish(): TokenArray {
    return this.length >= 0.9 * this.array.length ? this.array.subarray(0, this.length) : this.array.slice(0, this.length);
  }
}
