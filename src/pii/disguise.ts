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
const SPELT_HYPHEN = "대시|다시|하이픈|빼기|마이너스|dash|DASH|Dash|\\u1173|에";
// 에 (how a hyphen is read aloud) is also the commonest particle after a number ("10에"): the
// pre-check wants another digit or number word right after it.
const SPELT_HYPHEN_AFTER_DIGIT = "대시|다시|하이픈|빼기|마이너스|dash|DASH|Dash|\\u1173";
const UNIT = `[0-9OoIl${WORDS}]`;
const SEPARATOR = `(?:[ \\t]?(?:[-.]|${SPELT_HYPHEN})[ \\t]?(?:\\r?\\n[ \\t]?)?|[ \\t]?\\r?\\n[ \\t]?|[ \\t]{1,2})`;
const RUN = new RegExp(`${UNIT}+(?:${SEPARATOR}${UNIT}+)*`, "g");
/** Characters a run is made of (units and separators), to find where one starts. */
const RUN_CHAR = new RegExp(`[0-9OoIl${WORDS}대시다하픈빼기마너스dashDASH\\u1173에 \\t\\r\\n.-]`);
const MAX_RUN_BACK = 160;
const GROUP_OR_SEPARATOR = new RegExp(`${UNIT}+|${SEPARATOR}`, "g");

/** Places a number needs at least (a representative number has eight digits). */
const MIN_PLACES = 8;

// The cheap tests every text with a digit or a number word goes through: plain regexes that V8
// scans fast, run in turn (one regex with all of them as alternatives is several times slower,
// since number words such as 이, 일, 사 are among the commonest syllables of Korean).

/**
 * After a digit: a line break and a digit, a look-alike letter, a number word (not the particle
 * 이 or the unit 일), digits one at a time, a spelt hyphen (대시, 다시, 하이픈, 빼기, 마이너스,
 * dash, ㅡ), or 에 between digits.
 * A source, so the scrubber can fold it into its own scan for digit clusters, which starts at a
 * digit too.
 */
export const DISGUISE_AFTER_DIGIT = `[0-9](?:\\r?\\n[0-9]|[-.]?[OoIl]|[공영삼사오육륙칠팔구]|[ \\t.-]\\d[ \\t.-]\\d[ \\t.-]\\d|[ \\t]?(?:${SPELT_HYPHEN_AFTER_DIGIT})|[0-9][ \\t]?에[ \\t]?[0-9${WORDS}])`;
const AFTER_DIGIT = new RegExp(DISGUISE_AFTER_DIGIT);
const WORD_RUN = new RegExp(`[${WORDS}]{3}`);
const LETTER_BEFORE_DIGIT = /[OoIl][-.]?[0-9]/;
// Number words one at a time, from the 0 that starts a phone number ("공 일 공 …"); any other
// start costs as much again on every text for a form nobody was seen to use.
const SPACED_WORDS = new RegExp(`[공영] [${WORDS}] [${WORDS}] [${WORDS}]`);

/** Where the pre-checks fire, to read the runs around those places only. */
const HINT = new RegExp(`${WORD_RUN.source}|${SPACED_WORDS.source}|${LETTER_BEFORE_DIGIT.source}|${DISGUISE_AFTER_DIGIT}`, "g");

/** The tests that do not start at a digit: number words, and a look-alike letter before a digit. */
export function mayBeDisguisedApartFromDigits(nfkc: string): boolean {
  return WORD_RUN.test(nfkc) || LETTER_BEFORE_DIGIT.test(nfkc) || maySpellWordsOneAtATime(nfkc);
}

// A literal search is several times faster than the regex, which then runs on few texts.
const maySpellWordsOneAtATime = (s: string) => (s.includes("공 ") || s.includes("영 ")) && SPACED_WORDS.test(s);

/** False when nothing in the (NFKC) text can be a number written in words, letters or spaced digits. */
export function mayBeDisguised(nfkc: string): boolean {
  return AFTER_DIGIT.test(nfkc) || mayBeDisguisedApartFromDigits(nfkc);
}

/** Whether text without any digit could still hold a number written in words. */
export function mayHoldNumberWords(text: string): boolean {
  return WORD_RUN.test(text) || maySpellWordsOneAtATime(text);
}

/**
 * The view rewritten with disguised numbers in plain digits, and a map back. Only the rewritten
 * spans keep a per-character map; between them the text is the view's, shifted, so a long
 * document costs no more than its copy.
 */
export class DecodedView {
  text = "";
  /** Decoded [start, end) of each rewritten span, in order. */
  readonly changed: [number, number][] = [];
  /** Per rewritten span: the view range it came from, and where each of its characters did. */
  private readonly viewRange: [number, number][] = [];
  private readonly charFrom: number[][] = [];
  private readonly charTo: number[][] = [];

