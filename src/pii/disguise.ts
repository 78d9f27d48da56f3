/**
 * Numbers written to get past filters: Sino-Korean number words ("공일공-구팔이오-…"), the letters
 * O/o for 0 and I/l for 1 inside digit groups ("o1o.9172.836o"), a space between every digit
 * ("0 1 0 2 5 9 …"), and the hyphen spelt out ("010대시9825대시1961", "010ㅡ1234ㅡ5678").
 * Keycap emoji digits and invisible characters are already gone in the view (view.ts).
 *
 * The decoder rewrites such a number into plain digits in a copy of the view, with a map back,
 * and the recognizers read the copy. It decodes a run only when it is long enough to be one of
 * the numbers (eight digit places or more) and was disguised; number words inside prose
 * ("일이 삼일 만에", "오일", "이사") never make such a run, and what the decoder yields must
 * still pass every recognizer's own rules.
 */

/** Sino-Korean digit words (육 and 륙 are both 6; 공 and 영 both 0). */
const WORD_DIGIT: Record<string, string> = {
  공: "0", 영: "0", 일: "1", 이: "2", 삼: "3", 사: "4", 오: "5", 육: "6", 륙: "6", 칠: "7", 팔: "8", 구: "9",
};
const LETTER_DIGIT: Record<string, string> = { O: "0", o: "0", I: "1", l: "1" };
const WORDS = "공영일이삼사오육륙칠팔구";

// A group: digits, number words and look-alike letters; between groups one separator, which may
// be a spelt-out hyphen or the Hangul vowel ㅡ (U+1173 after NFKC) used as one.
const SPELT_HYPHEN = "대시|다시|하이픈|빼기|마이너스|dash|DASH|Dash|\\u1173";
const UNIT = `[0-9OoIl${WORDS}]`;
const SEPARATOR = `(?:[ \\t]?(?:[-.]|${SPELT_HYPHEN})[ \\t]?(?:\\r?\\n[ \\t]?)?|[ \\t]?\\r?\\n[ \\t]?|[ \\t]{1,2})`;
const RUN = new RegExp(`${UNIT}+(?:${SEPARATOR}${UNIT}+)*`, "g");
const GROUP_OR_SEPARATOR = new RegExp(`${UNIT}+|${SEPARATOR}`, "g");

/** Places a number needs at least (a representative number has eight digits). */
const MIN_PLACES = 8;

// The cheap tests every text with a digit or a number word goes through: each a plain regex
// that V8 scans fast, in turn (one regex with all of them as alternatives is several times
// slower, since number words such as 이, 일, 사 are among the commonest syllables of Korean).
const MAY_BE_DISGUISED = [
  new RegExp(`[${WORDS}]{3}`), // a run of number words
  // Number words one at a time, from the 0 that starts a phone number ("공 일 공 …"); any other
  // start costs as much again on every text for a form nobody was seen to use.
  new RegExp(`[공영] [${WORDS}] [${WORDS}] [${WORDS}]`),
  /[OoIl][-.]?[0-9]/, // a look-alike letter before a digit
  // After a digit: a look-alike letter, a number word (not the particle 이 or the unit 일), digits
  // one at a time, or the start of a spelt hyphen (대시, 다시, 하이픈, 빼기, 마이너스, dash, ㅡ).
  new RegExp(`[0-9](?:[-.]?[OoIl]|[공영삼사오육륙칠팔구]|[ \\t.-]\\d[ \\t.-]\\d[ \\t.-]\\d|[ \\t]?(?:${SPELT_HYPHEN}))`),
];

/** False when nothing in the (NFKC) text can be a number written in words, letters or spaced digits. */
export function mayBeDisguised(nfkc: string): boolean {
  for (const re of MAY_BE_DISGUISED) if (re.test(nfkc)) return true;
  return false;
}

/** Whether text without any digit could still hold a number written in words. */
export function mayHoldNumberWords(text: string): boolean {
  return MAY_BE_DISGUISED[0]!.test(text) || MAY_BE_DISGUISED[1]!.test(text);
}


