/**
 * The quality filter stage: line cleaning (boilerplate lines, news tails, datelines) and the document
 * rules of src/stages/quality, with the `korean-web` preset by default and korpipe's three original
 * rules as preset `basic`. A document is dropped under the first rule it fails; lines cut are counted
 * per rule as `lines_cut.<rule>` counters.
 */
import { z } from "zod";
import type { Document } from "../types.js";
import { defineStage } from "./registry.js";
import { filterMapStage, type NamedStageFn } from "./stage.js";
import { StageStats } from "../stats/stage-stats.js";
import { judgeText } from "./quality/judge.js";
import { OPTION_SPECS, PRESETS, QUALITY_PRESETS, offValue, qualitySettings, type QualityFilterOptions, type QualitySettings } from "./quality/options.js";
import { TextProfile } from "./quality/profile.js";
import { documentReason, type QualityReason } from "./quality/rules.js";
import { qualityReportSection } from "./quality/report.js";

export { hangulRatio } from "./quality/hangul-ratio.js";
export { repeatedLineRatio } from "./quality/repetition.js";
export type { QualityFilterOptions } from "./quality/options.js";
export type FilterReason = QualityReason;

/** The default settings (preset korean-web). */
export const DEFAULT_QUALITY_FILTER: QualitySettings = PRESETS["korean-web"];

/** The help line of an option: what it bounds, its reason, how to turn it off, each preset's value. */
export function optionHelp(key: keyof QualitySettings): string {
  const s = OPTION_SPECS[key];
  const values = QUALITY_PRESETS.map((p) => `${p} ${PRESETS[p][key]}`).join(", ");
  return `${s.help} (reason ${s.reason}; ${offValue(key)} turns it off; ${values})`;
}

// The preset supplies every value a config leaves out, so the rule keys have no defaults of their own.
const share = (key: keyof QualitySettings) => z.number().min(0).max(1).optional().describe(optionHelp(key));
const rate = (key: keyof QualitySettings) => z.number().nonnegative().optional().describe(optionHelp(key));

/** The filter stage's options: a preset and any rule keys that override it. */
export const QualityFilterOptionsSchema = z.object({
  preset: z.enum(QUALITY_PRESETS).default("korean-web").describe("korean-web (every rule) or basic (length, Hangul share, repeated lines)"),
  cleanLines: z.boolean().optional().describe(optionHelp("cleanLines")),
  maxBoilerplateShare: share("maxBoilerplateShare"),
  minChars: z.number().int().nonnegative().optional().describe(optionHelp("minChars")),
  minHangulRatio: share("minHangulRatio"),
  minHangulLetterShare: share("minHangulLetterShare"),
  maxJamoEmojiRatio: share("maxJamoEmojiRatio"),
  maxRareSyllableShare: share("maxRareSyllableShare"),
  minFrequentSyllableShare: share("minFrequentSyllableShare"),
  maxSpamWordRate: rate("maxSpamWordRate"),
  maxChromeWordRate: rate("maxChromeWordRate"),
  maxPriceLineShare: share("maxPriceLineShare"),
  maxKeywordListShare: share("maxKeywordListShare"),
  maxHeadlineLineShare: share("maxHeadlineLineShare"),
  maxCommentLineShare: share("maxCommentLineShare"),
  minMeanWordLength: rate("minMeanWordLength"),
  maxMeanWordLength: rate("maxMeanWordLength"),
  maxRepeatedLineRatio: share("maxRepeatedLineRatio"),
  maxRepeatedSentenceShare: share("maxRepeatedSentenceShare"),
  maxTopNgramShare: share("maxTopNgramShare"),
  maxDuplicatedNgramShare: share("maxDuplicatedNgramShare"),
  maxMisplacedEndingRate: rate("maxMisplacedEndingRate"),
} satisfies Record<keyof QualitySettings | "preset", z.ZodTypeAny>);

/** The first document rule a text fails (without line cleaning), or undefined when it passes. */
export function qualityFilterReason(text: string, options: QualityFilterOptions = {}): FilterReason | undefined {
  return documentReason(new TextProfile(text), qualitySettings(options));
}

/** The filter stage: drops documents by the first rule they fail, passes the rest line-cleaned. */
export function qualityFilterStage(options: QualityFilterOptions = {}): NamedStageFn {
  const settings = qualitySettings(options);
  return filterMapStage("filter", (doc, stats) => {
    const verdict = judgeText(doc.text, settings);
    for (const [rule, n] of Object.entries(verdict.cuts)) stats.count(`lines_cut.${rule}`, n);
    if (verdict.reason) return verdict.reason;
    return verdict.text === doc.text ? doc : { ...doc, text: verdict.text };
  });
}

/** The filter stage applied to a stream (statistics optional). */
export function qualityFilter(docs: AsyncIterable<Document>, options: QualityFilterOptions = {}, stats = new StageStats("filter")): AsyncIterable<Document> {
  return qualityFilterStage(options)(docs, stats);
}

export const filterDefinition = defineStage({
  name: "filter",
  kind: "document",
  description: "Korean quality filters: boilerplate lines and news tails cut, then page chrome, spam, lists, repetition and broken text dropped (preset korean-web; basic: length, Hangul share, repeated lines)",
  options: QualityFilterOptionsSchema,
  create: (options) => qualityFilterStage(options),
  report: (stats) => qualityReportSection(stats),
});
