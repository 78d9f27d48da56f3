/**
 * The scrub stage: every document passes, with personal information replaced by privacy
 * tokens. Counts per type go to the stage statistics (`pii.rrn`, `pii.tell`, `pii.acc`, and
 * `pii.docs` for documents with any); the matched values go nowhere.
 */
import type { Document, Stage } from "../types.js";
import type { StageStats } from "../stages/stats.js";
import { PII_TYPES } from "./privacy-tokens.js";
import { Scrubber, type ScrubOptions } from "./scrub.js";

const COUNTER = { rrn: "pii.rrn", tell: "pii.tell", acc: "pii.acc" } as const;

export function scrubStage(options?: ScrubOptions): Stage {
  const scrubber = new Scrubber(options);
  return async function* scrub(docs: AsyncIterable<Document>, stats: StageStats): AsyncGenerator<Document> {
    // Zero counters are reported too, so stats.json always shows what was looked for.
    for (const type of PII_TYPES) stats.count(COUNTER[type], 0);
    stats.count("pii.docs", 0);
    for await (const doc of docs) {
      stats.in(doc);
      const found = scrubber.find(doc.text);
      if (found.length === 0) {
        stats.out(doc);
        yield doc;
        continue;
      }
      for (const m of found) stats.count(COUNTER[m.type]);
      stats.count("pii.docs");
      const out: Document = { ...doc, text: scrubber.replace(doc.text, found) };
      stats.out(out);
      yield out;
    }
  };
}
