/**
 * A byte-level BPE tokenizer.json trained on the user's own text, shaped like Polyglot-Ko's (byte
 * level, no prefix space) plus an NFC normalizer, with `<|endoftext|>` and the privacy tokens as
 * special tokens. The `tokenizers` Node binding cannot configure a trainer (no vocabulary size, no
 * special tokens), so the merges are learned here and the file is written in the library's format.
 */
import type { Document } from "../types.js";
import { byteLevelWords, toByteLevel } from "./byte-level.js";
import { learnBpe, type BpeModel } from "./learn-bpe.js";
import { DEFAULT_EOD_TOKEN } from "./tokenizer.js";

export interface TrainTokenizerOptions {
  vocabSize: number;
  /** Special tokens after `<|endoftext|>` (id 0), e.g. the privacy tokens, in id order. */
  specialTokens?: string[];
  minFrequency?: number;
  /** Progress of the merge phase, after the words are counted (see LearnBpeOptions.onMerge). */
  onMerge?: (vocabSize: number, target: number) => void;
}

export interface TrainedTokenizer {
  /** The tokenizer.json text. */
  json: string;
  vocabSize: number;
  merges: number;
  documents: number;
  /** Distinct pre-tokenized words the merges were learned from. */
  distinctWords: number;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Counts byte-level words the way the tokenizer will see them: NFC first, special tokens cut out. */
export async function countWords(texts: AsyncIterable<string> | Iterable<string>, specialTokens: string[]): Promise<{ counts: Map<string, number>; documents: number }> {
  const raw = new Map<string, number>();
  const specials = specialTokens.length ? new RegExp(specialTokens.map(escapeRegExp).join("|"), "g") : undefined;
  let documents = 0;
  for await (const text of texts) {
    documents++;
    for (const part of specials ? text.normalize("NFC").split(specials) : [text.normalize("NFC")]) {
      for (const word of byteLevelWords(part)) raw.set(word, (raw.get(word) ?? 0) + 1);
    }
  }
  // Byte-level spelling once per distinct word rather than once per occurrence.
  const counts = new Map<string, number>();
  for (const [word, n] of raw) {
    const key = toByteLevel(word);
    counts.set(key, (counts.get(key) ?? 0) + n);
  }
  return { counts, documents };
}

/** The tokenizer.json for a learned model; merges as "a b" strings, which every `tokenizers` version reads. */
export function tokenizerJson(model: BpeModel, specialTokens: string[]): string {
  const byteLevel = { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true };
  const json = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: specialTokens.map((content) => ({
      id: model.vocab.get(content)!,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: "NFC" },
    pre_tokenizer: byteLevel,
    post_processor: null,
    decoder: byteLevel,
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      vocab: Object.fromEntries(model.vocab),
      merges: model.merges.map(([a, b]) => `${a} ${b}`),
    },
  };
  return JSON.stringify(json) + "\n";
}

/** Trains on documents' text; special tokens are `<|endoftext|>` then `options.specialTokens`. */
export async function trainTokenizer(docs: AsyncIterable<Document> | Iterable<Document>, options: TrainTokenizerOptions): Promise<TrainedTokenizer> {
  const specialTokens = [...new Set([DEFAULT_EOD_TOKEN, ...(options.specialTokens ?? [])])];
  async function* texts() {
    for await (const doc of docs) yield doc.text;
  }
  const { counts, documents } = await countWords(texts(), specialTokens);
  const model = learnBpe(counts, { vocabSize: options.vocabSize, specialTokens, minFrequency: options.minFrequency, ...(options.onMerge ? { onMerge: options.onMerge } : {}) });
  return { json: tokenizerJson(model, specialTokens), vocabSize: model.vocab.size, merges: model.merges.length, documents, distinctWords: counts.size };
}
