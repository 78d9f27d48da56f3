import { describe, expect, it } from "vitest";
import { normalize, normalizeText } from "../../src/stages/normalize.js";
import { hangulRatio, qualityFilter, qualityFilterReason, repeatedLineRatio } from "../../src/stages/quality-filter.js";
import { StageStats } from "../../src/stats/stage-stats.js";
import type { Document } from "../../src/types.js";
import { collect } from "../helpers/tmp.js";

async function* docsOf(texts: string[]): AsyncGenerator<Document> {
  let i = 0;
  for (const text of texts) yield { id: `d${i++}`, text, meta: {} };
}

describe("normalizeText", () => {
  it("composes conjoining Hangul jamo into syllables (NFC)", () => {
    const decomposed = "\u1112\u1161\u11ab\u1100\u1173\u11af"; // 한글 as jamo
    expect(normalizeText(decomposed)).toBe("한글");
  });

  it("collapses runs of spaces, tabs and Unicode spaces into one space", () => {
    expect(normalizeText("가\t\t나\u00a0\u3000다   라")).toBe("가 나 다 라");
  });

  it("removes control and zero-width characters but keeps newlines", () => {
    expect(normalizeText("가\u200b나\u0007다\ufeff\n라\u00ad마")).toBe("가나다\n라마");
  });

  it("unifies line breaks, trims lines and the document", () => {
    expect(normalizeText("  첫 줄 \r\n 둘째 줄\r셋째  ")).toBe("첫 줄\n둘째 줄\n셋째");
  });

  it("leaves already clean text as the same string", () => {
    const clean = "깨끗한 문장입니다. 숫자 123과 English도 있습니다.";
    expect(normalizeText(clean)).toBe(clean);
  });

  it("cleans every code point the same way, whether or not its text takes the fast path", () => {
    // Every cleaning pass run unconditionally: what normalizeText must equal for any text.
    const everyPass = (t: string) =>
      t
        .replace(/\r\n?/g, "\n")
        .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, "")
        .replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, "")
        .replace(/[\t\p{Zs}]+/gu, " ")
        .replace(/ ?\n ?/g, "\n")
        .normalize("NFC")
        .trim();
    const mismatches: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      for (const text of [`가${ch}나`, `가 ${ch} 나`, `가\n${ch}나`, `‘가’${ch}…`]) {
        if (normalizeText(text) !== everyPass(text)) mismatches.push(`U+${c.toString(16).toUpperCase().padStart(4, "0")}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe("qualityFilter", () => {
  const korean = "한국어 문장이 충분히 길게 이어지는 정상적인 문서입니다. 여러 문장으로 이루어져 있고 내용도 다양합니다.";

  it("keeps a normal Korean document", () => {
    expect(qualityFilterReason(korean)).toBeUndefined();
  });

  it("names the first reason a document fails (the basic preset's three rules; korean-web names the menu for what it is)", () => {
    const basic = { preset: "basic" } as const;
    expect(qualityFilterReason("짧다", basic)).toBe("too_short");
    expect(qualityFilterReason("This is an English paragraph that is long enough to pass the length check easily.", basic)).toBe("low_hangul_ratio");
    const menu = ["홈 뉴스 스포츠 연예 문화 생활 정보", "로그인 회원가입 고객센터 이용약관", "홈 뉴스 스포츠 연예 문화 생활 정보", "로그인 회원가입 고객센터 이용약관"].join("\n");
    expect(qualityFilterReason(menu, basic)).toBe("repeated_lines");
    expect(qualityFilterReason(menu)).toBe("page_chrome");
  });

  it("measures Hangul over non-space characters and repeated lines over non-empty lines", () => {
    expect(hangulRatio("가나 ab")).toBe(0.5);
    expect(repeatedLineRatio("가\n나\n가\n\n가")).toBe(0.5);
    expect(repeatedLineRatio("한 줄")).toBe(0);
  });

  it("counts every dropped document under its reason so that in = out + filtered", async () => {
    const stats = new StageStats("filter");
    const out = await collect(qualityFilter(docsOf([korean, "짧다", korean + korean]), {}, stats));
    expect(out.map((d) => d.id)).toEqual(["d0", "d2"]);
    const s = stats.toJSON();
    expect(s).toMatchObject({ docs_in: 3, docs_out: 2, filtered: { too_short: 1 } });
  });

  it("takes thresholds as options", async () => {
    const out = await collect(qualityFilter(docsOf(["짧은 글"]), { minChars: 3 }));
    expect(out).toHaveLength(1);
  });

  it("normalize passes every document on and changes only the text", async () => {
    const stats = new StageStats("normalize");
    const src: Document[] = [{ id: "x", text: " 가  나 ", meta: { url: "u" }, source: { file: "f", line: 1 } }];
    async function* one() {
      yield* src;
    }
    const out = await collect(normalize(one(), {}, stats));
    expect(out).toEqual([{ id: "x", text: "가 나", meta: { url: "u" }, source: { file: "f", line: 1 } }]);
    expect(stats.toJSON()).toMatchObject({ docs_in: 1, docs_out: 1, bytes_in: 10, bytes_out: 7 });
  });
});
