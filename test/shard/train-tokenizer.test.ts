import { readFileSync } from "node:fs";
import fc from "fast-check";
import { byteLevelAlphabet, byteLevelPreTokenizer, Tokenizer } from "tokenizers";
import { describe, expect, it } from "vitest";
import { BYTE_TO_CHAR, byteLevelWords, toByteLevel } from "../../src/shard/byte-level.js";
import { learnBpe } from "../../src/shard/learn-bpe.js";
import { trainTokenizer } from "../../src/shard/train-tokenizer.js";
import { loadTokenizer } from "../../src/shard/tokenizer.js";
import { tmpDir } from "../helpers/tmp.js";
import { koreanDocs, koreanParagraph, writeTestTokenizer } from "./korean-text.js";

const library = byteLevelPreTokenizer(false, true);
const libraryWords = (text: string) => library.preTokenizeString(text).map(([piece]) => piece);
const ourWords = (text: string) => byteLevelWords(text).map(toByteLevel);

describe("byte-level pre-tokenization", () => {
  it("uses the same 256 characters as the tokenizers library, space as Ġ and newline as Ċ", () => {
    expect(new Set(BYTE_TO_CHAR)).toEqual(new Set(byteLevelAlphabet()));
    expect(BYTE_TO_CHAR[0x20]).toBe("Ġ");
    expect(BYTE_TO_CHAR[0x0a]).toBe("Ċ");
    expect(BYTE_TO_CHAR[0x41]).toBe("A");
  });

  it("splits text into the same words as the library's ByteLevel pre-tokenizer", () => {
    const texts = [
      koreanParagraph(3, 4),
      "서울 2024년 1월 5일, 010-1234-5678로 연락하세요!!  두 칸   세 칸\n\n줄바꿈\t탭",
      "It's what we'll do; they've 3.14 apples... 😀 이모지 ㅋㅋㅋ",
      "   앞 공백과 뒤 공백   ",
      "한글English섞어123쓰기(괄호)「인용」",
    ];
    for (const t of texts) expect(ourWords(t)).toEqual(libraryWords(t));
  });

  it("treats U+0085 as whitespace and U+FEFF as a symbol, as the library's Oniguruma does (JavaScript's \\s is the reverse)", () => {
    for (const t of ["가\u0085나", "a \u0085\u0085b", "\ufeff한국", "x \ufeff y", "\u0085", "끝\ufeff\u0085 "]) expect(ourWords(t)).toEqual(libraryWords(t));
    expect(byteLevelWords("가\u0085나")).toEqual(["가", "\u0085", "나"]);
    expect(byteLevelWords("가 \ufeff나")).toEqual(["가", " \ufeff", "나"]);
  });

  it("agrees with the library on arbitrary mixes of Hangul, Latin, digits, punctuation and whitespace", () => {
    const char = fc.constantFrom(..."가나다한글 ABCabc019.,!?'\"-\n\t  ()😀ㄱㅏ");
    fc.assert(
      fc.property(fc.array(char, { maxLength: 40 }).map((cs) => cs.join("")), (t) => {
        expect(ourWords(t)).toEqual(libraryWords(t));
      }),
      { numRuns: 300 },
    );
  });
});

