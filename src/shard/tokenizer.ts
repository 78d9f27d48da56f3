/**
 * A Hugging Face tokenizer.json, loaded with the `tokenizers` package (the Rust core GPT-NeoX's
 * HFTokenizer uses, so ids match the trainer's own preprocessing), plus what the shard writer needs
 * to know about it: vocabulary size for the dtype, special tokens, the end-of-document id.
 */
import { readTokenizerFile } from "./tokenizer-file.js";
import { Tokenizer } from "tokenizers";
import type { HfTokenizer } from "./hf-tokenizer.js";
import { dtypeForVocabSize, type TokenDtype } from "./indexed-dataset.js";

/** GPT-NeoX's HFTokenizer takes its eod id from this token. */
export const DEFAULT_EOD_TOKEN = "<|endoftext|>";

export interface AddedToken {
  id: number;
  content: string;
  special: boolean;
  /** Matched in the normalized text (false for the usual special tokens: matched as written). */
  normalized: boolean;
}

export interface LoadedTokenizer {
  path: string;
  /** The Hugging Face library's tokenizer (korpipe's own interface for the part it uses; see hf-tokenizer.ts), built on first use when loaded lazily. */
  readonly tokenizer: HfTokenizer;
  /** Vocabulary with added tokens (`get_vocab_size(true)`), what GPT-NeoX picks the dtype from. */
  vocabSize: number;
  /** One above the largest id the tokenizer can produce (ids may leave gaps). */
  idLimit: number;
  addedTokens: AddedToken[];
  /** Added tokens marked special, by content. */
  specialTokens: Map<string, number>;
  dtype: TokenDtype;
  /** The id of a whole token, as the library's `token_to_id`: added tokens first, then the model's vocabulary. */
  tokenToId(token: string): number | undefined;
}

export interface LoadTokenizerOptions {
  /**
   * Build the Hugging Face tokenizer only when something needs it (a task thread whose file was
   * already checked, and which encodes with korpipe's engine, never does: it saves ~0.3 s per thread).
   * Without it the file is checked to load here, so a broken file fails at once.
   */
  lazy?: boolean;
}

interface TokenizerJson {
  added_tokens?: { id: number; content: string; special?: boolean; normalized?: boolean }[];
  model?: { vocab?: Record<string, number> | [string, number][] };
}

/** Loads a tokenizer.json; the error says what to do when the file is missing or not a tokenizer. */
export function loadTokenizer(file: string, options: LoadTokenizerOptions = {}): LoadedTokenizer {
  const notATokenizer = (err: unknown) => new Error(`--tokenizer ${file}: not a Hugging Face tokenizer.json (${(err as Error).message.split("\n")[0]})`);
  let text: string;
  let json: TokenizerJson;
  try {
    ({ text, json } = readTokenizerFile(file) as { text: string; json: TokenizerJson });
  } catch (err) {
    if (err instanceof SyntaxError) throw notATokenizer(err);
    throw new Error(`--tokenizer ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give the path of a Hugging Face tokenizer.json, or make one with 'korpipe train-tokenizer'`);
  }
  let hf: HfTokenizer | undefined;
  const library = (): HfTokenizer => {
    try {
      return (hf ??= Tokenizer.fromString(text));
    } catch (err) {
      throw notATokenizer(err);
    }
  };
  if (!options.lazy) library();
  const addedTokens = (json.added_tokens ?? []).map((t) => ({ id: t.id, content: t.content, special: Boolean(t.special), normalized: Boolean(t.normalized) }));
  const specialTokens = new Map(addedTokens.filter((t) => t.special).map((t) => [t.content, t.id] as const));
  // The model's vocabulary as the file lists it (BPE, WordPiece, WordLevel: token → id; Unigram: [piece, score] at its id).
  const vocab = json.model?.vocab;
  const listed = vocab === undefined ? undefined : Array.isArray(vocab) ? new Map(vocab.map(([piece], i) => [piece, i] as const)) : new Map(Object.entries(vocab));
  // Trusted only when the library would give every added token the id the file says; otherwise it is asked.
  const modelIds = listed && addedIdsAsLibraryGives(listed, addedTokens) ? listed : undefined;
  const added = new Map(addedTokens.map((t) => [t.content, t.id] as const));
  let vocabSize: number;
  let maxId = -1;
  if (modelIds) {
    // get_vocab_size(true) is the size of get_vocab(true): the model's tokens and the added ones, by content.
    vocabSize = modelIds.size;
    for (const t of added.keys()) if (!modelIds.has(t)) vocabSize++;
    for (const id of modelIds.values()) if (id > maxId) maxId = id;
  } else {
    vocabSize = library().getVocabSize(true);
    for (const id of Object.values(library().getVocab(true))) if (id > maxId) maxId = id;
  }
  for (const t of addedTokens) if (t.id > maxId) maxId = t.id;
  const idLimit = Math.max(vocabSize, maxId + 1);
  return {
    path: file,
    get tokenizer() {
      return library();
    },
    vocabSize,
    idLimit,
    addedTokens,
    specialTokens,
    dtype: dtypeForVocabSize(idLimit),
    tokenToId(token) {
      if (modelIds) return added.get(token) ?? modelIds.get(token);
      return library().tokenToId(token) ?? undefined;
    },
  };
}

/**
 * Whether the library, loading this file, gives each added token the id the file lists. It adds
 * them in file order: a token of the model's vocabulary keeps its id, a repeated one its first id,
 * a new one the next id from the vocabulary's size. Files the library saved always agree; a
 * hand-edited one with gaps or moved ids does not, and then only the library can say.
 */
function addedIdsAsLibraryGives(modelIds: Map<string, number>, addedTokens: AddedToken[]): boolean {
  for (const id of modelIds.values()) if (id >= modelIds.size) return false;
  const seen = new Map<string, number>();
  let next = modelIds.size;
  for (const t of addedTokens) {
    const expected = modelIds.get(t.content) ?? seen.get(t.content) ?? next++;
    if (t.id !== expected) return false;
    seen.set(t.content, expected);
  }
  return true;
}

/** The id appended after each document: that of `token` (default `<|endoftext|>`), which must be one token. */
export function eodTokenId(tok: LoadedTokenizer, token: string = DEFAULT_EOD_TOKEN): number {
  const id = tok.tokenToId(token);
  if (id === undefined) {
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
