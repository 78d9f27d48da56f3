/**
 * The scrub stage: every document passes, with personal information replaced by privacy
 * tokens. Counts per type go to the stage statistics (`pii.rrn`, `pii.tell`, `pii.acc`, and
 * `pii.docs` for documents with any); the matched values go nowhere.
 */
import { z } from "zod";
import type { Document, Stage } from "../types.js";
import type { StageStats } from "../stats/stage-stats.js";
import { dateFromPinned, defineStage } from "../stages/registry.js";
import { mapStage } from "../stages/stage.js";
import { parsePrivacyTokens, PII_TYPES, type PiiType } from "./privacy-tokens.js";
import { scrubReport } from "./report-section.js";
import { Scrubber, type ScrubOptions } from "./scrub.js";

const COUNTER = { rrn: "pii.rrn", tell: "pii.tell", acc: "pii.acc" } as const;

export function scrubStage(options?: ScrubOptions): Stage {
  const scrubber = new Scrubber(options);
  const scrubOne = mapStage("scrub", (doc: Document, stats: StageStats) => {
    const found = scrubber.find(doc.text);
    if (found.length === 0) return doc;
    for (const m of found) stats.count(COUNTER[m.type]);
    stats.count("pii.docs");
    return { ...doc, text: scrubber.replace(doc.text, found) };
  });
  return (docs, stats) => {
    // Zero counters are reported too, so stats.json always shows what was looked for.
    for (const type of PII_TYPES) stats.count(COUNTER[type], 0);
    stats.count("pii.docs", 0);
    return scrubOne(docs, stats);
  };
}

export const ScrubStageOptionsSchema = z.object({
  privacyTokens: z
    .string()
    .default("default")
    .describe("a preset (default: <|rrn|> <|tell|> <|acc|>; polyglot-ko: <|tel|> for phones) or rrn=…,tell=…,acc=…"),
  types: z
    .array(z.enum(PII_TYPES as unknown as [PiiType, ...PiiType[]]))
    .min(1)
    .optional()
    .describe(`which kinds to replace (default: all of ${PII_TYPES.join(", ")})`),
});

export const scrubDefinition = defineStage({
  name: "scrub",
  kind: "document",
  description: "Korean personal numbers (resident registration, phone, bank account) replaced by privacy tokens",
  options: ScrubStageOptionsSchema,
  // The birth-date check compares against "today": pinned in the plan, so reruns agree.
  create: (options, context) =>
    scrubStage({ tokens: parsePrivacyTokens(options.privacyTokens), today: dateFromPinned(context.today), ...(options.types ? { types: options.types } : {}) }),
  report: scrubReport,
});
