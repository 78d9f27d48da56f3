/**
 * Text normalization for Korean web text: NFC (which also composes conjoining Hangul jamo into
 * syllables), line breaks unified, control and zero-width characters removed, runs of spaces
 * collapsed, lines and the document trimmed.
 */
import { z } from "zod";
import type { Document } from "../types.js";
import { defineStage } from "./registry.js";
import { mapStage, type NamedStageFn } from "./stage.js";
import { StageStats } from "../stats/stage-stats.js";

// C0/C1 controls except \t and \n (handled below) and \r (turned into \n first).
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Zero-width space/joiners, word joiner, BOM; soft hyphen is invisible too.
const ZERO_WIDTH = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
// Tabs and every Unicode space separator (NBSP, ideographic space, ...).
const SPACES = /[\t\p{Zs}]+/gu;
const SPACE_AROUND_NEWLINE = / ?\n ?/g;
// Exactly what the passes below change: controls, \r, zero-width characters, every \p{Zs} but a
// single U+0020, and spaces next to a line break. Korean text is full of General Punctuation
// (‘’ “” … ·), which a looser U+2000-U+206F range sent through every pass (57% of the bench corpus).
const NEEDS_WORK = /[\u0000-\u0009\u000B-\u001F\u007F-\u00A0\u00AD\u1680\u2000-\u200D\u202F\u205F\u2060\u3000\uFEFF]|  | \n|\n /;

export function normalizeText(text: string): string {
  let t = text;
  if (NEEDS_WORK.test(t)) {
    if (t.includes("\r")) t = t.replace(/\r\n?/g, "\n");
    t = t.replace(CONTROLS, "").replace(ZERO_WIDTH, "").replace(SPACES, " ").replace(SPACE_AROUND_NEWLINE, "\n");
  }
  t = t.normalize("NFC");
  return t.trim();
}

export interface NormalizeOptions {}

/** The normalize stage: every document passes, with normalized text. */
export function normalizeStage(_options: NormalizeOptions = {}): NamedStageFn {
  return mapStage("normalize", (doc) => {
    const text = normalizeText(doc.text);
    return text === doc.text ? doc : { ...doc, text };
  });
}

/** The normalize stage applied to a stream (statistics optional). */
export function normalize(docs: AsyncIterable<Document>, options: NormalizeOptions = {}, stats = new StageStats("normalize")): AsyncIterable<Document> {
  return normalizeStage(options)(docs, stats);
}

export const normalizeDefinition = defineStage({
  name: "normalize",
  kind: "document",
  description: "Unicode NFC, line breaks unified, control and zero-width characters removed, spaces collapsed, lines trimmed",
  options: z.object({}),
  create: (options) => normalizeStage(options),
});
