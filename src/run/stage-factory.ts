/**
 * Per-document stages built from their config entries. Dedup and tokenize are not per-document
 * stages: the run's phases handle them.
 */
import type { NamedStage } from "../types.js";
import type { StageConfig } from "./config.js";
import { normalize } from "../stages/normalize.js";
import { qualityFilter } from "../stages/quality-filter.js";
import { scrubStage } from "../pii/index.js";
import { parsePrivacyTokens } from "../pii/privacy-tokens.js";

export function stageFromConfig(s: StageConfig): NamedStage {
  switch (s.stage) {
    case "normalize":
      return { name: "normalize", run: (docs, stats) => normalize(docs, {}, stats) };
    case "filter": {
      const opts = { minChars: s.minChars, minHangulRatio: s.minHangulRatio, maxRepeatedLineRatio: s.maxRepeatedLineRatio };
      return { name: "filter", run: (docs, stats) => qualityFilter(docs, opts, stats) };
    }
    case "scrub":
      return { name: "scrub", run: scrubStage({ tokens: parsePrivacyTokens(s.privacyTokens) }) };
    case "dedup":
    case "tokenize":
      throw new Error(`${s.stage} is not a per-document stage`);
  }
}
