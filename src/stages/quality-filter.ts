/**
 * Document-level quality filters for Korean web text. Each drops a document for one named reason,
 * checked in a fixed order so that a document is counted under the first reason it fails.
 */
import { z } from "zod";
import type { Document } from "../types.js";
import { defineStage } from "./registry.js";
import { genericStageSection } from "./report-section.js";
import { filterStage, type NamedStageFn } from "./stage.js";
import { StageStats } from "./stats.js";

const ratio = z.number().min(0).max(1);

/** The filter stage's options; the defaults here are the only place they are written. */
export const QualityFilterOptionsSchema = z.object({
  /** Shorter texts are mostly menus, captions and fragments. Counted in UTF-16 units, after normalization. */
  minChars: z.number().int().nonnegative().default(50).describe("drop documents shorter than this many characters (reason too_short)"),
  /** Korean news runs at 0.7-0.9, code and English pages well below. */
  minHangulRatio: ratio.default(0.4).describe("drop documents with a smaller share of Hangul among non-space characters (reason low_hangul_ratio; 0 turns it off)"),
  /** Gopher's duplicate-line threshold. */
  maxRepeatedLineRatio: ratio
    .default(0.3)
    .describe("drop documents with a larger share of lines repeating an earlier line (reason repeated_lines; 1 turns it off)"),
});

export type QualityFilterOptions = z.input<typeof QualityFilterOptionsSchema>;

export type FilterReason = "too_short" | "low_hangul_ratio" | "repeated_lines";

export const DEFAULT_QUALITY_FILTER: Required<QualityFilterOptions> = QualityFilterOptionsSchema.parse({});

function isHangul(c: number): boolean {
  return (
    (c >= 0xac00 && c <= 0xd7a3) || // syllables
    (c >= 0x1100 && c <= 0x11ff) || // conjoining jamo
    (c >= 0x3130 && c <= 0x318f) || // compatibility jamo
    (c >= 0xa960 && c <= 0xa97f) ||
    (c >= 0xd7b0 && c <= 0xd7ff)
  );
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0xa0 || c === 0x3000;
}

/** Hangul characters over non-space characters; 0 for an empty or all-space text. */
export function hangulRatio(text: string): number {
  let hangul = 0;
  let counted = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    counted++;
    if (isHangul(c)) hangul++;
  }
  return counted === 0 ? 0 : hangul / counted;
}

/** Non-empty lines equal to an earlier line, over non-empty lines; 0 for a single line. */
export function repeatedLineRatio(text: string): number {
  if (!text.includes("\n")) return 0;
  const seen = new Set<string>();
  let lines = 0;
  let repeated = 0;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    lines++;
    if (seen.has(line)) repeated++;
    else seen.add(line);
  }
  return lines === 0 ? 0 : repeated / lines;
}

/** The first reason a text fails, or undefined when it passes. */
export function qualityFilterReason(text: string, options: QualityFilterOptions = {}): FilterReason | undefined {
  const o = { ...DEFAULT_QUALITY_FILTER, ...options };
  if (text.length < o.minChars) return "too_short";
  if (o.minHangulRatio > 0 && hangulRatio(text) < o.minHangulRatio) return "low_hangul_ratio";
  if (o.maxRepeatedLineRatio < 1 && repeatedLineRatio(text) > o.maxRepeatedLineRatio) return "repeated_lines";
  return undefined;
}

/** The filter stage: passes documents that meet every threshold, counts the rest by reason. */
export function qualityFilterStage(options: QualityFilterOptions = {}): NamedStageFn {
  const o = { ...DEFAULT_QUALITY_FILTER, ...options };
  return filterStage("filter", (doc) => qualityFilterReason(doc.text, o));
}

/** The filter stage applied to a stream (statistics optional). */
export function qualityFilter(docs: AsyncIterable<Document>, options: QualityFilterOptions = {}, stats = new StageStats("filter")): AsyncIterable<Document> {
  return qualityFilterStage(options)(docs, stats);
}

export const filterDefinition = defineStage({
  name: "filter",
  kind: "document",
  description: "document-level quality filters: length, Hangul share, repeated lines",
  options: QualityFilterOptionsSchema,
  create: (options) => qualityFilterStage(options),
  report: (stats) => genericStageSection(stats, "Quality filters"),
});
