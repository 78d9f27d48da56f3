import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Scrubber, scrubText, type PiiMatch } from "../../src/pii/index.js";
import { digitFreeText, longPiiText, piiText } from "./arbitraries.js";

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

  it("returns text without digits unchanged", () => {
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

  it("reports spans that hold a digit and never split a surrogate pair", () => {
    fc.assert(
      fc.property(piiText, (text) => {
        for (const m of scrubber.scrub(text).found) {
          expect(/[0-9０-９]|[\ud835\u2460-\u24ff]/.test(text.slice(m.start, m.end))).toBe(true);
          const split = (i: number) => i > 0 && i < text.length && /[\ud800-\udbff]/.test(text[i - 1]!) && /[\udc00-\udfff]/.test(text[i]!);
          expect(split(m.start) || split(m.end)).toBe(false);
        }
      }),
      RUNS,
    );
  });
});
