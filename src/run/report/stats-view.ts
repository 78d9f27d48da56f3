/**
 * The run statistics as the page reads them. report.json files from older or partial runs may
 * lack stages, histograms or counters, or hold the wrong types: every reader here returns
 * something drawable or undefined, so each chart can say what is missing instead of breaking.
 */
import type { RunStatsJSON } from "../../stats/run-stats.js";
import { histogramBucket, type Histogram, type StageStatsJSON } from "../../stats/stage-stats.js";
import { filterReasons } from "../../stages/report-section.js";
import { piiTotals, type PiiTotals } from "../../pii/report-section.js";

export type { RunStatsJSON, StageStatsJSON, Histogram };
export { filterReasons };

export const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A histogram with every count in its power-of-two bucket (keys written by other tools may be
 * any number), or undefined when there is nothing to draw.
 */
export function usableHistogram(h: unknown): Histogram | undefined {
  if (!isRecord(h)) return undefined;
  const out: Histogram = {};
  for (const [k, v] of Object.entries(h)) {
    const n = Number(k);
    if (!Number.isFinite(n) || n < 0 || !(num(v) > 0)) continue;
    const bucket = String(histogramBucket(n));
    out[bucket] = (out[bucket] ?? 0) + num(v);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export const histogramOf = (stage: StageStatsJSON | undefined, name: string): Histogram | undefined => usableHistogram(stage?.histograms?.[name]);

export const findStage = (stages: StageStatsJSON[], name: string): StageStatsJSON | undefined => stages.find((s) => s.name === name);

/** report.json's sections, or an empty object when missing or malformed. */
export const sectionsOf = (run: RunStatsJSON): Record<string, unknown> => (isRecord(run.sections) ? run.sections : {});

/** Lengths as read, and after the last stage that changes text (the one before tokenize). */
export function lengthHistograms(stages: StageStatsJSON[]): { before?: Histogram; after?: Histogram; afterStage?: string } {
  const first = findStage(stages, "read") ?? stages[0];
  const before = histogramOf(first, "chars");
  const candidates = stages.filter((s) => s !== first && s.name !== "tokenize" && histogramOf(s, "chars"));
  const last = candidates[candidates.length - 1];
  return { before, after: histogramOf(last, "chars"), afterStage: last?.name };
}

/** PII over every stage that counts it; `documents` (pii.docs) is never added to the replacements. */
export function runPii(stages: StageStatsJSON[]): PiiTotals {
  const byType = new Map<string, number>();
  let documents: number | undefined;
  for (const s of stages) {
    const t = piiTotals(s.counters);
    for (const [type, n] of t.byType) byType.set(type, (byType.get(type) ?? 0) + n);
    if (t.documents !== undefined) documents = (documents ?? 0) + t.documents;
  }
  const sorted = [...byType].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { byType: sorted, replaced: sorted.reduce((a, [, n]) => a + n, 0), documents };
}

/** The exact token total: report.json's tokenize section, else the tokenize stage's counter. */
export function tokenTotal(run: RunStatsJSON): number | undefined {
  const section = sectionsOf(run).tokenize;
  const fromSection = isRecord(section) && typeof section.tokens === "number" ? section.tokens : undefined;
  const t = fromSection ?? findStage(run.stages, "tokenize")?.counters?.tokens;
  return typeof t === "number" && Number.isFinite(t) ? t : undefined;
}

export type DropKind = "filtered" | "duplicates" | "rejected";

export interface Drop {
  kind: DropKind;
  label: string;
  count: number;
}

/** What a stage removed from the stream: filter reasons (the largest few), duplicates, rejects. */
export function dropsOf(s: StageStatsJSON): Drop[] {
  const drops: Drop[] = [];
  const reasons = filterReasons(s);
  const shown = reasons.length > 5 ? reasons.slice(0, 4) : reasons;
  for (const [reason, n] of shown) drops.push({ kind: "filtered", label: reason, count: n });
  if (reasons.length > shown.length) {
    const rest = reasons.slice(shown.length);
    drops.push({ kind: "filtered", label: `${rest.length} other reasons`, count: rest.reduce((a, [, n]) => a + n, 0) });
  }
  if (num(s.duplicates) > 0) drops.push({ kind: "duplicates", label: "duplicates", count: num(s.duplicates) });
  if (num(s.rejected) > 0) drops.push({ kind: "rejected", label: "rejected", count: num(s.rejected) });
  return drops;
}

export interface FileRow {
  file: string;
  read: number;
  rejected: number;
  filtered: number;
  duplicates: number;
  /** Documents of this file that left the last stage. */
  kept: number;
  bytes: number;
  /** Tokens its kept documents became, when the report measured them on the shards. */
  tokens?: number;
}

/** Where each input file's documents went, from the per-file counts every stage keeps (and tokens per file from `token_lengths`). */
export function fileRows(run: RunStatsJSON): FileRow[] {
  const stages = run.stages;
  const lengths = sectionsOf(run).token_lengths;
  const tokens = isRecord(lengths) && isRecord(lengths.tokens_per_file) ? lengths.tokens_per_file : undefined;
  const first = findStage(stages, "read") ?? stages[0];
  const last = stages[stages.length - 1];
  return Object.entries(isRecord(first?.files) ? first.files : {}).map(([file, c]) => {
    let filtered = 0;
    let duplicates = 0;
    for (const s of stages) {
      const f = isRecord(s.files) ? s.files[file] : undefined;
      if (!f) continue;
      for (const n of Object.values(isRecord(f.filtered) ? f.filtered : {})) filtered += num(n);
      duplicates += num(f.duplicates);
    }
    const lastCounts = isRecord(last?.files) ? last.files[file] : undefined;
    const row: FileRow = { file, read: num(c.docs_in), rejected: num(c.rejected), filtered, duplicates, kept: num(lastCounts?.docs_out), bytes: num(c.bytes_in) };
    if (tokens) row.tokens = num(tokens[file]);
    return row;
  });
}
