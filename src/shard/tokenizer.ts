/**
 * A Hugging Face tokenizer.json, loaded with the `tokenizers` package (the Rust core GPT-NeoX's
 * HFTokenizer uses, so ids match the trainer's own preprocessing), plus what the shard writer needs
 * to know about it: vocabulary size for the dtype, special tokens, the end-of-document id.
 */
import { readFileSync } from "node:fs";
import { Tokenizer } from "tokenizers";
import type { HfTokenizer } from "./hf-tokenizer.js";
import { dtypeForVocabSize, type TokenDtype } from "./indexed-dataset.js";

/** GPT-NeoX's HFTokenizer takes its eod id from this token. */
export const DEFAULT_EOD_TOKEN = "<|endoftext|>";

export interface AddedToken {
  id: number;
  content: string;
  special: boolean;
}

export interface LoadedTokenizer {
  path: string;
  /** The Hugging Face library's tokenizer (korpipe's own interface for the part it uses; see hf-tokenizer.ts). */
  tokenizer: HfTokenizer;
  /** Vocabulary with added tokens (`get_vocab_size(true)`), what GPT-NeoX picks the dtype from. */
  vocabSize: number;
  /** One above the largest id the tokenizer can produce (ids may leave gaps). */
  idLimit: number;
  addedTokens: AddedToken[];
  /** Added tokens marked special, by content. */
  specialTokens: Map<string, number>;
  dtype: TokenDtype;
}

/** Loads a tokenizer.json; the error says what to do when the file is missing or not a tokenizer. */
export function loadTokenizer(file: string): LoadedTokenizer {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`--tokenizer ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give the path of a Hugging Face tokenizer.json, or make one with 'korpipe train-tokenizer'`);
  }
  let json: { added_tokens?: AddedToken[]; model?: { vocab?: Record<string, number> | [string, number][] } };
  let tokenizer: HfTokenizer;
  try {
    json = JSON.parse(text) as typeof json;
    tokenizer = Tokenizer.fromString(text);
  } catch (err) {
    throw new Error(`--tokenizer ${file}: not a Hugging Face tokenizer.json (${(err as Error).message.split("\n")[0]})`);
  }
  const addedTokens = (json.added_tokens ?? []).map((t) => ({ id: t.id, content: t.content, special: Boolean(t.special) }));
  const specialTokens = new Map(addedTokens.filter((t) => t.special).map((t) => [t.content, t.id] as const));
  const vocabSize = tokenizer.getVocabSize(true);
  // The largest id from the file itself: getVocab(true) would build a JavaScript object of the whole vocabulary.
  let maxId = -1;
  const vocab = json.model?.vocab;
  const ids = Array.isArray(vocab) ? vocab.map((_, i) => i) : Object.values(vocab ?? tokenizer.getVocab(true));
  for (const id of ids) if (id > maxId) maxId = id;
  for (const t of addedTokens) if (t.id > maxId) maxId = t.id;
  const idLimit = Math.max(vocabSize, maxId + 1);
  return { path: file, tokenizer, vocabSize, idLimit, addedTokens, specialTokens, dtype: dtypeForVocabSize(idLimit) };
}

/** The id appended after each document: that of `token` (default `<|endoftext|>`), which must be one token. */
export function eodTokenId(tok: LoadedTokenizer, token: string = DEFAULT_EOD_TOKEN): number {
  const id = tok.tokenizer.tokenToId(token);
  if (id === null || id === undefined) {
    const specials = [...tok.specialTokens.keys()];
    throw new Error(
      `end-of-document token ${token} is not in ${tok.path}; pass --eod-token with one of its special tokens` +
        (specials.length ? ` (${specials.join(", ")})` : "") +
        ", or --no-eod",
    );
  }
  return id;
}

/**
 * Token ids of each text exactly as `Tokenizer.encode` gives them (post-processor included, like
 * GPT-NeoX's HFTokenizer.tokenize).
 */
export async function encodeTexts(tokenizer: HfTokenizer, texts: string[]): Promise<number[][]> {
  if (texts.length === 0) return [];
  const encodings = await tokenizer.encodeBatch(texts);
  return encodings.map((e) => e.getIds());
}
