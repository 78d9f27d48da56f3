/**
 * Text normalization for Korean web text: NFC (which also composes conjoining Hangul jamo into
 * syllables), line breaks unified, control and zero-width characters removed, runs of spaces
 * collapsed, lines and the document trimmed.
 */
import type { Document } from "../types.js";
import type { StageStats } from "./stats.js";

// C0/C1 controls except \t and \n (handled below) and \r (turned into \n first).
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Zero-width space/joiners, word joiner, BOM; soft hyphen is invisible too.
const ZERO_WIDTH = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
// Tabs and every Unicode space separator (NBSP, ideographic space, ...).
const SPACES = /[\t\p{Zs}]+/gu;
const SPACE_AROUND_NEWLINE = / ?\n ?/g;
// Anything that could need work; plain Hangul/ASCII text with single spaces skips the regex passes.
const NEEDS_WORK = /[\u0000-\u0009\u000B-\u001F\u007F-\u00AD\u1680\u2000-\u206F\u3000\uFEFF]|  | \n|\n /;

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
export async function* normalize(docs: AsyncIterable<Document>, _options: NormalizeOptions = {}, stats?: StageStats): AsyncGenerator<Document> {
  for await (const doc of docs) {
    stats?.in(doc);
    const text = normalizeText(doc.text);
    const out = text === doc.text ? doc : { ...doc, text };
    stats?.out(out);
    yield out;
  }
}
