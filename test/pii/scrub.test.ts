import { describe, expect, it } from "vitest";
import { createScrubber, parsePrivacyTokens, scrubText } from "../../src/pii/index.js";

describe("scrubText", () => {
  it("returns the input itself and no matches when there is nothing to replace", () => {
    const text = "2023년 1월 15일 1,234,567원";
    const r = scrubText(text);
    expect(r.text).toBe(text);
    expect(r.found).toEqual([]);
  });

  it("reports type and original offsets of each match in text order", () => {
    const text = "주민 900101-1234568, 전화 010-1234-5678, 국민은행 123456-78-901234";
    const r = scrubText(text, { today: new Date(2025, 0, 1) });
    expect(r.found.map((m) => [m.type, text.slice(m.start, m.end)])).toEqual([
      ["rrn", "900101-1234568"],
      ["tell", "010-1234-5678"],
      ["acc", "123456-78-901234"],
    ]);
    expect(r.text).toBe("주민 <|rrn|>, 전화 <|tell|>, 국민은행 <|acc|>");
  });

  it("detects on the NFKC view but replaces in the original, leaving the rest untouched", () => {
    const text = "…＂문의＂ ０１０－１２３４－５６７８ ㎞";
    const r = scrubText(text);
    expect(r.text).toBe("…＂문의＂ <|tell|> ㎞");
    expect(text.slice(r.found[0]!.start, r.found[0]!.end)).toBe("０１０－１２３４－５６７８");
  });

  it("uses the tokens it is given, e.g. the polyglot-ko preset", () => {
    expect(scrubText("문의 010-1234-5678", { tokens: parsePrivacyTokens("polyglot-ko") }).text).toBe("문의 <|tel|>");
    expect(scrubText("문의 010-1234-5678", { tokens: { tell: "[PHONE]" } }).text).toBe("문의 [PHONE]");
  });

  it("refuses tokens that could be read as personal information again", () => {
    expect(() => createScrubber({ tokens: { tell: "TEL1" } })).toThrow(/no digits/);
    expect(() => createScrubber({ tokens: { acc: "" } })).toThrow(/non-empty/);
    expect(() => createScrubber({ tokens: { rrn: "(RRN)" } })).toThrow(/start or end/);
  });

  it("finds only the types asked for", () => {
    const text = "주민 900101-1234568 전화 010-1234-5678";
    expect(scrubText(text, { types: ["tell"] }).text).toBe("주민 900101-1234568 전화 <|tell|>");
  });

  it("treats tokens already in the text as the end of a clause", () => {
    expect(scrubText("국민은행 <|tell|> 1234567890").text).toBe("국민은행 <|tell|> 1234567890");
  });

  it("finds a number again once its neighbour became a token (the result is a fixed point)", () => {
    // Alone, the spaced number would run on into the next one; once that is a token it stands alone.
    const text = "02 123 4567 010-1234-5678";
    const r = scrubText(text);
    expect(r.text).toBe("<|tell|> <|tell|>");
    expect(r.found.map((m) => text.slice(m.start, m.end))).toEqual(["02 123 4567", "010-1234-5678"]);
  });

  it("leaves numbers glued into one longer number alone", () => {
    expect(scrubText("000101-1******000101-5000000").text).toBe("000101-1******000101-5000000");
  });
});
