import { describe, expect, it } from "vitest";
import { TextView } from "../../src/pii/view.js";

/** The original text under the view range [start, end). */
const under = (v: TextView, start: number, end: number) => v.original.slice(v.originalStart(start), v.originalEnd(end));

describe("the NFKC view", () => {
  it("is the text itself when NFKC changes nothing", () => {
    const text = "문의 010-1234-5678";
    const v = new TextView(text);
    expect(v.text).toBe(text);
    expect(under(v, 3, 16)).toBe("010-1234-5678");
  });

  it("reads fullwidth digits as ASCII and every dash variant as '-'", () => {
    for (const dash of ["‐", "‑", "‒", "–", "—", "―", "−", "－", "﹣"]) {
      expect(new TextView(`０１０${dash}１２３４`).text).toBe("010-1234");
    }
  });

  it("maps offsets back where NFKC makes the text longer", () => {
    const v = new TextView("…㎞ 010-1234-5678");
    expect(v.text).toBe("...km 010-1234-5678");
    const s = v.text.indexOf("010");
    expect(under(v, s, s + 13)).toBe("010-1234-5678");
  });

  it("maps offsets back where NFKC makes the text shorter", () => {
    const decomposed = "\u1106\u116e\u11ab"; // 문 as conjoining jamo
    const v = new TextView(`${decomposed} 𝟎𝟏𝟎-𝟏𝟐𝟑𝟒-𝟓𝟔𝟕𝟖 끝`);
    expect(v.text).toBe("문 010-1234-5678 끝");
    expect(under(v, 2, 15)).toBe("𝟎𝟏𝟎-𝟏𝟐𝟑𝟒-𝟓𝟔𝟕𝟖");
    expect(under(v, 0, 1)).toBe(decomposed);
  });

  it("maps a range ending inside an expansion to the end of the original character", () => {
    const v = new TextView("a…b");
    expect(v.text).toBe("a...b");
    expect(under(v, 0, 2)).toBe("a…");
    expect(under(v, 2, 5)).toBe("…b");
  });

  it("leaves invisible characters out, and maps a range across them to the whole disguised span", () => {
    const v = new TextView("문의\u200b010\u200b1234\u00ad5678\u2060 끝");
    expect(v.text).toBe("문의01012345678 끝");
    const s = v.text.indexOf("010");
    // The ones inside the number go with it; the ones before and after it stay outside.
    expect(under(v, s, s + 11)).toBe("010\u200b1234\u00ad5678");
  });

  it("reads keycap emoji digits as the digits", () => {
    const v = new TextView("0️⃣1️⃣0️⃣-1️⃣2️⃣");
    expect(v.text).toBe("010-12");
    expect(under(v, 0, 6)).toBe("0️⃣1️⃣0️⃣-1️⃣2️⃣");
  });
});
