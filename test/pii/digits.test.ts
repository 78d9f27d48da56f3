import { describe, expect, it } from "vitest";
import { NFKC_DIGIT_CLASS, mayHoldDigits } from "../../src/pii/digits.js";

describe("the digit pre-check", () => {
  const digitSource = new RegExp(`^${NFKC_DIGIT_CLASS}$`, "u");

  it("lists exactly the characters whose NFKC form holds an ASCII digit", () => {
    const wrong: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (/[0-9]/.test(ch.normalize("NFKC")) !== digitSource.test(ch)) wrong.push(cp.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it("lets every such character through, fullwidth digits among them", () => {
    const missed: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (digitSource.test(ch) && !mayHoldDigits(`가${ch}나`)) missed.push(cp.toString(16));
    }
    expect(missed).toEqual([]);
    expect(mayHoldDigits("전화 ０")).toBe(true);
  });

  it("stops plain Korean text without digits", () => {
    expect(mayHoldDigits("개인정보는 수집하지 않습니다. “따옴표”와 ·가운뎃점, 「괄호」도 있다.")).toBe(false);
  });
});
