/**
 * What stages need to describe themselves in the run report: defensive reads of report.json
 * (files from older or partial runs may lack any field), number wording, and the generic card
 * every stage without its own gets: where its documents went, by filter reason, and its counters.
 */
import type { ReportFact, StageReportSection } from "./registry.js";
import type { StageStatsJSON } from "../stats/stage-stats.js";

/** A finite number, or undefined for anything else a damaged report.json may hold. */
export const finite = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** The object under `key`, or an empty one. */
export function fieldsOf(from: unknown, key: string): Record<string, unknown> {
  const v = typeof from === "object" && from !== null ? (from as Record<string, unknown>)[key] : undefined;
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** An exact count as people read it: 26473 → "26,473". */
export const exact = (n: number): string => Math.round(n).toLocaleString("en-US");

/** A share in percent, "–" when there is no whole to compare with. */
export function percent(part: number, whole: number): string {
  if (!(whole > 0)) return "–";
  const pct = (100 * part) / whole;
  if (pct > 0 && pct < 0.01) return "<0.01%";
  return `${pct.toFixed(pct < 1 ? 2 : 1)}%`;
}

/** "12 (3.1% of 386 in)": a count with its share of what entered the stage. */
const ofInput = (n: number, stats: StageStatsJSON): ReportFact[1] => `${exact(n)} (${percent(n, finite(stats.docs_in) ?? 0)})`;

/** Filter reasons, largest first (ties by name, so the page is the same for the same statistics). */
export function filterReasons(stats: StageStatsJSON): [string, number][] {
  return Object.entries(stats.filtered ?? {})
    .map(([reason, n]): [string, number] => [reason, finite(n) ?? 0])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * The card of a stage that declares none (a user's module stage, say): documents in and kept,
 * each filter reason, duplicates, rejects and counters. None for a stage that only passed documents on.
 */
export function genericStageSection(stats: StageStatsJSON, title = `Stage ${stats.name}`): StageReportSection | undefined {
  const reasons = filterReasons(stats);
  const counters = Object.entries(stats.counters ?? {})
    .map(([k, v]): [string, number] => [k, finite(v) ?? 0])
    .sort((a, b) => a[0].localeCompare(b[0]));
  const duplicates = finite(stats.duplicates) ?? 0;
  const rejected = finite(stats.rejected) ?? 0;
  if (reasons.length === 0 && counters.length === 0 && duplicates === 0 && rejected === 0) return undefined;
  const facts: ReportFact[] = [
    ["documents in", exact(finite(stats.docs_in) ?? 0)],
    ["kept", ofInput(finite(stats.docs_out) ?? 0, stats)],
    ...reasons.map(([reason, n]): ReportFact => [`filtered: ${reason}`, ofInput(n, stats), `documents this stage dropped as ${reason}`]),
  ];
  if (duplicates > 0) facts.push(["duplicates", ofInput(duplicates, stats)]);
  if (rejected > 0) facts.push(["rejected", ofInput(rejected, stats)]);
  for (const [k, v] of counters) facts.push([k, exact(v), `counter ${k}`]);
  return { title, facts };
}
