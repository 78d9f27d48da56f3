/**
 * Scoring the scrubber on labelled cases (`{text, expected}` per line, `expected` being the text
 * with privacy tokens where personal information was): recall, precision and exact matches per
 * type, and whether look-alikes (cases with nothing to replace) survive untouched.
 */
import { PII_TYPES, type PiiType, type PrivacyTokens } from "./privacy-tokens.js";
import type { PiiMatch, Scrubber } from "./scrub.js";

export interface LabelledSpan {
  type: PiiType;
  start: number;
  end: number;
}

export interface LabelledCase {
  text: string;
  /** The text as it should read after scrubbing. */
  expected: string;
  /** Where the personal information is; derived from `expected` when absent. */
  spans?: LabelledSpan[];
  /** Free-form labels for reports (never document text). */
  kind?: string;
  note?: string;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The labelled spans of a case: `spans` when given (checked against `expected`), otherwise read
 * off by aligning `expected` with `text` around the tokens. Throws when they do not fit.
 */
export function labelledSpans(c: LabelledCase, tokens: PrivacyTokens): LabelledSpan[] {
  if (c.spans) {
    if (applySpans(c.text, c.spans, tokens) !== c.expected) throw new Error("its spans do not turn text into expected");
    return c.spans;
  }
  const typeOfToken = new Map(PII_TYPES.map((t) => [tokens[t], t] as const));
  const splitter = new RegExp(`(${PII_TYPES.map((t) => escapeRegExp(tokens[t])).join("|")})`);
  const parts = c.expected.split(splitter);
  if (parts.length === 1) {
    if (c.text !== c.expected) throw new Error("expected differs from text but holds no privacy token");
    return [];
  }
  // Literal parts alternate with tokens; each token stands for a non-empty run of the text.
  let pattern = "^";
  const types: PiiType[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) pattern += escapeRegExp(parts[i]!);
    else {
      pattern += "([\\s\\S]+?)";
      types.push(typeOfToken.get(parts[i]!)!);
    }
  }
  const m = new RegExp(pattern + "$", "d").exec(c.text);
  if (!m?.indices) throw new Error("expected does not align with text (give explicit spans)");
  return types.map((type, k) => {
    const [start, end] = m.indices![k + 1]!;
    return { type, start, end };
  });
}

export function applySpans(text: string, spans: readonly LabelledSpan[], tokens: PrivacyTokens): string {
  let out = "";
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, s.start) + tokens[s.type];
    at = s.end;
  }
  return out + text.slice(at);
}

export interface TypeScore {
  /** Labelled spans of this type. */
  expected: number;
  /** Spans of this type the scrubber reported. */
  predicted: number;
  /** Labelled spans of this type that some reported span (any type) overlaps: the information is gone. */
  removed: number;
  /** Reported spans of this type that overlap some labelled span (any type). */
  justified: number;
  /** Labelled spans reported with exactly the same boundaries and type. */
  exact: number;
  /** removed / expected (null when nothing of this type is labelled). */
  recall: number | null;
  /** justified / predicted (null when nothing of this type was reported). */
  precision: number | null;
  /** exact / expected. */
  exactMatch: number | null;
}

export interface CaseOutcome {
  /** 0-based position in the input. */
  index: number;
  kind?: string;
  note?: string;
  /** The scrubbed text equals `expected`. */
  exact: boolean;
  /** A look-alike (nothing labelled) that the scrubber changed. */
  destroyed: boolean;
}

/** How the cases of one class (their `kind`) came out. */
export interface KindScore {
  cases: number;
  /** Cases scrubbed to exactly their expected text. */
  exact: number;
  /** Labelled spans, and those the scrubber removed (some reported span overlaps them). */
  expected: number;
  removed: number;
  /** removed / expected (null for a class of look-alikes). */
  recall: number | null;
  /** Look-alikes (nothing labelled) in the class, and those the scrubber changed. */
  lookalikes: number;
  destroyed: number;
}

