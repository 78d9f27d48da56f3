/**
 * How a stage declares itself: its config name, an options schema whose defaults are the only
 * place a default is written, a one-line description, and a factory. Config validation,
 * `--print-config`, CLI defaults and docs all read these declarations, so they cannot drift.
 *
 * The list of built-in declarations lives in run/ (it gathers pii/, dedup/ and shard/ too);
 * this module only says what a declaration is.
 */
import { z } from "zod";
import type { Stage } from "../types.js";
import type { StageStatsJSON } from "../stats/stage-stats.js";

/** What a stage may depend on beyond its options: fixed once when a run is planned. */
export interface StageContext {
  /** "Today" as the run planned it (YYYY-MM-DD), so a rerun on another day gives identical output. */
  today: string;
}

/**
 * `document` stages map a stream of documents and are built by `create`; `dedup` and `tokenize`
 * declare only their options, since the run's phases carry them out.
 */
export type StageKind = "document" | "dedup" | "tokenize";

/** One fact on a stage's report card: label, value as shown, and a tooltip (say, the exact number behind a rounded one). */
export type ReportFact = [label: string, value: string, hover?: string];

/**
 * A stage's card in report.html, as data (never markup: the report escapes every string).
 * `sections` is report.json's `sections` (dedup, tokenize, dataset, config, ...), read defensively.
 */
export interface StageReportSection {
  title: string;
  note?: string;
  facts: ReportFact[];
  /** A short phrase under the stage in the document-flow diagram, e.g. "51 PII replaced". */
  flow?: string;
  /** Named counts drawn as labelled bars; `id` names the chart. */
  bars?: { id: string; rows: { label: string; value: number; hover?: string }[] };
  /** Counts over power-of-two buckets (bucket lower bound → count) drawn as a histogram. */
  histogram?: { id: string; counts: Record<string, number>; unit: string; what: string };
  /** Said in place of the chart when the stage ran but has nothing to draw. */
  empty?: string;
}

export type StageReport = (stats: StageStatsJSON, sections: Record<string, unknown>) => StageReportSection | undefined;

// Options are an object schema (so `stage` can sit beside them); T is its shape, N the stage's name.
export interface StageDefinition<T extends z.ZodRawShape = z.ZodRawShape, N extends string = string> {
  name: N;
  kind: StageKind;
  description: string;
  /** The options beside `stage` in a config entry, with every default declared here. */
  options: z.ZodObject<T>;
  /** Builds the stage for one task (document stages only). */
  create?: (options: z.output<z.ZodObject<T>>, context: StageContext) => Stage;
  /** The stage's card in the run report; stages without one get a generic card of their filter reasons and counters. */
  report?: StageReport;
}

export function defineStage<T extends z.ZodRawShape, N extends string>(definition: StageDefinition<T, N>): StageDefinition<T, N> {
  if (definition.kind === "document" && !definition.create) throw new Error(`stage ${definition.name}: a document stage needs create()`);
  return definition;
}

/** The config schema of one declared stage: `{"stage": name, ...options}`, unknown keys refused. */
export function stageEntrySchema<T extends z.ZodRawShape, N extends string>(definition: StageDefinition<T, N>) {
  // `stage` first, so printed configs read like the ones users write.
  return z.object({ stage: z.literal(definition.name) }).merge(definition.options).strict();
}

/** Today's date as YYYY-MM-DD in local time, the form StageContext pins. */
export function localDate(d: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The Date a pinned YYYY-MM-DD stands for (local midnight). */
export function dateFromPinned(today: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!m) throw new Error(`a pinned date must look like 2026-12-07, not "${today}"`);
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/**
 * The default a stage declares for one option (what `--print-config` shows): command-line flags
 * take their defaults from here rather than writing them again. Throws for an option without one.
 */
export function declaredDefault<T extends z.ZodRawShape>(definition: StageDefinition<T>, key: keyof T & string): unknown {
  const field = definition.options.shape[key] as z.ZodTypeAny | undefined;
  const value = field?.safeParse(undefined);
  if (!value?.success || value.data === undefined) throw new Error(`stage ${definition.name}: option ${key} declares no default`);
  return value.data;
}
