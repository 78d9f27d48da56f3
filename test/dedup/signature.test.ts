import { describe, expect, it } from "vitest";
import { xxh3 } from "@node-rs/xxhash";
import { exactJaccard, parseShingleSpec, Shingler, shingleStrings, prepareText } from "../../src/dedup/minhash/shingles.js";
import { estimateJaccard, MinHasher, bandKeys } from "../../src/dedup/minhash/minhash.js";
import { computeSignature, Signer } from "../../src/dedup/minhash/signature.js";
import { candidateProbability, formatSCurve, DEFAULT_BANDING } from "../../src/dedup/minhash/lsh-params.js";
import { expectedJaccard, koreanText, substituteWords } from "./synthetic-korean.js";

describe("shingles", () => {
  it("cuts text into eojeol 5-grams after NFC, lowercasing and stripping punctuation", () => {
    const s = shingleStrings("서울의 봄은, 아주 'Warm'하고 맑다! 정말 그렇다.");
    expect([...s]).toEqual(["서울의 봄은 아주 warm하고 맑다", "봄은 아주 warm하고 맑다 정말", "아주 warm하고 맑다 정말 그렇다"]);
  });

  it("treats decomposed Hangul (NFD) like precomposed text", () => {
    const nfc = "한국어 문서를 정규화한 다음 비교합니다 오늘도";
    expect(computeSignature(nfc.normalize("NFD")).minhash).toEqual(computeSignature(nfc).minhash);
  });

  it("ignores differences in case, punctuation and spacing only", () => {
    const a = computeSignature("Deep Learning 모델을 학습시키는 방법에 대해 알아봅시다");
    const b = computeSignature("deep   learning, 모델을 학습시키는 방법에 대해... 알아봅시다!");
    expect(estimateJaccard(a.minhash, b.minhash)).toBe(1);
  });

  it("gives a text shorter than the shingle size one shingle of all its words", () => {
    expect([...shingleStrings("짧은 문장")]).toEqual(["짧은 문장"]);
    const sh = new Shingler();
    expect(sh.hash(prepareText("짧은 문장"))).toBe(1);
  });

  it("gives a text without words no shingles, and a signature that matches nothing", () => {
    const sig = computeSignature("... !!! ---");
    expect(sig.shingles).toBe(0);
    expect(sig.minhash.every((v) => v === 0xffffffff)).toBe(true);
  });

  it("cuts character shingles without spaces, so spacing variants match", () => {
    const spec = parseShingleSpec("char:4");
    expect(exactJaccard("한국어자연어처리", "한국어 자연어 처리", spec)).toBe(1);
    expect(exactJaccard("한국어 자연어 처리", "한국어 자연어처리", { kind: "word", size: 2 })).toBeLessThan(1);
  });

  it("hashes as many distinct shingles as shingleStrings finds", () => {
    const text = koreanText(3, 200);
    const sh = new Shingler({ kind: "word", size: 5 });
    const n = sh.hash(prepareText(text));
    expect(new Set(sh.shingles.subarray(0, n)).size).toBe(shingleStrings(text).size);
  });

  it("hashes a text lowered on the fly exactly as its toLowerCase copy, final sigma, dotted İ and astral letters included", () => {
    const texts = [
      koreanText(40, 7),
      "유네스코는 1954년 ‘전시 문화재 보호에 관한 헤이그 협약’(Convention for the Protection of Cultural Property)을 시작으로",
      "ΟΔΥΣΣΕΥΣ ΚΑΙ ΠΗΝΕΛΟΠΗ ΣΤΟ ΣΠΙΤΙ ΤΟΥΣ",
      "İSTANBUL İZMİR ve ANKARA şehirleri",
      "𐐀𐐁𐐂 deseret 𐐨 CAPITALS and 😀 emoji 텍스트 here",
      "ÀÉÎÕÜ ÇĞŞ ǅ ǈ ǋ Ⅻ Ⓐ ＡＢＣ 全角 ＨＥＬＬＯ",
      "",
    ];
    for (const spec of [parseShingleSpec("word:5"), parseShingleSpec("word:1"), parseShingleSpec("char:3")]) {
      const a = new Shingler(spec);
      const b = new Shingler(spec);
      for (const t of texts) {
        const nfc = t.normalize("NFC");
        const n = a.hashNfc(nfc);
        expect(n).toBe(b.hash(nfc.toLowerCase()));
        expect([...a.shingles.subarray(0, n)]).toEqual([...b.shingles.subarray(0, n)]);
      }
    }
  });

  it("signs texts that NFC changes (decomposed Hangul, combining marks, singletons) from their NFC form", () => {
    const texts = [
      "한국어 문장은 보통 완성형으로 쓰인다 그리고 가끔은 조합형으로도".normalize("NFD"),
      "cafe\u0301 re\u0301sume\u0301 na\u0308ive 가\u0301 Ångström \u212B units",
      "Ω \u2126 ohm sign and K \u212A kelvin sign 그리고 ﬁ ligature",
      koreanText(30, 11),
    ];
    const signer = new Signer();
    const batch = signer.signBatch(texts);
    const reference = new Shingler();
    let at = 0;
    texts.forEach((t, d) => {
      const n = reference.hash(prepareText(t));
      expect(batch.shingles[d]).toBe(n);
      expect([...batch.sets.subarray(at, at + n)]).toEqual([...reference.shingles.subarray(0, n)]);
      at += n;
      expect([...batch.exact.subarray(4 * d, 4 * d + 4)]).toEqual([...signer.signBatch([t.normalize("NFC")]).exact]);
    });
  });

  it("hashes each text with xxh3-128 after NFC and whitespace collapsing, whatever its spacing", () => {
    const texts = ["한국어  문장\t그리고\n줄바꿈", " 앞 공백", "뒤 공백 ", "\u00a0비분리\u00a0공백", "제어\u0001문자 포함", "보통 문장 하나", "", "조합형".normalize("NFD") + "  끝"];
    const batch = new Signer().signBatch(texts);
    texts.forEach((t, d) => {
      const h = xxh3.xxh128(Buffer.from(t.normalize("NFC").replace(/\s+/g, " ").trim()));
      const words = [h >> 96n, (h >> 64n) & 0xffffffffn, (h >> 32n) & 0xffffffffn, h & 0xffffffffn].map(Number);
      expect([...batch.exact.subarray(4 * d, 4 * d + 4)], JSON.stringify(t)).toEqual(words);
    });
  });

  it("rejects a malformed --shingle value with a hint", () => {
    expect(() => parseShingleSpec("words:5")).toThrow(/word:N or char:N/);
    expect(() => parseShingleSpec("char:0")).toThrow(/from 1 to 64/);
  });
});

