/**
 * The differential-test harness: Hugging Face tokenizers is the oracle, and each engine must give
 * its ids for every text. Also the tokenizers the tests hold the engine to: the sample (made by
 * `korpipe train-tokenizer`, NFC normalizer), Polyglot-Ko when ../shared has it, and a GPT-2-style
 * one (prefix space, no normalizer, ids shuffled so that a merge's rank is not its token's id).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Tokenizer } from "tokenizers";
import { expect } from "vitest";
import { loadEngine, type EngineName } from "../../src/shard/engine/engines.js";
import { IdBuffer } from "../../src/shard/engine/id-buffer.js";
import { trainTokenizer } from "../../src/shard/train-tokenizer.js";
import { ROOT } from "../helpers/cli.js";
import { koreanDocs } from "./korean-text.js";

export const SAMPLE_TOKENIZER = path.join(ROOT, "samples/tokenizer.json");
const polyglot = path.resolve(ROOT, "../shared/tokenizers/polyglot-ko/tokenizer.json");
/** Polyglot-Ko's tokenizer.json when ../shared is present. */
export const POLYGLOT_TOKENIZER: string | undefined = existsSync(polyglot) ? polyglot : undefined;
const corpora = path.resolve(ROOT, "../shared/corpora");

/** Ids per text from Hugging Face tokenizers' own `encodeBatch`. */
export async function oracleIds(file: string, texts: string[]): Promise<number[][]> {
  const tok = Tokenizer.fromFile(file);
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += 512) for (const e of await tok.encodeBatch(texts.slice(i, i + 512))) out.push(e.getIds());
  return out;
}

/** Ids per text from one of korpipe's engines. */
export async function engineIds(file: string, texts: string[], engine: EngineName = "fast", cacheEntries?: number): Promise<number[][]> {
  const e = loadEngine(file, engine, { cacheEntries });
  const out = new IdBuffer();
  const ends = new Int32Array(texts.length);
  await e.encodeAll(texts, out, ends);
  return Array.from(ends, (end, i) => Array.from(out.ids.subarray(i === 0 ? 0 : ends[i - 1], end)));
}

/** Fails naming the first texts (escaped) whose ids differ, and how many do. */
export function expectSameIds(texts: string[], got: number[][], expected: number[][]): void {
  expect(got.length).toBe(expected.length);
  const bad: string[] = [];
  let count = 0;
  for (let i = 0; i < texts.length; i++) {
    if (got[i]!.join() === expected[i]!.join()) continue;
    if (count++ < 3) bad.push(`#${i} ${JSON.stringify(texts[i]!.slice(0, 120))}: got ${got[i]!.slice(0, 12).join(" ")}, expected ${expected[i]!.slice(0, 12).join(" ")}`);
  }
  expect(bad, `${count} of ${texts.length} texts differ`).toEqual([]);
}

export async function expectExact(file: string, texts: string[], cacheEntries?: number): Promise<void> {
  expectSameIds(texts, await engineIds(file, texts, "fast", cacheEntries), await oracleIds(file, texts));
}

/** Every text of ../shared/corpora (news lines, KorQuAD contexts and questions); empty when absent. */
export function sharedCorpusTexts(): string[] {
  if (!existsSync(corpora)) return [];
  const texts: string[] = [];
  for (const name of readdirSync(corpora).sort()) {
    const file = path.join(corpora, name);
    if (name.endsWith(".txt")) texts.push(...readFileSync(file, "utf8").split("\n").filter(Boolean));
    if (name.endsWith(".json")) {
      const walk = (v: unknown): void => {
        if (typeof v === "string") texts.push(v);
        else if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) if (k === "context" || k === "question" || k === "text" || typeof x === "object") walk(x);
      };
      walk(JSON.parse(readFileSync(file, "utf8")));
    }
  }
  return texts;
}

const english = [
  "The quick brown fox's den isn't where we'd left it, and they've said we'll see.",
  "It's 2023-01-15; call 010-1234-5678 or e-mail me@example.com before 5pm!",
  "Well... I'M sure THEY'RE right, aren't they? Don't you think so?",
];

/**
 * A GPT-2-style tokenizer.json trained by korpipe on Korean and English text, then reshaped: no
 * normalizer, ByteLevel with add_prefix_space, a ByteLevel post-processor, merges as [a, b]
 * pairs, and token ids shuffled so that no merge's rank equals its token's id.
 */
export async function writeGpt2StyleTokenizer(dir: string, preTokenizerSplits: unknown[] = []): Promise<string> {
  const docs = [...koreanDocs(200), ...english.map((text, i) => ({ id: `e${i}`, text, meta: {} }))];
  const trained = await trainTokenizer(docs, { vocabSize: 700, specialTokens: ["<|rrn|>", "<|tell|>", "<|acc|>"], minFrequency: 1 });
  const json = JSON.parse(trained.json) as {
    normalizer: unknown;
    pre_tokenizer: unknown;
    post_processor: unknown;
    added_tokens: { id: number; content: string }[];
    model: { vocab: Record<string, number>; merges: (string | [string, string])[] };
  };
  const specials = new Set(json.added_tokens.map((t) => t.id));
  const ordinary = Object.entries(json.model.vocab).filter(([, id]) => !specials.has(id));
  const freeIds = ordinary.map(([, id]) => id).reverse(); // the last merged token gets the first id, and so on
  ordinary.forEach(([token], i) => (json.model.vocab[token] = freeIds[i]!));
  json.model.merges = json.model.merges.map((m) => (typeof m === "string" ? (m.split(" ") as [string, string]) : m));
  json.normalizer = null;
  const byteLevel = { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true };
  json.pre_tokenizer = preTokenizerSplits.length > 0 ? { type: "Sequence", pretokenizers: [...preTokenizerSplits, byteLevel] } : byteLevel;
  json.post_processor = { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true };
  const file = path.join(dir, `gpt2-style-${preTokenizerSplits.length}.json`);
  writeFileSync(file, JSON.stringify(json));
  return file;
}
