/**
 * The statistics of one command run (stats.json): the stages in order, totals, and the check
 * that every input document is accounted for.
 */
import { addCounts, emptyCounts, sumFiltered, type Counts, type StageStatsJSON } from "./stage-stats.js";

export interface UnreadableFile {
  file: string;
  /** Documents read before the damage; they were processed normally. */
  docs_read: number;
  error: string;
}

export interface RunStatsJSON {
  command: string;
  started_at: string;
  elapsed_s: number;
  inputs: string[];
  /** The reader first ("read"), then each stage in order. */
  stages: StageStatsJSON[];
  totals: Counts;
  unreadable_files: UnreadableFile[];
  /** Command-specific sections (dedup clusters, token counts, ...). */
  sections: Record<string, unknown>;
  /** docs_in = docs_out + filtered + duplicates + rejected, for every stage and in total. */
  identity_holds: boolean;
}

export function identityHoldsFor(c: Counts): boolean {
  return c.docs_in === c.docs_out + sumFiltered(c) + c.duplicates + c.rejected;
}

/** Totals across a chain of stages: what entered the first, what left the last, what was dropped anywhere. */
export function chainTotals(stages: StageStatsJSON[]): Counts {
  const totals = emptyCounts();
  if (stages.length === 0) return totals;
  for (const s of stages) addCounts(totals, s);
  const first = stages[0]!;
  const last = stages[stages.length - 1]!;
  totals.docs_in = first.docs_in;
  totals.bytes_in = first.bytes_in;
  totals.docs_out = last.docs_out;
  totals.bytes_out = last.bytes_out;
  return totals;
}

export function buildRunStats(args: {
  command: string;
  startedAt: Date;
  inputs: string[];
  stages: StageStatsJSON[];
  unreadable: UnreadableFile[];
  sections?: Record<string, unknown>;
}): RunStatsJSON {
  const totals = chainTotals(args.stages);
  const chained = args.stages.every((s, i) => i === 0 || s.docs_in === args.stages[i - 1]!.docs_out);
  return {
    command: args.command,
    started_at: args.startedAt.toISOString(),
    elapsed_s: Math.round((Date.now() - args.startedAt.getTime()) / 10) / 100,
    inputs: args.inputs,
    stages: args.stages,
    totals,
    unreadable_files: args.unreadable,
    sections: args.sections ?? {},
    identity_holds: chained && identityHoldsFor(totals) && args.stages.every(identityHoldsFor),
  };
}

const fmtInt = (n: number) => n.toLocaleString("en-US");
const fmtMB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The one-screen summary printed to stderr at the end of a run. Counts only, never text. */
export function formatRunSummary(run: RunStatsJSON): string {
  const t = run.totals;
  const lines = [
    `korpipe ${run.command}: ${fmtInt(t.docs_in)} docs in (${fmtMB(t.bytes_in)}) from ${run.inputs.length} file(s) in ${run.elapsed_s.toFixed(1)} s`,
  ];
  for (const s of run.stages) {
    const drops = Object.entries(s.filtered)
      .map(([reason, n]) => `${reason} ${fmtInt(n)}`)
      .join(", ");
    const parts = [`${fmtInt(s.docs_in)} in`, `${fmtInt(s.docs_out)} out`];
    if (s.rejected) parts.push(`${fmtInt(s.rejected)} rejected`);
    if (drops) parts.push(`filtered: ${drops}`);
    if (s.duplicates) parts.push(`${fmtInt(s.duplicates)} duplicates`);
    const counters = Object.entries(s.counters).map(([k, v]) => `${k} ${fmtInt(v)}`);
    if (counters.length) parts.push(counters.join(", "));
    lines.push(`  ${s.name.padEnd(10)} ${parts.join(" | ")}`);
  }
  lines.push(
    `  total      ${fmtInt(t.docs_out)} kept, ${fmtInt(sumFiltered(t))} filtered, ${fmtInt(t.duplicates)} duplicates, ${fmtInt(t.rejected)} rejected` +
      ` (${fmtMB(t.bytes_out)} out)`,
  );
  for (const u of run.unreadable_files) lines.push(`  unreadable ${u.file}: ${u.error} (after ${fmtInt(u.docs_read)} docs)`);
  if (!run.identity_holds) lines.push("  WARNING: document accounting does not add up; please report this as a bug");
  return lines.join("\n");
}
