/**
 * The labelled fixtures (test/fixtures/pii/*.jsonl, written by generate.mjs from frames the
 * project wrote) as a regression suite: every case must scrub to exactly its expected text.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { applySpans, DEFAULT_PRIVACY_TOKENS, evaluateCases, PII_TYPES, Scrubber, type LabelledCase } from "../../src/pii/index.js";

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/pii");
const files = readdirSync(DIR).filter((f) => f.endsWith(".jsonl")).sort();
const load = (f: string): LabelledCase[] =>
  readFileSync(path.join(DIR, f), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as LabelledCase);
const all = files.flatMap((f) => load(f).map((c, i) => ({ ...c, where: `${f}:${i + 1}` })));
const scrubber = new Scrubber();

describe("PII fixtures", () => {
  it("hold at least 400 cases, 150 of them look-alikes that must not change", () => {
    expect(all.length).toBeGreaterThanOrEqual(400);
    expect(all.filter((c) => c.text === c.expected).length).toBeGreaterThanOrEqual(150);
  });

  it("are labelled consistently: their spans turn text into expected", () => {
    for (const c of all) expect(applySpans(c.text, c.spans ?? [], DEFAULT_PRIVACY_TOKENS), c.where).toBe(c.expected);
  });

  it("cover every phone prefix, bank and registration-number form of the policy", () => {
    const notes = all.map((c) => c.note ?? "").join("\n");
    for (const p of ["010", "011", "016", "017", "018", "019", "02", "070", "080", "+82"]) expect(notes).toContain(p);
    for (const area of ["031", "032", "033", "041", "042", "043", "044", "051", "052", "053", "054", "055", "061", "062", "063", "064"]) expect(notes).toContain(`area ${area}`);
    for (const rep of ["1522", "1533", "1544", "1566", "1577", "1588", "1599", "1600", "1644", "1660", "1661", "1666", "1668", "1670", "1688", "1800", "1833", "1855", "1877", "1899"]) {
      expect(notes).toContain(`representative ${rep}`);
    }
    for (const bank of ["국민", "KB", "신한", "우리은행", "하나은행", "농협", "NH", "기업", "IBK", "SC제일", "카카오뱅크", "토스뱅크", "케이뱅크", "우체국", "새마을금고", "신협", "수협", "부산", "대구", "광주", "경남", "전북", "제주"]) {
      expect(notes).toContain(bank);
    }
    for (let s = 1; s <= 8; s++) expect(notes).toContain(`S=${s}`);
    for (const cue of ["주민", "주민등록", "주민번호", "외국인등록", "생년월일", "신분증"]) expect(notes).toContain(`cue ${cue}`);
    for (const evasion of ["fullwidth digits", "en dash", "em dash", "minus sign", "spaced hyphens", "line break"]) expect(notes).toContain(evasion);
  });

  for (const f of files) {
    it(`scrub ${f} to exactly the expected text`, () => {
      const failures = load(f)
        .map((c, i) => ({ line: i + 1, note: c.note, got: scrubber.scrub(c.text).text, want: c.expected }))
        .filter((r) => r.got !== r.want);
      expect(failures).toEqual([]);
    });
  }

  it("hold at least 300 cases of numbers written another way or given context by structure, in every class", () => {
    const classes = ["words", "letters", "spaced-digits", "keycaps", "spelt-hyphen", "international-no-plus", "mobile-layouts", "line-breaks", "rrn-separators", "format-characters", "tables", "own-line", "json-fields"];
    const newCases = all.filter((c) => c.where.startsWith("disguised.") || c.where.startsWith("structural.") || c.where.startsWith("disguise-lookalikes."));
    expect(newCases.length).toBeGreaterThanOrEqual(300);
    for (const kind of classes) expect(all.filter((c) => c.kind === kind).length, kind).toBeGreaterThanOrEqual(10);
    // Every rule has its look-alikes.
    for (const kind of ["words", "letters", "spaced", "spelt", "phone-layouts", "line-breaks", "rrn-separators", "amounts", "tables", "format-characters"]) {
      expect(all.filter((c) => c.kind === `lookalike-${kind}`).length, kind).toBeGreaterThanOrEqual(4);
    }
  });

  it("report per class, and every class of disguised or structural case is fully scrubbed", () => {
    const report = evaluateCases(all, scrubber);
    for (const [kind, score] of Object.entries(report.perKind)) {
      if (score.expected > 0) expect(score.recall, kind).toBe(1);
      expect(score.destroyed, kind).toBe(0);
    }
  });

  it("reach recall of at least 99.5% per type and destroy no look-alike", () => {
    const report = evaluateCases(all, scrubber);
    for (const t of PII_TYPES) {
      expect(report.perType[t].expected).toBeGreaterThan(0);
      expect(report.perType[t].recall).toBeGreaterThanOrEqual(0.995);
    }
    expect(report.lookalikesDestroyed).toBe(0);
  });
});
