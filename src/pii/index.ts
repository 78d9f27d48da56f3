/**
 * Korean PII scrubbing: resident registration numbers, phone numbers and bank account numbers
 * replaced by privacy tokens. The rules are in docs/pii.md.
 *
 *   import { scrubText } from "korpipe";
 *   scrubText("문의 010-1234-5678").text; // "문의 <|tell|>"
 */
export { scrubText, createScrubber, Scrubber, type ScrubOptions, type ScrubResult, type PiiMatch } from "./scrub.js";
export { scrubStage, scrubDefinition, ScrubStageOptionsSchema } from "./stage.js";
export { rrnChecksumValid, rrnBirthDateValid } from "./rrn.js";
export {
  evaluateCases,
  formatEvalReport,
  labelledSpans,
  applySpans,
  type LabelledCase,
  type LabelledSpan,
  type EvalReport,
  type TypeScore,
  type KindScore,
  type CaseOutcome,
} from "./evaluate.js";
export {
  parsePrivacyTokens,
  DEFAULT_PRIVACY_TOKENS,
  PRIVACY_TOKEN_PRESETS,
  PII_TYPES,
  type PiiType,
  type PrivacyTokens,
} from "./privacy-tokens.js";
