/**
 * `--explain`: what each filter reason removed, as counts, shares and a few example ids, so that a
 * user can open those documents and judge the rule. Ids pass through the PII scrubber first: an id
 * taken from the input could hold a phone number, and this goes to a terminal or a log.
 */
import { scrubText } from "../pii/scrub.js";
import type { RunStatsJSON } from "../stats/run-stats.js";

const pct = (n: number, of: number) => (of === 0 ? "0.0%" : `${((100 * n) / of).toFixed(1)}%`);

export function formatFilterExplanation(run: RunStatsJSON): string {
  const lines: string[] = [];
  for (const s of run.stages) {
    const reasons = Object.entries(s.filtered).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const cuts = Object.entries(s.counters).filter(([k]) => k.startsWith("lines_cut."));
    if (reasons.length === 0 && cuts.length === 0) continue;
    lines.push(`${s.name}: ${s.docs_in} docs in, ${s.docs_out} kept`);
    const width = Math.max(6, ...reasons.map(([r]) => r.length));
    for (const [reason, n] of reasons) {
      const ids = (s.examples?.[reason] ?? []).map((id) => scrubText(id).text);
      lines.push(`  ${reason.padEnd(width)} ${String(n).padStart(8)} ${pct(n, s.docs_in).padStart(6)}  e.g. ${ids.join(", ") || "-"}`);
    }
    for (const [counter, n] of cuts) lines.push(`  ${counter} ${n} lines`);
  }
  return lines.length === 0 ? "no documents were filtered\n" : lines.join("\n") + "\n";
}
