import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Tokenizer } from "tokenizers";
import { describe, expect, it } from "vitest";
import { PRIVACY_TOKEN_PRESETS } from "../../src/pii/privacy-tokens.js";
import { encodeBatch } from "../../src/shard/encode-batch.js";
import { loadEngine } from "../../src/shard/engine/engines.js";
import { checkPrivacyTokens, editDistance, PrivacyTokenError } from "../../src/shard/privacy-check.js";
import { eodTokenId, loadTokenizer } from "../../src/shard/tokenizer.js";
import { tmpDir } from "../helpers/tmp.js";
import { koreanParagraph, writeTestTokenizer } from "./korean-text.js";

const POLYGLOT = fileURLToPath(new URL("../../../shared/tokenizers/polyglot-ko/tokenizer.json", import.meta.url));
const DEFAULT_TOKENS = PRIVACY_TOKEN_PRESETS.default!;
const POLYGLOT_TOKENS = PRIVACY_TOKEN_PRESETS["polyglot-ko"]!;

describe("loading a tokenizer", () => {
  it("says what to do when the file is missing or not a tokenizer.json", () => {
    const dir = tmpDir();
    expect(() => loadTokenizer(path.join(dir, "nope.json"))).toThrow(/cannot read it \(ENOENT\).*korpipe train-tokenizer/);
    writeFileSync(path.join(dir, "bad.json"), '{"hello": 1}');
    expect(() => loadTokenizer(path.join(dir, "bad.json"))).toThrow(/not a Hugging Face tokenizer\.json/);
  });

  it("finds the end-of-document id, and names the special tokens when <|endoftext|> is missing", async () => {
    const tok = loadTokenizer(await writeTestTokenizer(tmpDir()));
    expect(eodTokenId(tok)).toBe(0);
    expect(eodTokenId(tok, "<|acc|>")).toBe(3);
    expect(() => eodTokenId(tok, "</s>")).toThrow(/<\/s> is not in .*--eod-token .*<\|endoftext\|>, <\|rrn\|>.*--no-eod/);
  });
});

