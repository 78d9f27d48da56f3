/**
 * One document through the quality filter: NFC if it arrived decomposed, line cleaning, then the
 * document rules. Pure: text in, verdict out; the stage does the counting.
 */
import { cleanLines, type LineRule } from "./boilerplate-lines.js";
import { composed } from "./hangul.js";
import type { QualitySettings } from "./options.js";
import { TextProfile } from "./profile.js";
import { documentReason, type QualityReason } from "./rules.js";

export interface QualityVerdict {
  /** The text to pass on: line-cleaned when `cleanLines` is on, else the input unchanged. */
  text: string;
  /** Why the document is dropped; undefined when it is kept. */
  reason?: QualityReason;
  /** Lines cut per line rule. */
  cuts: Partial<Record<LineRule, number>>;
}

export function judgeText(input: string, o: QualitySettings): QualityVerdict {
  const text = composed(input);
  if (!o.cleanLines) return { text: input, reason: documentReason(new TextProfile(text), o), cuts: {} };
  const cleaned = cleanLines(text);
  const cutShare = text.length === 0 ? 0 : 1 - cleaned.text.length / text.length;
  const after = new TextProfile(cleaned.text);
  const reason = documentReason(after, o, cutShare, cleaned.text === text ? after : new TextProfile(text));
  return { text: cleaned.text === text ? input : cleaned.text, reason, cuts: cleaned.cuts };
}