export interface EvalReport {
  cases: number;
  exactCases: number;
  lookalikes: number;
  lookalikesDestroyed: number;
  perType: Record<PiiType, TypeScore>;
  /** Per class of case (`kind`; "(none)" when unlabelled), in order of first appearance. */
  perKind: Record<string, KindScore>;
  /** The cases whose output differs from `expected`, by position (no text). */
  mismatches: CaseOutcome[];
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;
const ratio = (n: number, d: number) => (d === 0 ? null : n / d);

export function evaluateCases(cases: readonly LabelledCase[], scrubber: Scrubber): EvalReport {
  const counts = Object.fromEntries(PII_TYPES.map((t) => [t, { expected: 0, predicted: 0, removed: 0, justified: 0, exact: 0 }])) as Record<
    PiiType,
    Omit<TypeScore, "recall" | "precision" | "exactMatch">
  >;
  const report: EvalReport = { cases: cases.length, exactCases: 0, lookalikes: 0, lookalikesDestroyed: 0, perType: {} as EvalReport["perType"], perKind: {}, mismatches: [] };
  cases.forEach((c, index) => {
    let labelled: LabelledSpan[];
    try {
      labelled = labelledSpans(c, scrubber.tokens);
    } catch (err) {
      throw new Error(`case ${index + 1}: ${(err as Error).message}`);
    }
    const found: readonly PiiMatch[] = scrubber.find(c.text);
    const output = scrubber.replace(c.text, found);
    const kind = (report.perKind[c.kind ?? "(none)"] ??= { cases: 0, exact: 0, expected: 0, removed: 0, recall: null, lookalikes: 0, destroyed: 0 });
    kind.cases++;
    for (const l of labelled) {
      const t = counts[l.type];
      t.expected++;
      kind.expected++;
      if (found.some((f) => overlaps(f, l))) {
        t.removed++;
        kind.removed++;
      }
      if (found.some((f) => f.type === l.type && f.start === l.start && f.end === l.end)) t.exact++;
    }
    for (const f of found) {
      const t = counts[f.type];
      t.predicted++;
      if (labelled.some((l) => overlaps(f, l))) t.justified++;
    }
    const exact = output === c.expected;
    const lookalike = labelled.length === 0;
    const destroyed = lookalike && output !== c.text;
    if (exact) report.exactCases++;
    if (lookalike) report.lookalikes++;
    if (destroyed) report.lookalikesDestroyed++;
    if (exact) kind.exact++;
    if (lookalike) kind.lookalikes++;
    if (destroyed) kind.destroyed++;
    if (!exact) report.mismatches.push({ index, kind: c.kind, note: c.note, exact, destroyed });
  });
  for (const k of Object.values(report.perKind)) k.recall = ratio(k.removed, k.expected);
  for (const t of PII_TYPES) {
    const c = counts[t];
    report.perType[t] = { ...c, recall: ratio(c.removed, c.expected), precision: ratio(c.justified, c.predicted), exactMatch: ratio(c.exact, c.expected) };
  }
  return report;
}

/** The report as a small table for a terminal. */
export function formatEvalReport(report: EvalReport): string {
  const pct = (v: number | null) => (v === null ? "n/a" : `${(v * 100).toFixed(2)}%`);
  const lines = [`type   expected  predicted  recall    precision  exact`];
  for (const t of PII_TYPES) {
    const s = report.perType[t];
    lines.push(
      `${t.padEnd(6)} ${String(s.expected).padStart(8)}  ${String(s.predicted).padStart(9)}  ${pct(s.recall).padEnd(8)}  ${pct(s.precision).padEnd(9)}  ${pct(s.exactMatch)}`,
    );
  }
  const kinds = Object.entries(report.perKind);
  if (kinds.length > 1 || (kinds.length === 1 && kinds[0]![0] !== "(none)")) {
    const width = Math.max(5, ...kinds.map(([k]) => k.length));
    lines.push("", `${"class".padEnd(width)}  cases  exact     recall    look-alikes kept`);
    for (const [name, k] of kinds) {
      const kept = k.lookalikes === 0 ? "n/a" : `${k.lookalikes - k.destroyed}/${k.lookalikes}`;
      lines.push(`${name.padEnd(width)}  ${String(k.cases).padStart(5)}  ${pct(ratio(k.exact, k.cases)).padEnd(8)}  ${pct(k.recall).padEnd(8)}  ${kept}`);
    }
    lines.push("");
  }
  lines.push(
    `cases ${report.cases}, scrubbed exactly as expected ${report.exactCases} (${pct(ratio(report.exactCases, report.cases))}); ` +
      `look-alikes ${report.lookalikes}, destroyed ${report.lookalikesDestroyed}`,
  );
  return lines.join("\n");
}