/** The view rewritten with disguised numbers in plain digits, and where each character came from. */
export interface DecodedView {
  text: string;
  /** View offset where decoded character k starts, and where it ends (exclusive). */
  from: number[];
  to: number[];
  /** Decoded [start, end) ranges that differ from the view. */
  changed: [number, number][];
}

interface Piece {
  start: number;
  end: number;
  /** A group of digit places, or a separator between two. */
  group: boolean;
}

/** 이 (the subject particle) and 일 (day) glued to the end of digits are words. */
const PARTICLE_OR_UNIT = /[0-9][이일]$/;
const isHangul = (c: number) => c >= 0xac00 && c <= 0xd7a3;
const isLatinLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigitCode = (c: number) => c >= 0x30 && c <= 0x39;
const UNIT_CHAR = new RegExp(UNIT);
const SPELT_ANYWHERE = new RegExp(SPELT_HYPHEN);

/**
 * The decoded view, or null when nothing in `view` is a disguised number. Runs on the view
 * (NFKC, dashes unified, invisible characters gone).
 */
export function decodeDisguises(view: string): DecodedView | null {
  const out: DecodedView = { text: "", from: [], to: [], changed: [] };
  let copied = 0;
  RUN.lastIndex = 0;
  for (let m = RUN.exec(view); m !== null; m = RUN.exec(view)) {
    if (m[0].length < MIN_PLACES) continue;
    for (const span of decodableSpans(view, splitRun(view, m.index, m.index + m[0].length))) {
      copy(view, copied, span[0]!.start, out);
      decodeSpan(view, span, out);
      copied = span[span.length - 1]!.end;
    }
  }
  if (out.changed.length === 0) return null;
  copy(view, copied, view.length, out);
  return out;
}

/** A run as its groups and separators, which tile it. */
function splitRun(view: string, start: number, end: number): Piece[] {
  const pieces: Piece[] = [];
  GROUP_OR_SEPARATOR.lastIndex = start;
  for (let m = GROUP_OR_SEPARATOR.exec(view); m !== null && m.index < end; m = GROUP_OR_SEPARATOR.exec(view)) {
    pieces.push({ start: m.index, end: m.index + m[0].length, group: UNIT_CHAR.test(m[0][0]!) });
  }
  return pieces;
}

/**
 * Whether a group can stand for digit places here (`ok`) and whether it is written another way
 * than in digits (`disguised`).
 */
function readGroup(view: string, p: Piece, first: boolean, last: boolean): { ok: boolean; disguised: boolean } {
  let digits = 0;
  let words = 0;
  let letters = 0;
  for (let i = p.start; i < p.end; i++) {
    const c = view.charCodeAt(i);
    if (isDigitCode(c)) digits++;
    else if (isHangul(c)) words++;
    else letters++;
  }
  const no = { ok: false, disguised: false };
  // Letters beside real digits ("o1o"), or a group of them between digit groups ("OIO-1234-…",
  // checked when the span is complete), never inside a Latin word ("H2O", "CASIO 1234…").
  if (letters > 0) {
    if (digits === 0 && words === 0 && p.end - p.start < 2) return no;
    if (first && p.start > 0 && isLatinLetter(view.charCodeAt(p.start - 1))) return no;
    if (last && p.end < view.length && isLatinLetter(view.charCodeAt(p.end))) return no;
  }
  if (words > 0) {
    // Number words never continue a Hangul word on their left ("오늘", "번호이…").
    if (first && p.start > 0 && isHangul(view.charCodeAt(p.start - 1))) return no;
    // One syllable after digits may be a particle or a unit ("5678이", "15일"), not a digit.
    if (digits > 0 && words === 1 && PARTICLE_OR_UNIT.test(view.slice(p.start, p.end))) return no;
  }
  return { ok: true, disguised: words > 0 || letters > 0 };
}