describe("learning BPE merges", () => {
  it("merges the most frequent pair first and stops below the minimum frequency", () => {
    const model = learnBpe(new Map([["ab", 5], ["abc", 3], ["bc", 1]]), { vocabSize: 1000, specialTokens: ["<s>"] });
    // (a,b) is seen 8 times, then (ab,c) 3 times; (b,c) is left with 1, under the default minimum of 2.
    expect(model.merges).toEqual([["a", "b"], ["ab", "c"]]);
    expect(model.vocab.get("<s>")).toBe(0);
    expect(model.vocab.get(BYTE_TO_CHAR[0]!)).toBe(1);
    expect(model.vocab.get("ab")).toBe(257);
    expect(model.vocab.get("abc")).toBe(258);
    expect(model.vocab.size).toBe(259);
  });

  it("breaks ties between equally frequent pairs by the lower ids", () => {
    const model = learnBpe(new Map([["cd", 2], ["ab", 2]]), { vocabSize: 1000, specialTokens: [] });
    expect(model.merges).toEqual([["a", "b"], ["c", "d"]]);
  });

  it("merges a repeated symbol left to right: aaaa becomes aa aa, aaa becomes aa a", () => {
    const model = learnBpe(new Map([["aaaa", 2], ["aaa", 1]]), { vocabSize: 1000, specialTokens: [], minFrequency: 1 });
    // After (a,a): (aa,aa) is seen twice (in aaaa ×2), (aa,a) once (in aaa).
    expect(model.merges).toEqual([["a", "a"], ["aa", "aa"], ["aa", "a"]]);
  });

  it("stops exactly at the vocabulary size and refuses one below 256 bytes + special tokens", () => {
    const words = new Map(koreanDocs(50).flatMap((d) => byteLevelWords(d.text)).map((w) => [toByteLevel(w), 3]));
    expect(learnBpe(words, { vocabSize: 300, specialTokens: ["<|endoftext|>"] }).vocab.size).toBe(300);
    expect(() => learnBpe(words, { vocabSize: 256, specialTokens: ["<|endoftext|>"] })).toThrow(/below the 257 tokens/);
  });
});

describe("training a tokenizer.json", () => {
  it("writes a file the tokenizers library loads, with the special tokens at ids 0-3", async () => {
    const file = await writeTestTokenizer(tmpDir());
    const tok = loadTokenizer(file);
    expect([...tok.specialTokens]).toEqual([["<|endoftext|>", 0], ["<|rrn|>", 1], ["<|tell|>", 2], ["<|acc|>", 3]]);
    expect(tok.vocabSize).toBe(400);
    const ids = (await tok.tokenizer.encode("전화 <|tell|> 끝<|endoftext|>")).getIds();
    expect(ids).toContain(2);
    expect(ids[ids.length - 1]).toBe(0);
  });

  it("gives every text back exactly when decoding its ids, seen in training or not", async () => {
    const tok = Tokenizer.fromFile(await writeTestTokenizer(tmpDir()));
    const texts = [koreanParagraph(11, 4), "처음 보는 낱말: 꿻뷁 ☃ 😀 English 42\n  두 줄", " 앞 공백", ""];
    for (const t of texts) expect(await tok.decode((await tok.encode(t)).getIds(), false)).toBe(t);
  });

  it("learns a frequent word as a single token", async () => {
    const docs = [...koreanDocs(50), ...Array.from({ length: 30 }, (_, i) => ({ id: `w${i}`, text: "오늘도 도서관 가는 길 도서관 앞 도서관", meta: {} }))];
    const trained = await trainTokenizer(docs, { vocabSize: 400 });
    const tok = Tokenizer.fromString(trained.json);
    expect((await tok.encode(" 도서관")).getTokens()).toEqual([toByteLevel(" 도서관")]);
  });

  it("normalizes to NFC, so decomposed Hangul gets the ids of composed Hangul", async () => {
    const tok = Tokenizer.fromFile(await writeTestTokenizer(tmpDir()));
    const composed = "도서관은 조용하다";
    expect((await tok.encode(composed.normalize("NFD"))).getIds()).toEqual((await tok.encode(composed)).getIds());
  });

  it("is a pure function of the documents: training twice gives the same file", async () => {
    const a = await writeTestTokenizer(tmpDir());
    const b = await writeTestTokenizer(tmpDir());
    expect(readFileSync(a, "utf8")).toBe(readFileSync(b, "utf8"));
  });

  it("does not learn merges across special tokens in the training text", async () => {
    const docs = Array.from({ length: 20 }, (_, i) => ({ id: String(i), text: "번호<|tell|>번호", meta: {} }));
    const trained = await trainTokenizer(docs, { vocabSize: 1000, specialTokens: ["<|tell|>"] });
    const merges = (JSON.parse(trained.json) as { model: { merges: string[] } }).model.merges;
    expect(merges.some((m) => m.includes("<") || m.includes("|"))).toBe(false);
  });
});
