/**
 * Pages made of list items rather than text: SEO keyword lists and hashtag clouds, price lists,
 * headline lists, and comment threads of short lines. Each measure looks at the shape of the lines,
 * with guards for the lists that are text (recipes, verse, dialogue): those end their lines the way
 * clauses end, or are too short to be headlines.
 */
import type { TextProfile, WordCounter, WordEnd } from "./profile.js";
import { endsLikePredicate, MARKED_FINAL } from "./syllable-sets.js";
import { wordListPattern } from "./wordlists.js";

const ITEM_SEPARATORS = /[,，、|｜#·\/\n]+/;
const MIN_RUN = 6;

/**
 * Characters of items in runs of at least `min` consecutive qualifying items, over the characters of
 * all items. With `bridges`, a single item it accepts (a keyword that happens to end like a particle)
 * joins a run without ending it.
 */
function runShare(items: string[], qualifies: (item: string) => boolean, min: number, bridges?: (item: string) => boolean): number {
  let all = 0;
  let inRuns = 0;
  let run = 0;
  let runChars = 0;
  let bridged = false;
  for (const raw of items) {
    const item = raw.trim();
    if (item === "") continue;
    all += item.length;
    if (qualifies(item)) {
      run++;
      runChars += item.length;
      bridged = false;
      continue;
    }
    if (run > 0 && !bridged && bridges?.(item)) {
      bridged = true;
      runChars += item.length;
      continue;
    }
    if (run >= min) inRuns += runChars;
    run = 0;
    runChars = 0;
    bridged = false;
  }
  if (run >= min) inRuns += runChars;
  return all === 0 ? 0 : inRuns / all;
}



const isShortItem = (item: string) => item.length <= 15;
const isKeywordItem = (item: string) => item.length <= 15 && item.split(" ").length <= 2 && !endsLikePredicate(item);

const SEGMENTS = /[^.!?\n]+[.!?]*/g;

/**
 * Characters in runs of short separated items, over all characters, leaving out sentences that end on
 * a predicate: "…에는 A, B, C, D, E, F가 있다." is an enumeration in prose, not a keyword list.
 */
function separatedItemShare(p: TextProfile): number {
  let inRuns = 0;
  for (const m of p.text.matchAll(SEGMENTS)) {
    const segment = m[0];
    if (segment.length < 30) continue;
    const lastSpace = segment.lastIndexOf(" ");
    if (/[.!?]$/.test(segment) && endsLikePredicate(segment.slice(lastSpace + 1))) continue;
    inRuns += segment.length * runShare(segment.split(ITEM_SEPARATORS), isKeywordItem, MIN_RUN, isShortItem);
  }
  return p.text.length === 0 ? 0 : inRuns / p.text.length;
}

/**
 * Segments (a line, or a sentence of it) of ten or more words, nearly all bare Hangul: at least 90%
 * of the words pure Hangul and 75% of those without a particle or ending. Prose, even a run of names
 * and titles, carries its particles and ends its sentence on a predicate, and so never gets there.
 */
export class BareWordSegments implements WordCounter {
  /** Characters (words and the spaces after them) in such segments. */
  chars = 0;
  private words = 0;
  private hangul = 0;
  private bare = 0;
  private segmentChars = 0;

  onWord(w: WordEnd): void {
    this.words++;
    this.segmentChars += w.length + 1;
    if (w.hangulOnly) {
      this.hangul++;
      if ((w.lastFlags & MARKED_FINAL) === 0) this.bare++;
    }
    if (w.endsSentence || w.lineEnd) this.close();
  }

  onLineEnd(): void {
    this.close();
  }

  private close(): void {
    if (this.hangul >= 10 && this.hangul >= 0.9 * this.words && this.bare >= 0.75 * this.hangul) this.chars += this.segmentChars;
    this.words = this.hangul = this.bare = this.segmentChars = 0;
  }
}

/**
 * The larger of two shares: characters in runs of six or more short items between commas, pipes,
 * hashtags or middle dots (≤ 15 characters, ≤ 2 words, no clause ending), and characters in segments
 * of bare Hangul words (keywords strung together with spaces).
 */
export function keywordListShare(p: TextProfile): number {
  if (p.text.length === 0) return 0;
  const bare = Math.min(1, p.bareSegments.chars / p.text.length);
  return p.denseSeparators ? Math.max(bare, separatedItemShare(p)) : bare;
}

const PRICE = /\d[\d,.]*\s*(?:원|만원|천원|만 원|달러|엔)(?![가-힣])|[₩$￦]\s?\d/;
// A menu board's "아메리카노 …… 4.5" or "카페라떼 5,000": a line that ends on a bare amount.
const AMOUNT_AT_END = /(?:^|[\s.·…:])\d{1,3}(?:,\d{3})*(?:\.\d{1,2})?$/;

/** Lines of up to 60 characters holding a price (or ending on an amount), over non-empty lines; 0 under four lines. */
export function priceLineShare(p: TextProfile): number {
  const lines = p.lines;
  if (lines.length < 4) return 0;
  let priced = 0;
  for (const line of lines) if (line.length <= 60 && (PRICE.test(line) || AMOUNT_AT_END.test(line))) priced++;
  return priced / lines.length;
}

const QUANTITY = /\d\s*(?:개|g|kg|ml|L|큰술|작은술|컵|스푼|T|t|장|쪽|줌|알|마리|봉|단|인분|분|시간)/;

/**
 * A headline: three or more words and 12-100 characters, not ending a sentence (no final . ! ?
 * and no predicate ending), with no quantity in it (a recipe's ingredient line is not a headline).
 */
function isHeadlineLike(line: string): boolean {
  if (line.length < 12 || line.length > 100) return false;
  const last = line.charCodeAt(line.length - 1);
  if (last === 0x2e || last === 0x21 || last === 0x3f) return false;
  const words = line.split(" ");
  if (words.length < 3) return false;
  if (endsLikePredicate(words[words.length - 1]!)) return false;
  return !QUANTITY.test(line);
}

/** Headline-like lines over non-empty lines; 0 under five lines. */
export function headlineLineShare(p: TextProfile): number {
  const lines = p.lines;
  if (lines.length < 5) return 0;
  let n = 0;
  for (const line of lines) if (isHeadlineLike(line)) n++;
  return n / lines.length;
}

const TIMESTAMP = /\d{1,2}:\d{2}|\d{2,4}[.\-/]\d{1,2}[.\-/]\d{1,2}|\d+\s?(?:분|시간|일) 전/;
const COMMENT_MARK = /^(?:ㄴ|└|↳|re:|RE:|Re:)|[ㅋㅎㅠㅜ]{2}|\^\^|~~|!!|익명|닉네임|작성자/;
let phrases: RegExp | undefined;

function isCommentLine(line: string): boolean {
  phrases ??= wordListPattern("comment-phrases", "");
  return TIMESTAMP.test(line) || COMMENT_MARK.test(line) || phrases.test(line);
}

/** Short lines (≤ 40 characters) that look like comments, over non-empty lines; 0 under five lines or when most lines are long. */
export function commentLineShare(p: TextProfile): number {
  const lines = p.lines;
  if (lines.length < 5) return 0;
  let short = 0;
  let comments = 0;
  for (const line of lines) {
    if (line.length > 40) continue;
    short++;
    if (isCommentLine(line)) comments++;
  }
  if (short < lines.length * 0.6) return 0;
  return comments / lines.length;
}