  /** The view offset where decoded character k starts. */
  from(k: number): number {
    const i = this.spanAtOrBefore(k);
    if (i < 0) return k;
    const [s, e] = this.changed[i]!;
    return k < e ? this.charFrom[i]![k - s]! : k - e + this.viewRange[i]![1];
  }

  /** The view offset where decoded character k ends (exclusive). */
  to(k: number): number {
    const i = this.spanAtOrBefore(k);
    if (i < 0) return k + 1;
    const [s, e] = this.changed[i]!;
    return k < e ? this.charTo[i]![k - s]! : k + 1 - e + this.viewRange[i]![1];
  }

  private spanAtOrBefore(k: number): number {
    let lo = 0;
    let hi = this.changed.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.changed[mid]![0] <= k) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Starts a rewritten span that replaces the view from `viewStart`. */
  open(viewStart: number): void {
    this.changed.push([this.text.length, this.text.length]);
    this.viewRange.push([viewStart, viewStart]);
    this.charFrom.push([]);
    this.charTo.push([]);
  }

  /** Appends `s` to the open span, every character of it from the view range [from, to). */
  emit(s: string, from: number, to: number): void {
    const i = this.changed.length - 1;
    for (let k = 0; k < s.length; k++) {
      this.charFrom[i]!.push(from);
      this.charTo[i]!.push(to);
    }
    this.text += s;
    this.changed[i]![1] = this.text.length;
    this.viewRange[i]![1] = to;
  }
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
  const out = new DecodedView();
  let copied = 0;
  let scanned = 0;
  // Runs are read only where a pre-check fires: reading every run of a long text costs more
  // than all the pre-checks together (number words are everywhere in Korean prose).
  HINT.lastIndex = 0;
  for (let h = HINT.exec(view); h !== null; h = HINT.exec(view)) {
    const hintEnd = h.index + h[0].length;
    if (hintEnd <= scanned) continue;
    // Back to where the run around the hint starts, so that it is read whole.
    let start = h.index;
    while (start > scanned && h.index - start < MAX_RUN_BACK && RUN_CHAR.test(view[start - 1]!)) start--;
    RUN.lastIndex = start;
    for (let m = RUN.exec(view); m !== null && m.index < hintEnd; m = RUN.exec(view)) {
      scanned = m.index + m[0].length;
      if (m[0].length < MIN_PLACES) continue;
      for (const span of decodableSpans(view, splitRun(view, m.index, scanned))) {
        copy(view, copied, span[0]!.start, out);
        decodeSpan(view, span, out);
        copied = span[span.length - 1]!.end;
      }
    }
    scanned = Math.max(scanned, hintEnd);
    HINT.lastIndex = Math.max(HINT.lastIndex, scanned);
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
    const decodable = disguised || spacedDigits(current) || current.some((p) => isSpeltHyphen(view, p)) || wrappedInsideGroup(view, current);
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
  if (to > from) out.text += view.slice(from, to);
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

/**
 * A bare line break between two groups of a dashed number ("010-12⏎34-5678"): text wrapped
 * inside a group, where the digits on both lines are one group. Line breaks beside a dash
 * ("110-842-⏎937409") are separators the recognizers read as such.
 */
const isBareLineBreak = (view: string, p: Piece) => !p.group && BARE_LINE_BREAK.test(view.slice(p.start, p.end));
const BARE_LINE_BREAK = /^\r?\n$/;
function wrappedInsideGroup(view: string, span: Piece[]): boolean {
  return span.some((p) => isBareLineBreak(view, p)) && span.some((p) => !p.group && view.slice(p.start, p.end).includes("-"));
}

function decodeSpan(view: string, span: Piece[], out: DecodedView): void {
  out.open(span[0]!.start);
  const emit = (s: string, from: number, to: number) => out.emit(s, from, to);
  const collapse = spacedDigits(span);
  const perDigit = collapse ? perDigitSeparator(view, span) : "";
  const joinWrapped = !collapse && wrappedInsideGroup(view, span);
  for (const p of span) {
    if (p.group) {
      for (let i = p.start; i < p.end; i++) emit(WORD_DIGIT[view[i]!] ?? LETTER_DIGIT[view[i]!] ?? view[i]!, i, i + 1);
    } else if (isSpeltHyphen(view, p)) emit("-", p.start, p.end);
    else if (joinWrapped && isBareLineBreak(view, p)) continue;
    // Digits written one by one lose the separator between each two, and keep another one
    // (the dash of "0 1 0 - 1 2 3 4 - …") between groups.
    else if (collapse) {
      const sep = view.slice(p.start, p.end);
      emit(sep === perDigit ? "" : sep.replace(/\s/g, ""), p.start, p.end);
    } else emit(view.slice(p.start, p.end), p.start, p.end);
  }
}
