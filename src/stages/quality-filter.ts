/**
 * The quality filter stage: line cleaning (boilerplate lines, news tails, datelines) and the document
 * rules of src/stages/quality, with the `korean-web` preset by default and the three original rules
 * as preset `basic`. A document is dropped under the first rule it fails; lines cut are counted per
 * rule as `lines_cut.<rule>` counters.
 */
import type { Document } from "../types.js";
import type { StageStats } from "./stats.js";
import { judgeText } from "./quality/judge.js";
import { PRESETS, qualitySettings, type QualityFilterOptions } from "./quality/options.js";
import type { QualityReason } from "./quality/rules.js";
import { TextProfile } from "./quality/profile.js";
import { documentReason } from "./quality/rules.js";

export { hangulRatio } from "./quality/hangul-ratio.js";
export { repeatedLineRatio } from "./quality/repetition.js";
export type { QualityFilterOptions } from "./quality/options.js";
export type FilterReason = QualityReason;

/** The default settings (preset korean-web). */
export const DEFAULT_QUALITY_FILTER = PRESETS["korean-web"];

/** The first document rule a text fails (without line cleaning), or undefined when it passes. */
export function qualityFilterReason(text: string, options: QualityFilterOptions = {}): FilterReason | undefined {
  return documentReason(new TextProfile(text), qualitySettings(options));
}

/** The filter stage: passes documents that meet every threshold (line-cleaned), counts the rest by reason. */
export async function* qualityFilter(docs: AsyncIterable<Document>, options: QualityFilterOptions = {}, stats?: StageStats): AsyncGenerator<Document> {
  const settings = qualitySettings(options);
  for await (const doc of docs) {
    stats?.in(doc);
    const verdict = judgeText(doc.text, settings);
    for (const [rule, n] of Object.entries(verdict.cuts)) stats?.count(`lines_cut.${rule}`, n);
    if (verdict.reason) {
      stats?.filter(doc, verdict.reason);
      continue;
    }
    const out = verdict.text === doc.text ? doc : { ...doc, text: verdict.text };
    stats?.out(out);
    yield out;
  }
}
