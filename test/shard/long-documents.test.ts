import { readFileSync } from "node:fs";
import { Tokenizer } from "tokenizers";
import { describe, expect, it } from "vitest";
import { loadEngine } from "../../src/shard/engine/engines.js";
import { cutAtSpaces, cutsAreExact } from "../../src/shard/engine/long-documents.js";
import { encodeBatch } from "../../src/shard/encode-batch.js";
import { tokenizeDocuments, TokenizerPool } from "../../src/shard/tokenize-documents.js";
import { tmpDir } from "../helpers/tmp.js";
import { edgeCases } from "./edge-cases.js";
import { POLYGLOT_TOKENIZER, SAMPLE_TOKENIZER, writeGpt2StyleTokenizer } from "./engine-oracle.js";
import { koreanParagraph } from "./korean-text.js";

const json = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;

/** Long texts with every kind of edge case inside, so cuts land next to all of them. */
function longTexts(): string[] {
  const cases = edgeCases(2400, 3);
  return Array.from({ length: 12 }, (_, i) => cases.slice(i * 200, i * 200 + 200).map((c, k) => `${koreanParagraph(i + k, 1)} ${c}`).join(k2(i)));
}
const k2 = (i: number) => ["", " ", "\n", "  "][i % 4]!;

describe("cutting long documents at exact boundaries", () => {
  it("cuts only before a space that follows a non-space, and the pieces join back to the text", () => {
    for (const text of longTexts()) {
      const pieces = cutAtSpaces(text, 64);
      expect(pieces.length).toBeGreaterThan(10);
      expect(pieces.join("")).toBe(text);
      for (const p of pieces.slice(1)) expect(p[0]).toBe(" ");
      let at = 0;
      for (const p of pieces.slice(0, -1)) {
        at += p.length;
        expect(/\p{White_Space}/u.test(text[at - 1]!)).toBe(false);
      }
    }
    expect(cutAtSpaces("short text", 64)).toEqual(["short text"]);
    expect(cutAtSpaces("x".repeat(200), 64)).toEqual(["x".repeat(200)]); // no space: one piece
  });

  const shapes: [string, () => Promise<string>][] = [
    ["the sample tokenizer (NFC)", async () => SAMPLE_TOKENIZER],
    ["a GPT-2-style tokenizer (prefix space)", async () => writeGpt2StyleTokenizer(tmpDir())],
    ...(POLYGLOT_TOKENIZER ? [["Polyglot-Ko (Split on U+0CF1)", async () => POLYGLOT_TOKENIZER!] as [string, () => Promise<string>]] : []),
  ];
  for (const [name, file] of shapes) {
    it(`gives the library's whole-text ids when the library encodes the pieces, with ${name}`, async () => {
      const f = await file();
      expect(cutsAreExact(json(f))).toBe(true);
      const tok = Tokenizer.fromFile(f);
      for (const text of longTexts()) {
        const whole = (await tok.encode(text)).getIds();
        const pieces = (await tok.encodeBatch(cutAtSpaces(text, 50))).flatMap((e) => e.getIds());
        expect(pieces).toEqual(whole);
      }
    });
  }

  it("encodes a document of several pieces to the library's whole-text ids, with both engines", async () => {
    const file = POLYGLOT_TOKENIZER ?? SAMPLE_TOKENIZER;
    let text = "";
    const chunkChars = 20_000;
    for (let i = 0; text.length < 5.5 * chunkChars; i++) text += koreanParagraph(i, 3) + (i % 50 === 0 ? "\n\n" : " ");
    const whole = (await Tokenizer.fromFile(file).encode(text)).getIds();
    const short = ["짧은 글", "끝"].map(async (t) => (await Tokenizer.fromFile(file).encode(t)).getIds());
    const [first, last] = await Promise.all(short);
    const eod = 2;
    for (const engine of ["fast", "hf"] as const) {
      const { tokens, lengths } = await encodeBatch(loadEngine(file, engine, { chunkChars }), ["짧은 글", text, "끝"], { eodId: eod, dtype: "int32" });
      expect(Array.from(lengths)).toEqual([first!.length + 1, whole.length + 1, last!.length + 1]);
      const expected = Int32Array.from([...first!, eod, ...whole, eod, ...last!, eod]);
      // One comparison of two buffers: a deep equality of a hundred thousand numbers is slow.
      expect(Buffer.from(tokens.buffer, tokens.byteOffset, tokens.byteLength).equals(Buffer.from(expected.buffer))).toBe(true);
    }
  });

  it("sends long documents to worker threads as exact pieces, with the library's whole-text ids, for both engines and many piece sizes", async () => {
    const file = POLYGLOT_TOKENIZER ?? SAMPLE_TOKENIZER;
    const tok = Tokenizer.fromFile(file);
    const long = longTexts();
    // Long documents between short ones, so a batch holds both kinds and pieces of one document
    // land on different workers (each with its own word cache).
    const texts = long.flatMap((t, i) => [koreanParagraph(i, 1), t]).concat(["끝"]);
    const eod = 2;
    const expected: number[] = [];
    for (const t of texts) expected.push(...(await tok.encode(t)).getIds(), eod);
    const want = Buffer.from(Int32Array.from(expected).buffer);
    for (const engine of ["fast", "hf"] as const) {
      for (const longTextChars of [64, 997, 20_000]) {
        const pool = new TokenizerPool({ tokenizerPath: file, workers: 2, engine, longTextChars });
        try {
          const docs = texts.map((text, i) => ({ id: String(i), text, meta: {} }));
          const got: number[] = [];
          for await (const { ids } of tokenizeDocuments(docs, { pool, eodId: eod, dtype: "int32", batchSize: 5 })) got.push(...ids);
          expect(Buffer.from(Int32Array.from(got).buffer).equals(want), `${engine}, pieces of ${longTextChars}`).toBe(true);
        } finally {
          await pool.close();
        }
      }
    }
  }, 120_000);

  it("does not cut for tokenizers where a cut could change ids", async () => {
    const base = json(SAMPLE_TOKENIZER);
    const variant = (change: (j: Record<string, unknown>) => void) => {
      const j = structuredClone(base);
      change(j);
      return cutsAreExact(j);
    };
    expect(variant(() => {})).toBe(true);
    expect(variant((j) => (j.added_tokens as { content: string }[]).push({ content: "new line", id: 5000 } as never))).toBe(false);
    expect(variant((j) => ((j.added_tokens as { rstrip: boolean }[])[0]!.rstrip = true))).toBe(false);
    expect(variant((j) => (j.pre_tokenizer = { type: "ByteLevel", add_prefix_space: false, use_regex: false }))).toBe(false);
    expect(variant((j) => (j.normalizer = { type: "NFKC" }))).toBe(false);
    expect(variant((j) => (j.post_processor = { type: "TemplateProcessing", single: [], pair: [], special_tokens: {} }))).toBe(false);
    expect(variant((j) => (j.pre_tokenizer = { type: "Sequence", pretokenizers: [{ type: "Split", pattern: { String: " x" }, behavior: "Removed" }, base.pre_tokenizer] }))).toBe(false);
  });
});