/**
 * The stretches of a run worth decoding: consecutive readable groups with their separators,
 * at least MIN_PLACES places, and something disguised in them.
 */
function decodableSpans(view: string, pieces: Piece[]): Piece[][] {
  const spans: Piece[][] = [];
  let current: Piece[] = [];
  let places = 0;
  let disguised = false;
  const flush = () => {
    while (current.length > 0 && !current[current.length - 1]!.group) current.pop();
    const decodable = disguised || spacedDigits(current) || current.some((p) => isSpeltHyphen(view, p));
    if (places >= MIN_PLACES && decodable && enoughRealDigits(view, current)) spans.push(current);
    current = [];
    places = 0;
    disguised = false;
  };
  pieces.forEach((p, i) => {
    if (!p.group) {
      if (current.length > 0) current.push(p);
      return;
    }
    const read = readGroup(view, p, current.length === 0, i === pieces.length - 1);
    if (!read.ok) {
      flush();
      return;
    }
    current.push(p);
    places += p.end - p.start;
    disguised ||= read.disguised;
  });
  flush();
  return spans;
}

/** A span with letter-only groups ("OIO") needs most of its places in real digits. */
function enoughRealDigits(view: string, span: Piece[]): boolean {
  let digits = 0;
  let letterOnly = false;
  for (const p of span) {
    if (!p.group) continue;
    const g = view.slice(p.start, p.end);
    if (/^[OoIl]+$/.test(g)) letterOnly = true;
    for (let i = 0; i < g.length; i++) if (isDigitCode(g.charCodeAt(i))) digits++;
  }
  return !letterOnly || digits >= 6;
}

/** Every group a single place: "0 1 0 2 5 9 4 6 5 4 4" (each group is one digit or word). */
function spacedDigits(span: Piece[]): boolean {
  return span.length >= 2 * MIN_PLACES - 1 && span.every((p) => !p.group || p.end - p.start === 1);
}

const isSpeltHyphen = (view: string, p: Piece) => !p.group && SPELT_ANYWHERE.test(view.slice(p.start, p.end));

function copy(view: string, from: number, to: number, out: DecodedView): void {
  if (to <= from) return;
  out.text += view.slice(from, to);
  for (let i = from; i < to; i++) {
    out.from.push(i);
    out.to.push(i + 1);
  }
}

function emit(out: DecodedView, s: string, from: number, to: number): void {
  for (let k = 0; k < s.length; k++) {
    out.text += s[k];
    out.from.push(from);
    out.to.push(to);
  }
}

/** The separator written between single digits ("0 1 0", "0.1.0"): the most frequent one. */
function perDigitSeparator(view: string, span: Piece[]): string {
  const counts = new Map<string, number>();
  for (const p of span) if (!p.group) counts.set(view.slice(p.start, p.end), (counts.get(view.slice(p.start, p.end)) ?? 0) + 1);
  let best = "";
  let most = 0;
  for (const [sep, n] of counts) if (n > most) [best, most] = [sep, n];
  return best;
}

function decodeSpan(view: string, span: Piece[], out: DecodedView): void {
  const start = out.text.length;
  const collapse = spacedDigits(span);
  const perDigit = collapse ? perDigitSeparator(view, span) : "";
  for (const p of span) {
    if (p.group) {
      for (let i = p.start; i < p.end; i++) emit(out, WORD_DIGIT[view[i]!] ?? LETTER_DIGIT[view[i]!] ?? view[i]!, i, i + 1);
    } else if (isSpeltHyphen(view, p)) emit(out, "-", p.start, p.end);
    // Digits written one by one lose the separator between each two, and keep another one
    // (the dash of "0 1 0 - 1 2 3 4 - …") between groups.
    else if (collapse) {
      const sep = view.slice(p.start, p.end);
      emit(out, sep === perDigit ? "" : sep.replace(/\s/g, ""), p.start, p.end);
    }
    else emit(out, view.slice(p.start, p.end), p.start, p.end);
  }
  out.changed.push([start, out.text.length]);
}