describe("what korpipe reads from tokenizer.json itself (no library tokenizer built in a task thread)", () => {
  /** The file's facts as Hugging Face's library reports them, for a comparison. */
  function libraryFacts(file: string, tokens: string[]) {
    const hf = Tokenizer.fromString(readFileSync(file, "utf8"));
    return { vocabSize: hf.getVocabSize(true), ids: tokens.map((t) => hf.tokenToId(t) ?? undefined) };
  }

  it("gives the library's vocabulary size and token ids, also for added tokens already in the vocabulary and ids beyond it", async () => {
    const dir = tmpDir();
    const file = await writeTestTokenizer(dir);
    const json = JSON.parse(readFileSync(file, "utf8"));
    const vocab = json.model.vocab as Record<string, number>;
    const [inVocab, inVocabId] = Object.entries(vocab).find(([t]) => t.length > 2)!;
    const top = Math.max(...Object.values(vocab), ...json.added_tokens.map((t: { id: number }) => t.id));
    json.added_tokens.push(
      { id: inVocabId, content: inVocab, single_word: false, lstrip: false, rstrip: false, normalized: true, special: false },
      { id: top + 5, content: "<|beyond|>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    );
    const edited = path.join(dir, "edited.json");
    writeFileSync(edited, JSON.stringify(json));
    for (const f of [file, edited, fileURLToPath(new URL("../../samples/tokenizer.json", import.meta.url)), ...(existsSync(POLYGLOT) ? [POLYGLOT] : [])]) {
      const probe = ["<|endoftext|>", "<|rrn|>", "<|beyond|>", inVocab, "a", "no such token"];
      const lazy = loadTokenizer(f, { lazy: true });
      const expected = libraryFacts(f, probe);
      expect(lazy.vocabSize, f).toBe(expected.vocabSize);
      expect(probe.map((t) => lazy.tokenToId(t)), f).toEqual(expected.ids);
    }
    const lazy = loadTokenizer(edited, { lazy: true });
    expect(lazy.idLimit).toBe(top + 6);
    await expect(checkPrivacyTokens(lazy, DEFAULT_TOKENS)).resolves.toEqual(await checkPrivacyTokens(loadTokenizer(edited), DEFAULT_TOKENS));
  });

  it("builds the library's tokenizer only when asked when lazy, and checks it loads at once when not", () => {
    const dir = tmpDir();
    const file = path.join(dir, "odd-model.json");
    // Valid JSON the library refuses: only building its tokenizer finds out.
    writeFileSync(file, JSON.stringify({ version: "1.0", added_tokens: [{ id: 1, content: "<|endoftext|>", special: true }], model: { type: "NoSuchModel", vocab: { a: 0 } } }));
    const lazy = loadTokenizer(file, { lazy: true });
    expect(eodTokenId(lazy)).toBe(1);
    expect(lazy.vocabSize).toBe(2);
    expect(() => lazy.tokenizer).toThrow(/not a Hugging Face tokenizer\.json/);
    expect(() => loadTokenizer(file)).toThrow(/not a Hugging Face tokenizer\.json/);
  });
});

describe("checking privacy tokens", () => {
  it("accepts tokens that are each one special token, and returns their ids", async () => {
    const tok = loadTokenizer(await writeTestTokenizer(tmpDir()));
    await expect(checkPrivacyTokens(tok, DEFAULT_TOKENS)).resolves.toEqual({ rrn: 1, tell: 2, acc: 3 });
  });

  it("stops on a token the tokenizer does not have, naming the nearest special token", async () => {
    const tok = loadTokenizer(await writeTestTokenizer(tmpDir(), ["<|rrn|>", "<|tel|>", "<|acc|>"]));
    const check = checkPrivacyTokens(tok, DEFAULT_TOKENS);
    await expect(check).rejects.toThrow(PrivacyTokenError);
    await expect(check).rejects.toThrow(/tell token <\|tell\|> is not a special token .*encodes to \d+ tokens.*nearest special token: <\|tel\|>/);
    await expect(check).rejects.toThrow(/--privacy-tokens rrn=<\|rrn\|>,tell=<\|tel\|>,acc=<\|acc\|>/);
  });

  it("refuses a token that is in the vocabulary only as an ordinary token", async () => {
    const dir = tmpDir();
    const tok = loadTokenizer(await writeTestTokenizer(dir, ["<|rrn|>", "<|acc|>"]));
    // Make <|tell|> one ordinary added token: it encodes to one id that is not special.
    tok.tokenizer.addTokens(["<|tell|>"]);
    await expect(checkPrivacyTokens(tok, DEFAULT_TOKENS)).rejects.toThrow(/<\|tell\|> is not a special token .*one ordinary \(not special\) token/);
  });

  it("measures edit distance between token spellings", () => {
    expect(editDistance("<|tell|>", "<|tel|>")).toBe(1);
    expect(editDistance("<|tell|>", "<|sep|>")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });
});

describe("the sample tokenizer (samples/tokenizer.json)", () => {
  it("has <|endoftext|> and the default privacy tokens as special tokens, so the samples tokenize with default flags", async () => {
    const tok = loadTokenizer(fileURLToPath(new URL("../../samples/tokenizer.json", import.meta.url)));
    expect(eodTokenId(tok)).toBe(0);
    await expect(checkPrivacyTokens(tok, DEFAULT_TOKENS)).resolves.toEqual({ rrn: 1, tell: 2, acc: 3 });
    expect(tok.dtype).toBe("uint16");
  });
});

describe.skipIf(!existsSync(POLYGLOT))("the Polyglot-Ko tokenizer (../shared, when present)", () => {
  it("has <|tel|> as id 30001 and fits uint16 (30,003 entries)", async () => {
    const tok = loadTokenizer(POLYGLOT);
    expect(tok.vocabSize).toBe(30003);
    expect(tok.dtype).toBe("uint16");
    expect(eodTokenId(tok)).toBe(2);
    await expect(checkPrivacyTokens(tok, POLYGLOT_TOKENS)).resolves.toEqual({ rrn: 30002, tell: 30001, acc: 30000 });
  });

  it("rejects the model card's spelling <|tell|>, pointing to <|tel|>", async () => {
    const tok = loadTokenizer(POLYGLOT);
    await expect(checkPrivacyTokens(tok, DEFAULT_TOKENS)).rejects.toThrow(/<\|tell\|> is not a special token.*nearest special token: <\|tel\|>/);
  });

  it("gives a Korean paragraph the ids of the tokenizer's own encode, with either engine", async () => {
    const own = Tokenizer.fromFile(POLYGLOT);
    const paragraph = `${koreanParagraph(5, 4)} 연락처는 <|tel|>입니다.`;
    const expected = (await own.encode(paragraph)).getIds();
    expect(expected).toContain(30001);
    for (const engine of ["fast", "hf"] as const) {
      const { tokens, lengths } = await encodeBatch(loadEngine(POLYGLOT, engine), [paragraph], { eodId: null, dtype: "uint16" });
      expect([...tokens]).toEqual(expected);
      expect(lengths[0]).toBe(expected.length);
    }
  });
});
