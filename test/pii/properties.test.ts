import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Scrubber, scrubText, type PiiMatch } from "../../src/pii/index.js";
import { digitFreeText, disguise, disguised, longPiiText, piiText } from "./arbitraries.js";

const scrubber = new Scrubber();
const RUNS = { numRuns: Number(process.env.PII_PROPERTY_RUNS ?? 3000) };

describe("scrubbing, for any text", () => {
  it("is idempotent: scrubbing scrubbed text changes nothing", () => {
    fc.assert(
      fc.property(piiText, (text) => {
        const once = scrubber.scrub(text).text;
        expect(scrubber.scrub(once).text).toBe(once);
      }),
      RUNS,
    );
  });

  it("returns text without digits or number words unchanged", () => {
    fc.assert(
      fc.property(digitFreeText, (text) => {
        const r = scrubText(text);
        expect(r.text).toBe(text);
        expect(r.found).toEqual([]);
      }),
      RUNS,
    );
  });

  it("changes nothing outside the reported spans", () => {
    fc.assert(
      fc.property(piiText, (text) => {
        const r = scrubber.scrub(text);
        let rebuilt = "";
        let at = 0;
        for (const m of r.found) {
          expect(m.start).toBeGreaterThanOrEqual(at);
          expect(m.end).toBeGreaterThan(m.start);
          expect(m.end).toBeLessThanOrEqual(text.length);
          rebuilt += text.slice(at, m.start) + scrubber.tokens[m.type];
          at = m.end;
        }
        expect(r.text).toBe(rebuilt + text.slice(at));
      }),
      RUNS,
    );
  });

  it("leaves nothing in its output that the recognizers would still flag", () => {
    fc.assert(
      fc.property(piiText, (text) => {
        expect(scrubber.find(scrubber.scrub(text).text)).toEqual([]);
      }),
      RUNS,
    );
  });

  it("leaves nothing flaggable in the output of long texts either", () => {
    fc.assert(
      fc.property(longPiiText, (text) => {
        const once = scrubber.scrub(text).text;
        expect(scrubber.find(once)).toEqual([]);
      }),
      { numRuns: Math.ceil(RUNS.numRuns / 3) },
    );
  });

  it("rescans only around new tokens yet ends where full rescans until nothing changes end", () => {
    // The reference: one plain scan of the whole text, repeated on its output until nothing changes.
    const singlePass = (scrubber as unknown as { findOnce(t: string): readonly PiiMatch[] }).findOnce.bind(scrubber);
    fc.assert(
      fc.property(longPiiText, (text) => {
        let reference = text;
        for (let pass = 0; pass < 50; pass++) {
          const next = scrubber.replace(reference, singlePass(reference));
          if (next === reference) break;
          reference = next;
        }
        expect(scrubber.scrub(text).text).toBe(reference);
      }),
      { numRuns: Math.ceil(RUNS.numRuns / 3) },
    );
  });

  it("reports spans that hold a digit (or a number word or look-alike letter) and never split a surrogate pair", () => {
    fc.assert(
      fc.property(piiText, (text) => {
        for (const m of scrubber.scrub(text).found) {
          expect(/[0-9０-９공영일이삼사오육륙칠팔구OoIl]|[\ud835\u2460-\u24ff]/.test(text.slice(m.start, m.end))).toBe(true);
          const split = (i: number) => i > 0 && i < text.length && /[\ud800-\udbff]/.test(text[i - 1]!) && /[\udc00-\udfff]/.test(text[i]!);
          expect(split(m.start) || split(m.end)).toBe(false);
        }
      }),
      RUNS,
    );
  });
});

describe("a number written another way", () => {
  // Contexts that end and start cleanly: a space or punctuation between them and the number, so
  // that no word or digit of the context joins the number in either form.
  const before = fc.constantFrom("", "문의 ", "연락처: ", "주민번호 ", "신한 ", "입금 계좌 ", "주문번호 ", "사업자 ", "카드 ", "Tel ", "학번 ", "(", "국민은행 ", "생년월일 ");
  const after = fc.constantFrom("", " 입니다", "로 연락", " (국민은행)", ". 감사합니다", "번", ")", " 원", "원", " 확인");
  const digitRun = (min: number, max: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max });
  const numberInDigits = fc.oneof(
    fc.tuple(fc.constantFrom("010", "011", "02", "031", "051", "070", "1588", "0505"), digitRun(3, 4), digitRun(4, 4)).map((g) => g.join("-")),
    fc.tuple(digitRun(6, 6), digitRun(7, 7)).map((g) => g.join("-")),
    fc.tuple(digitRun(3, 6), digitRun(2, 6), digitRun(2, 6)).map((g) => g.join("-")),
    digitRun(10, 13),
  );
  /** The type found with exactly the span [start, end), or null. */
  const foundAt = (text: string, start: number, end: number) => scrubber.find(text).find((m) => m.start === start && m.end === end)?.type ?? null;

  it("is found, as the same type, exactly when its digit form is", () => {
    fc.assert(
      fc.property(before, numberInDigits, after, disguise, (pre, number, post, how) => {
        const written = disguised(number, how);
        const plain = foundAt(pre + number + post, pre.length, pre.length + number.length);
        expect(foundAt(pre + written + post, pre.length, pre.length + written.length)).toBe(plain);
      }),
      RUNS,
    );
  });
});
