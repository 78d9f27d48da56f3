/**
 * Document-level quality filters for Korean web text. Each drops a document for one named reason,
 * checked in a fixed order so that a document is counted under the first reason it fails.
 */
import type { Document } from "../types.js";
import type { StageStats } from "./stats.js";

export interface QualityFilterOptions {
  /** Minimum characters (UTF-16 units, after normalization). Default 50: shorter texts are mostly menus, captions and fragments. */
  minChars?: number;
  /** Minimum share of Hangul among non-space characters. Default 0.4: Korean news runs at 0.7-0.9, code and English pages well below. */
  minHangulRatio?: number;
  /** Maximum share of non-empty lines that repeat an earlier line. Default 0.3, Gopher's duplicate-line threshold. */
  maxRepeatedLineRatio?: number;
}

export type FilterReason = "too_short" | "low_hangul_ratio" | "repeated_lines";

export const DEFAULT_QUALITY_FILTER: Required<QualityFilterOptions> = {
  minChars: 50,
  minHangulRatio: 0.4,
  maxRepeatedLineRatio: 0.3,
};

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
export async function* qualityFilter(docs: AsyncIterable<Document>, options: QualityFilterOptions = {}, stats?: StageStats): AsyncGenerator<Document> {
  for await (const doc of docs) {
    stats?.in(doc);
    const reason = qualityFilterReason(doc.text, options);
    if (reason) {
      stats?.filter(doc, reason);
      continue;
    }
    stats?.out(doc);
    yield doc;
  }
}
