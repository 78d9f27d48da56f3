/**
 * One batch of texts to one flat array of token ids in the shard dtype, with the end-of-document
 * id after each non-empty document. Runs in a tokenizer worker thread, or in the caller's thread.
 */
import type { Tokenizer } from "tokenizers";
import type { TokenArray, TokenDtype } from "./indexed-dataset.js";
import { encodeTexts } from "./tokenizer.js";

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

export async function encodeBatch(tokenizer: Tokenizer, texts: string[], options: EncodeBatchOptions): Promise<EncodedBatch> {
  const encoded = await encodeTexts(tokenizer, texts);
  const eod = options.eodId === null ? 0 : 1;
  const lengths = new Int32Array(encoded.length);
  let total = 0;
  for (let i = 0; i < encoded.length; i++) {
    const n = encoded[i]!.length;
    lengths[i] = n === 0 ? 0 : n + eod;
    total += lengths[i]!;
  }
  const tokens = options.dtype === "uint16" ? new Uint16Array(total) : new Int32Array(total);
  const max = options.dtype === "uint16" ? 0xffff : 0x7fffffff;
  let at = 0;
  for (const ids of encoded) {
    if (ids.length === 0) continue;
    for (const id of ids) {
      // Typed-array stores wrap silently; an id the dtype cannot hold must stop the run instead.
      if (id > max) throw new RangeError(`token id ${id} does not fit ${options.dtype}; the tokenizer's vocabulary is larger than it reports`);
      tokens[at++] = id;
    }
    if (options.eodId !== null) tokens[at++] = options.eodId;
  }
  return { tokens, lengths };
}
