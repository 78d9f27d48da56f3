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
  // Korean text gives about one id per 1.5 UTF-16 code units: room for all of them rarely needs growing.
  let chars = 0;
  for (const t of texts) chars += t.length;
  const out = new IdBuffer(Math.min(chars, 1 << 22) + 1024);
  const ends = new Int32Array(texts.length);
  await engine.encodeAll(texts, out, ends);
  const eod = options.eodId === null ? 0 : 1;
  const lengths = new Int32Array(texts.length);
  let total = 0;
  let start = 0;
  for (let i = 0; i < texts.length; i++) {
    const n = ends[i]! - start;
    start = ends[i]!;
    lengths[i] = n === 0 ? 0 : n + eod;
    total += lengths[i]!;
  }
  const tokens = options.dtype === "uint16" ? new Uint16Array(total) : new Int32Array(total);
  const max = options.dtype === "uint16" ? 0xffff : 0x7fffffff;
  const ids = out.ids;
  let at = 0;
  start = 0;
  for (let i = 0; i < texts.length; i++) {
    const end = ends[i]!;
    if (end === start) continue;
    for (let k = start; k < end; k++) {
      const id = ids[k]!;
      // Typed-array stores wrap silently; an id the dtype cannot hold must stop the run instead.
      if (id > max || id < 0) throw new RangeError(`token id ${id} does not fit ${options.dtype}; the tokenizer's vocabulary is larger than it reports`);
      tokens[at++] = id;
    }
    if (options.eodId !== null) tokens[at++] = options.eodId;
    start = end;
  }
  return { tokens, lengths };
}
