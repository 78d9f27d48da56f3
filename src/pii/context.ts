/**
 * What the recognizers look at around a candidate number in the view: digit boundaries (not
 * `\b`, which is ASCII-only and blind to Hangul touching a number) and the clause before and
 * after it, where cue words decide ambiguous cases.
 */

const ZERO = 0x30;
const NINE = 0x39;

export function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= ZERO && c <= NINE;
}

/** Digits and the mask characters of masked numbers ("900101-1******"). */
function isNumberCharAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if ((c >= ZERO && c <= NINE) || c === 0x2a || c === 0x25cf) return true;
  // x/X mask only after a digit or another mask: "1xxxxxx", not the x of "Box".
  return (c === 0x78 || c === 0x58) && i > 0 && isNumberCharAt(s, i - 1);
}

// Characters that join two numbers into one: "010-1234-5678-9", "1.02.123.4567", "5678+82".
const isJoiner = (c: number) => c === 0x2d || c === 0x2e || c === 0x2b;

/** Length of the run of digits ending just before `end` (going back) or starting at `start`. */
function digitsBefore(s: string, end: number): number {
  let i = end;
  while (i > 0 && isDigitAt(s, i - 1)) i--;
  return end - i;
}
function digitsFrom(s: string, start: number): number {
  let i = start;
  while (i < s.length && isDigitAt(s, i)) i++;
  return i - start;
}

/**
 * A match must not continue a longer number: no digit (or mask) right before or after it, and
 * none joined to it by "-", "." or "+". When the match itself uses spaces between its groups
 * (`spaced`), a group of four digits one space away continues it too (a spaced card number,
 * "9410 0504 2345 6789"), while "1 010 1234 5678" is a numbered list. The scrubber rescans
 * around each token, so a spaced number held back by a neighbour that turns out to be a phone
 * number is found once that neighbour is replaced.
 */
export function digitBoundaryOk(view: string, start: number, end: number, spaced: boolean): boolean {
  if (start > 0) {
    if (isNumberCharAt(view, start - 1)) return false;
    const c = view.charCodeAt(start - 1);
    if (isJoiner(c) && start > 1 && isNumberCharAt(view, start - 2)) return false;
    if (spaced && c === 0x20 && digitsBefore(view, start - 1) === 4) return false;
    if (dashAcrossLineBefore(view, start)) return false;
  }
  if (end < view.length) {
    if (isDigitAt(view, end) || view.charCodeAt(end) === 0x2a || view.charCodeAt(end) === 0x25cf) return false;
    const c = view.charCodeAt(end);
    if (isJoiner(c) && end + 1 < view.length && isDigitAt(view, end + 1)) return false;
    if (spaced && c === 0x20 && digitsFrom(view, end + 1) === 4) return false;
    if (dashAcrossLineAfter(view, end)) return false;
  }
  return true;
}

// A dash at a line end (or a line start) joins the digits on both lines into one number: a match
// that stops there would leave part of the number behind ("110-842-⏎937409", "…-⏎72").
const DASH_ACROSS_LINE_AFTER = /^[ \t]*(?:-[ \t]*\r?\n|\r?\n[ \t]*-)[ \t]*\d/;
const DASH_ACROSS_LINE_BEFORE = /\d[ \t]*(?:-[ \t]*\r?\n|\r?\n[ \t]*-)[ \t]*$/;

function dashAcrossLineAfter(view: string, end: number): boolean {
  const c = view.charCodeAt(end);
  if (c !== 0x2d && c !== 0x0a && c !== 0x0d && c !== 0x20 && c !== 0x09) return false;
  return DASH_ACROSS_LINE_AFTER.test(view.slice(end, end + 12));
}

function dashAcrossLineBefore(view: string, start: number): boolean {
  const c = view.charCodeAt(start - 1);
  if (c !== 0x2d && c !== 0x0a && c !== 0x20 && c !== 0x09) return false;
  return DASH_ACROSS_LINE_BEFORE.test(view.slice(Math.max(0, start - 12), start));
}

/** True when the groups of a matched number are separated by plain spaces somewhere. */
export function usesSpaceSeparator(match: string): boolean {
  for (let i = 1; i + 1 < match.length; i++) {
    if (match.charCodeAt(i) === 0x20 && isDigitAt(match, i - 1) && isDigitAt(match, i + 1)) return true;
  }
  return false;
}

// A clause ends at a comma, slash, semicolon, bar, line break or another number; sentence ends
// (". ", "? ", "! ") too. Ideographic comma and the fullwidth comma NFKC leaves as "," count.
function isClauseBarrier(view: string, i: number): boolean {
  const c = view.charCodeAt(i);
  if (c >= ZERO && c <= NINE) return true;
  if (c === 0x2c || c === 0x2f || c === 0x3b || c === 0x7c || c === 0x0a || c === 0x0d || c === 0x3001) return true;
  if ((c === 0x2e || c === 0x3f || c === 0x21) && i + 1 < view.length && view.charCodeAt(i + 1) === 0x20) return true;
  return false;
}

/**
 * The clause that ends at `pos`: at most `max` characters back, never across a clause barrier
 * or a privacy token already in the text (so scrubbed output reads the same way again).
 */
export function clauseBefore(view: string, pos: number, max: number, tokens: readonly string[]): string {
  const limit = Math.max(0, pos - max);
  let i = pos;
  while (i > limit && !isClauseBarrier(view, i - 1)) i--;
  let window = view.slice(i, pos);
  for (const token of tokens) {
    const t = window.lastIndexOf(token);
    if (t >= 0) window = window.slice(t + token.length);
  }
  return window;
}

/** The clause that starts at `pos` (see clauseBefore). */
export function clauseAfter(view: string, pos: number, max: number, tokens: readonly string[]): string {
  const limit = Math.min(view.length, pos + max);
  let i = pos;
  while (i < limit && !isClauseBarrier(view, i)) i++;
  let window = view.slice(pos, i);
  for (const token of tokens) {
    const t = window.indexOf(token);
    if (t >= 0) window = window.slice(0, t);
  }
  return window;
}

/** End offset of the last match of a global regex in `s`, or -1. */
export function lastMatchEnd(re: RegExp, s: string): number {
  re.lastIndex = 0;
  let end = -1;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    end = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  return end;
}

/**
 * Which kind of cue stands nearest before a number in `window` (the clause before it):
 * "positive", "negative", or null when neither occurs.
 */
export function nearestCue(window: string, positive: RegExp, negative: RegExp): "positive" | "negative" | null {
  const p = lastMatchEnd(positive, window);
  const n = lastMatchEnd(negative, window);
  if (p < 0 && n < 0) return null;
  return p >= n ? "positive" : "negative";
}
