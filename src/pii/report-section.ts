/**
 * The scrub stage's card in the run report. `pii.docs` counts documents with any PII, not a
 * type: it is shown apart and never added to the replacements.
 */
import type { ReportFact, StageReport } from "../stages/registry.js";
import { exact, finite, percent } from "../stages/report-section.js";

const DOCS_COUNTER = "pii.docs";
const TYPE_NAMES: Record<string, string> = { rrn: "resident reg. no.", tell: "phone number", acc: "bank account" };

export interface PiiTotals {
  /** Replacements per type, largest first. */
  byType: [type: string, count: number][];
  replaced: number;
  /** Documents with at least one replacement. */
  documents: number;
}

/** PII counts from a stage's counters (`pii.<type>` per replacement, `pii.docs` per document). */
export function piiTotals(counters: Record<string, unknown> | undefined): PiiTotals {
  const byType: [string, number][] = [];
  let documents = 0;
  for (const [key, value] of Object.entries(counters ?? {})) {
    if (!key.startsWith("pii.")) continue;
    const n = finite(value) ?? 0;
    if (key === DOCS_COUNTER) documents += n;
    else byType.push([key.slice(4), n]);
  }
  byType.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { byType, replaced: byType.reduce((a, [, n]) => a + n, 0), documents };
}

export const piiTypeLabel = (type: string): string => (TYPE_NAMES[type] ? `${TYPE_NAMES[type]} (${type})` : type);

export const scrubReport: StageReport = (stats) => {
  const pii = piiTotals(stats.counters);
  const scanned = finite(stats.docs_in) ?? 0;
  const facts: ReportFact[] = [
    ...pii.byType.map(([type, n]): ReportFact => [piiTypeLabel(type), exact(n), `${exact(n)} replaced by the ${type} privacy token`]),
    ["replacements in total", exact(pii.replaced), "the sum of the types above"],
    ["documents with PII", `${exact(pii.documents)} of ${exact(scanned)} (${percent(pii.documents, scanned)})`, "documents with at least one replacement; not a type"],
  ];
  return {
    title: "PII replaced by privacy tokens",
    facts,
    ...(pii.replaced > 0 ? { flow: `${exact(pii.replaced)} PII replaced` } : { empty: "The scrub stage found no personal information." }),
    bars: { id: "pii", rows: pii.byType.map(([type, n]) => ({ label: piiTypeLabel(type), value: n, hover: `${piiTypeLabel(type)}: ${exact(n)} replaced` })) },
  };
};
