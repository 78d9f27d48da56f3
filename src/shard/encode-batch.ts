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

export async function encodeBatch(engine: TokenEngine, texts: string[], options: EncodeBatchOptions): Promise<EncodedBatch> {
  const out = new TokenArrayBuilder(options.dtype);
  const lengths = new Int32Array(texts.length);
  const eod = options.eodId;
  // Ordinary texts are encoded together; a text the engine cuts into pieces is encoded piece by
  // piece, so only one piece's ids are ever held as 32-bit ids next to the shard-dtype output.
  let run: number[] = [];
  const flush = async () => {
    if (run.length === 0) return;
    const ids = new IdBuffer(run.reduce((n, i) => n + texts[i]!.length, 0) + 1024);
    const ends = new Int32Array(run.length);
    await engine.encodeAll(run.map((i) => texts[i]!), ids, ends);
    let start = 0;
    run.forEach((i, k) => {
      out.append(ids.ids, start, ends[k]!);
      lengths[i] = ends[k]! - start;
      start = ends[k]!;
      if (lengths[i]! > 0 && eod !== null) lengths[i] = out.appendEod(eod, lengths[i]!);
    });
    run = [];
  };
  for (let i = 0; i < texts.length; i++) {
    const pieces = engine.pieces(texts[i]!);
    if (pieces.length === 1) {
      run.push(i);
      continue;
    }
    await flush();
    // Korean text takes about 0.6 ids per UTF-16 code unit; growing past that costs one more copy.
    out.reserve(Math.ceil(texts[i]!.length * 0.65));
    const before = out.length;
    for (const piece of pieces) {
      const ids = new IdBuffer(piece.length + 1024);
      const ends = new Int32Array(1);
      await engine.encodeAll([piece], ids, ends);
      out.append(ids.ids, 0, ends[0]!);
    }
    lengths[i] = out.length - before;
    if (lengths[i]! > 0 && eod !== null) lengths[i] = out.appendEod(eod, lengths[i]!);
  }
  await flush();
  return { tokens: out.finish(), lengths };
}

/** Ids in the shard dtype, growing as they come, each checked to fit it. */
class TokenArrayBuilder {
  length = 0;
  private array: TokenArray;
  private readonly max: number;

  constructor(private readonly dtype: TokenDtype) {
    this.array = dtype === "uint16" ? new Uint16Array(1 << 16) : new Int32Array(1 << 16);
    this.max = dtype === "uint16" ? 0xffff : 0x7fffffff;
  }

  append(ids: Int32Array, from: number, to: number): void {
    const needed = this.length + (to - from);
    if (needed > this.array.length) this.grow(Math.max(needed, Math.ceil(this.array.length * 1.5)));
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

  /** Room for `n` more ids, so one long document grows its array once or not at all. */
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