describe("MinHash", () => {
  it("estimates Jaccard similarity without bias on edited copies of known similarity", () => {
    const errors: number[] = [];
    for (let seed = 0; seed < 120; seed++) {
      const base = koreanText(seed, 240);
      const k = 1 + (seed % 12);
      const copy = substituteWords(base, k, seed + 5000);
      const truth = exactJaccard(base, copy);
      expect(truth).toBeCloseTo(expectedJaccard(240, k), 10);
      errors.push(estimateJaccard(computeSignature(base).minhash, computeSignature(copy).minhash) - truth);
    }
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    const rms = Math.sqrt(errors.reduce((a, b) => a + b * b, 0) / errors.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    // 160 permutations: standard error at most sqrt(0.25 / 160) = 0.04
    expect(rms).toBeLessThan(0.045);
  });

  it("computes the same signature with WebAssembly SIMD and with the scalar loop", () => {
    const simd = new MinHasher(160, 7);
    const scalar = new MinHasher(160, 7, { simd: false });
    const sh = new Shingler();
    for (const seed of [1, 2, 3]) {
      const n = sh.hash(prepareText(koreanText(seed, 50 + seed * 300)));
      const a = new Uint32Array(160);
      const b = new Uint32Array(160);
      simd.sign(sh.shingles, n, a);
      scalar.sign(sh.shingles, n, b);
      expect(a).toEqual(b);
    }
  });

  it("is deterministic: the same text and seed give the same signature in any Signer", () => {
    const text = koreanText(11, 80);
    expect(new Signer().sign(text)).toEqual(new Signer().sign(text));
    expect(new Signer({ seed: 2 }).sign(text).minhash).not.toEqual(new Signer().sign(text).minhash);
  });

  it("gives equal band keys exactly for bands whose rows agree", () => {
    const a = new Uint32Array([1, 2, 3, 4, 5, 6]);
    const b = new Uint32Array([1, 2, 3, 4, 9, 6]);
    const ka = new Uint32Array(6);
    const kb = new Uint32Array(6);
    bandKeys(a, 0, 3, 2, ka);
    bandKeys(b, 0, 3, 2, kb);
    expect([ka[0], ka[1], ka[2], ka[3]]).toEqual([kb[0], kb[1], kb[2], kb[3]]);
    expect([ka[4], ka[5]]).not.toEqual([kb[4], kb[5]]);
  });

  it("signs a batch exactly as it signs documents one by one", () => {
    const texts = [koreanText(1, 30), "", koreanText(2, 3), koreanText(3, 500)];
    const signer = new Signer();
    const batch = signer.signBatch(texts);
    texts.forEach((t, d) => {
      const one = signer.sign(t);
      expect(Array.from(batch.exact.subarray(4 * d, 4 * d + 4))).toEqual(Array.from(one.exact));
      expect(Array.from(batch.minhash16.subarray(160 * d, 160 * d + 160))).toEqual(Array.from(one.minhash, (v) => v & 0xffff));
      expect(batch.shingles[d]).toBe(one.shingles);
    });
  });
});

describe("LSH parameters", () => {
  it("defaults to 20 bands of 8 rows: most pairs at 0.8 become candidates, few at 0.5", () => {
    expect(DEFAULT_BANDING).toEqual({ bands: 20, rows: 8 });
    expect(candidateProbability(0.8, DEFAULT_BANDING)).toBeGreaterThan(0.97);
    expect(candidateProbability(0.5, DEFAULT_BANDING)).toBeLessThan(0.1);
  });

  it("prints the S-curve as a table", () => {
    const t = formatSCurve({ bands: 14, rows: 8 });
    expect(t).toContain("14 bands x 8 rows = 112 permutations");
    expect(t).toContain("0.924");
  });
});
