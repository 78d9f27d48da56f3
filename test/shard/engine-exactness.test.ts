import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readDocuments, resolveInputs } from "../../src/index.js";
import { libraryNormalizer } from "../../src/shard/engine/engines.js";
import { FastEncoder } from "../../src/shard/engine/fast-encoder.js";
import { IdBuffer } from "../../src/shard/engine/id-buffer.js";
import { engineSpec } from "../../src/shard/engine/tokenizer-spec.js";
import { ROOT } from "../helpers/cli.js";
import { collect, tmpDir } from "../helpers/tmp.js";
import { edgeCases } from "./edge-cases.js";
import { engineIds, expectExact, expectSameIds, oracleIds, POLYGLOT_TOKENIZER, SAMPLE_TOKENIZER, sharedCorpusTexts, writeGpt2StyleTokenizer } from "./engine-oracle.js";
import { koreanParagraph } from "./korean-text.js";

const EDGE_CASES = edgeCases(4000);

async function sampleCorpusTexts(): Promise<string[]> {
  const files = await resolveInputs([path.join(ROOT, "samples/corpus")]);
  const docs = await collect(readDocuments(files, { jsonPath: "data.*.paragraphs.*.context" }));
  return docs.map((d) => d.text);
}

describe("the fast engine gives Hugging Face's ids", () => {
  it("generates at least 2,000 edge cases, every Unicode category among them", () => {
    expect(EDGE_CASES.length).toBeGreaterThanOrEqual(2000);
    for (const probe of ["\u0085", "\ufeff", "\u0cf1", "\ud800", "👨‍👩‍👧‍👦", "<|rrn|>", "한국어".normalize("NFD")]) {
      expect(EDGE_CASES.some((t) => t.includes(probe))).toBe(true);
    }
  });

  it("on the edge cases, with the sample tokenizer made by korpipe train-tokenizer (NFC normalizer)", async () => {
    await expectExact(SAMPLE_TOKENIZER, EDGE_CASES);
  });

  it("on the edge cases, with a GPT-2-style tokenizer (prefix space, merge ranks unlike ids)", async () => {
    await expectExact(await writeGpt2StyleTokenizer(tmpDir()), EDGE_CASES);
  });

  it("on the edge cases, with literal Split pre-tokenizers before ByteLevel (removed and isolated)", async () => {
    const splits = [
      { type: "Split", pattern: { String: "\u0cf1" }, behavior: "Removed", invert: false },
      { type: "Split", pattern: { String: "--" }, behavior: "Isolated", invert: false },
    ];
    const file = await writeGpt2StyleTokenizer(tmpDir(), splits);
    await expectExact(file, [...EDGE_CASES.slice(0, 1500), "a--b", "----", "x\u0cf1--\u0cf1y", "\u0cf1", " -- \u0cf1 "]);
  });

  it.skipIf(!POLYGLOT_TOKENIZER)("on the edge cases, with the Polyglot-Ko tokenizer", async () => {
    await expectExact(POLYGLOT_TOKENIZER!, EDGE_CASES);
  });

  it("on every document of the bundled sample corpus", async () => {
    await expectExact(SAMPLE_TOKENIZER, await sampleCorpusTexts());
  });

  it.skipIf(!POLYGLOT_TOKENIZER || sharedCorpusTexts().length === 0)("on every text of ../shared/corpora, with Polyglot-Ko and the sample tokenizer", async () => {
    const texts = sharedCorpusTexts();
    expect(texts.length).toBeGreaterThan(1000);
    await expectExact(POLYGLOT_TOKENIZER!, texts);
    await expectExact(SAMPLE_TOKENIZER, texts);
  });

  it("when a tiny word cache is cleared again and again in the middle of a batch", async () => {
    const texts = Array.from({ length: 300 }, (_, i) => `${koreanParagraph(i, 1 + (i % 5))} ${EDGE_CASES[i]}`);
    const spec = engineSpec(JSON.parse(readFileSync(SAMPLE_TOKENIZER, "utf8"))).spec!;
    const encoder = new FastEncoder(spec, { cacheEntries: 8, normalize: libraryNormalizer(spec.normalizers) });
    const out = new IdBuffer();
    const ends: number[] = [];
    for (const t of texts) {
      encoder.encode(t, out);
      ends.push(out.length);
    }
    expect(encoder.cache.resets).toBeGreaterThan(100);
    const got = ends.map((end, i) => Array.from(out.ids.subarray(i === 0 ? 0 : ends[i - 1], end)));
    expectSameIds(texts, got, await oracleIds(SAMPLE_TOKENIZER, texts));
    // The same texts again, now mostly cache hits on a cache refilled since: same ids.
    expectSameIds(texts, await engineIds(SAMPLE_TOKENIZER, texts, "fast", 8), got);
  });
});
