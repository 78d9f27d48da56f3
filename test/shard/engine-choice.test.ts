import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chooseEngine, loadEngine } from "../../src/shard/engine/engines.js";
import { readDocument, readIndexedDataset } from "../../src/shard/indexed-dataset.js";
import { tokenizeToShards } from "../../src/shard/tokenize-to-shards.js";
import { tmpDir } from "../helpers/tmp.js";
import { oracleIds, SAMPLE_TOKENIZER } from "./engine-oracle.js";
import { koreanDocs } from "./korean-text.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function variant(change: (j: Json) => void): string {
  const j = JSON.parse(readFileSync(SAMPLE_TOKENIZER, "utf8")) as Json;
  change(j);
  const file = path.join(tmpDir(), "tokenizer.json");
  writeFileSync(file, JSON.stringify(j));
  return file;
}

const unsupported: [string, (j: Json) => void, RegExp][] = [
  ["byte_fallback", (j) => (j.model.byte_fallback = true), /byte_fallback/],
  ["dropout", (j) => (j.model.dropout = 0.1), /dropout/],
  ["a regex Split", (j) => (j.pre_tokenizer = { type: "Sequence", pretokenizers: [{ type: "Split", pattern: { Regex: "\\d" }, behavior: "Isolated", invert: false }, j.pre_tokenizer] }), /regex pattern/],
  ["a Metaspace pre-tokenizer", (j) => (j.pre_tokenizer = { type: "Metaspace", replacement: "▁", prepend_scheme: "always", split: true }), /Metaspace/],
  ["a Lowercase normalizer", (j) => (j.normalizer = { type: "Lowercase" }), /Lowercase/],
  ["a post-processor that adds tokens", (j) => (j.post_processor = { type: "TemplateProcessing", single: [{ SpecialToken: { id: "<|endoftext|>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }], pair: [{ Sequence: { id: "A", type_id: 0 } }], special_tokens: { "<|endoftext|>": { id: "<|endoftext|>", ids: [0], tokens: ["<|endoftext|>"] } } }), /TemplateProcessing/],
  ["an added token with lstrip", (j) => (j.added_tokens[1].lstrip = true), /strips spaces/],
];

describe("choosing the tokenizing engine", () => {
  it("uses the fast engine for a byte-level BPE it reproduces, under auto and fast", () => {
    // The sample tokenizer also lets a long text be cut into exact pieces, so workers are sent pieces.
    expect(chooseEngine(SAMPLE_TOKENIZER)).toEqual({ engine: "fast", exactCuts: true });
    expect(chooseEngine(SAMPLE_TOKENIZER, "fast")).toEqual({ engine: "fast", exactCuts: true });
    expect(chooseEngine(SAMPLE_TOKENIZER, "hf")).toEqual({ engine: "hf", exactCuts: true });
  });

  for (const [what, change, reason] of unsupported) {
    it(`falls back to Hugging Face with one notice saying why for ${what}, and refuses --engine fast`, () => {
      const file = variant(change);
      const plan = chooseEngine(file, "auto");
      expect(plan.engine).toBe("hf");
      expect(plan.notice).toMatch(reason);
      expect(plan.notice).toContain(file);
      expect(plan.notice!.split("\n")).toHaveLength(1);
      expect(() => chooseEngine(file, "fast")).toThrow(new RegExp(`--engine fast: .*${reason.source}.*use --engine auto or hf`));
    });
  }

  it("tokenizes with the library's ids after falling back, telling the caller once", async () => {
    const file = variant(unsupported[6]![1]);
    const docs = koreanDocs(40);
    const notices: string[] = [];
    const prefix = path.join(tmpDir(), "ko");
    const { shards } = await tokenizeToShards(docs, { prefix, tokenizer: file, privacyTokens: null, eod: false, workers: 1, onNotice: (l) => notices.push(l) });
    expect(notices).toHaveLength(1);
    const expected = await oracleIds(file, docs.map((d) => d.text));
    const dataset = readIndexedDataset(shards[0]!.path);
    expected.forEach((ids, i) => expect(Array.from(readDocument(dataset, i))).toEqual(ids));
  });

  it("refuses to build the fast engine for a tokenizer it does not reproduce", () => {
    expect(() => loadEngine(variant(unsupported[0]![1]), "fast")).toThrow(/cannot reproduce this tokenizer \(its BPE uses byte_fallback\)/);
  });
});
