/**
 * The scrubber: finds registration numbers, phone numbers and bank accounts on the NFKC view of
 * a text and replaces each with its privacy token in the original text, so that nothing outside
 * the replaced spans changes.
 */
import { findAccounts } from "./account.js";
import { mayHoldDigits, NFKC_DIGIT_CLASS } from "./digits.js";
import { findPhoneNumbers } from "./phone.js";
import { DEFAULT_PRIVACY_TOKENS, PII_TYPES, type PiiType, type PrivacyTokens } from "./privacy-tokens.js";
import { resolveOverlaps } from "./overlaps.js";
import type { Candidate, Recognizer, RecognizerContext } from "./recognizer.js";
import { findRrns } from "./rrn.js";
import { decodeDisguises, mayBeDisguised, mayHoldNumberWords } from "./disguise.js";
import { dropAmounts } from "./amount.js";
import { DASH_VARIANT_CLASS, FORMAT_CHAR_CLASS, TextView } from "./view.js";

/** One piece of personal information, as offsets into the original text (end exclusive). */
export interface PiiMatch {
  type: PiiType;
  start: number;
  end: number;
  /** RRNs only: whether the check digit holds (absent for masked numbers). */
  checksum?: boolean;
}

export interface ScrubResult {
  /** The text with each match replaced by its privacy token (the input itself when nothing was found). */
  text: string;
  /** In text order, never overlapping. */
  found: PiiMatch[];
}

export interface ScrubOptions {
  /** Replacement per type; types left out keep `<|rrn|>`, `<|tell|>`, `<|acc|>`. */
  tokens?: Partial<PrivacyTokens>;
  /** Which types to find (default all three). */
  types?: readonly PiiType[];
  /** "Today" for the birth-date check (default: when the scrubber is created). */
  today?: Date;
}

const RECOGNIZERS: Record<PiiType, Recognizer> = { rrn: findRrns, tell: findPhoneNumbers, acc: findAccounts };
// Every pattern holds two adjacent digits (invisible characters and keycap marks aside) followed
// by at least six more digits or mask characters, at most six separator characters apart.
// Years, dates and amounts rarely do, so this one cheap scan (on the NFKC text, dashes not yet
// unified) spares most texts the rest. Numbers in words, letters or spaced digits have their own
// pre-check (disguise.ts).
const NUMBER_CLUSTER = new RegExp(
  `\\d[${FORMAT_CHAR_CLASS}]{0,3}\\d(?:[-.~_\u301C \\t\\r\\n()+*xX●${DASH_VARIANT_CLASS}${FORMAT_CHAR_CLASS}]{0,6}[\\d*xX●]){6}`,
);
const TOKEN_DIGIT = new RegExp(NFKC_DIGIT_CLASS, "u");
const NO_MATCHES: readonly PiiMatch[] = Object.freeze([]);
// A token changes what recognizers see only nearby: the digit boundary (2 characters), the
// clause windows (30 before, 20 after) and a match's own length (under 32). Rescans after a
// replacement look this far around each new token, and trust matches this far inside a window.
const RESCAN_MARGIN = 100;
const TRUSTED_INSET = 34;
// Tokens must not start or end with what numbers are made of, or a later match could reach into one.
const TOKEN_EDGE = /^[-.()+*xX●\s]|[-.()+*xX●\s]$/;

export class Scrubber {
  readonly tokens: Readonly<PrivacyTokens>;
  private readonly recognizers: Recognizer[];
  private readonly context: RecognizerContext;

  constructor(options: ScrubOptions = {}) {
    this.tokens = Object.freeze({ ...DEFAULT_PRIVACY_TOKENS, ...options.tokens });
    for (const type of PII_TYPES) {
      const token = this.tokens[type];
      if (token === "" || TOKEN_DIGIT.test(token) || TOKEN_EDGE.test(token)) {
        throw new Error(
          `privacy token for ${type} must be non-empty, hold no digits and not start or end with a space, - . ( ) + * x X or ● ` +
            `(got "${token}"), or scrubbed text could be read as personal information again; use e.g. <|${type}|>`,
        );
      }
    }
    const types = options.types ?? PII_TYPES;
    this.recognizers = PII_TYPES.filter((t) => types.includes(t)).map((t) => RECOGNIZERS[t]);
    const today = options.today ?? new Date();
    this.context = {
      tokens: PII_TYPES.map((t) => this.tokens[t]),
      today: today.getFullYear() * 10000 + (today.getMonth() + 1) * 100 + today.getDate(),
    };
  }

  /**
   * The personal information in `text`, in order. A shared empty array when there is none.
   *
   * The result is a fixed point: the text is scanned again around each new token until nothing
   * more turns up. A spaced number left alone because it ran on into another number ("02 123
   * 4567 010-…") stands alone once that one is a token; so scrubbed output never holds anything
   * the recognizers would flag, whatever order numbers come in.
   */
  find(text: string): readonly PiiMatch[] {
    let found = this.findOnce(text);
    let fresh = found;
    // Disguised numbers can be long (keycaps take three characters a digit) and are decoded a
    // whole run at a time, so a new token may change what is read far from it: rescan everything.
    const whole = fresh.length > 0 && mayReadFar(text);
    while (fresh.length > 0) {
      const current = this.replace(text, found);
      const more = whole ? [...this.findOnce(current)] : this.rescanAround(current, this.currentSpans(fresh, found));
      if (more.length === 0) break;
      fresh = this.toOriginalOffsets(more, found);
      found = [...found, ...fresh].sort((a, b) => a.start - b.start);
    }
    return found;
  }

  /** Where the spans `fresh` (a subset of `found`) sit in `replace(text, found)`, as token ranges. */
  private currentSpans(fresh: readonly PiiMatch[], found: readonly PiiMatch[]): [number, number][] {
    const spans: [number, number][] = [];
    let delta = 0;
    let next = 0;
    for (const f of found) {
      const start = f.start - delta;
      const end = start + this.tokens[f.type].length;
      if (next < fresh.length && fresh[next] === f) {
        spans.push([start, end]);
        next++;
      }
      delta += f.end - f.start - this.tokens[f.type].length;
    }
    return spans;
  }

  /** Matches in `current` near the given token ranges, in `current` offsets and text order. */
  private rescanAround(current: string, tokens: [number, number][]): PiiMatch[] {
    const more: PiiMatch[] = [];
    let i = 0;
    while (i < tokens.length) {
      // Merge token ranges whose windows overlap into one window.
      const from = Math.max(0, tokens[i]![0] - RESCAN_MARGIN);
      let to = Math.min(current.length, tokens[i]![1] + RESCAN_MARGIN);
      while (++i < tokens.length && tokens[i]![0] - RESCAN_MARGIN <= to) to = Math.min(current.length, tokens[i]![1] + RESCAN_MARGIN);
      const trustedFrom = from === 0 ? 0 : from + TRUSTED_INSET;
      const trustedTo = to === current.length ? to : to - TRUSTED_INSET;
      for (const m of this.findOnce(current.slice(from, to))) {
        const start = m.start + from;
        const end = m.end + from;
        if (start >= trustedFrom && end <= trustedTo) more.push({ ...m, start, end });
      }
    }
    return more;
  }

  /** Offsets in `replace(text, found)` back to offsets in `text` (they never fall inside a token). */
  private toOriginalOffsets(matches: readonly PiiMatch[], found: readonly PiiMatch[]): PiiMatch[] {
    // Both lists are in text order: walk them together, tracking how much longer the original is.
    let next = 0;
    let delta = 0;
    const toOriginal = (offset: number): number => {
      while (next < found.length && offset > found[next]!.start - delta) {
        const f = found[next++]!;
        delta += f.end - f.start - this.tokens[f.type].length;
      }
      return offset + delta;
    };
    return matches.map((m) => ({ ...m, start: toOriginal(m.start), end: toOriginal(m.end) }));
  }

  private findOnce(text: string): readonly PiiMatch[] {
    // Most text fails here: no character that could be a digit and no run of number words.
    if (!mayHoldDigits(text) && !mayHoldNumberWords(text)) return NO_MATCHES;
    // normalize() returns its input without copying when nothing changes, the common case.
    const nfkc = text.normalize("NFKC");
    const plain = NUMBER_CLUSTER.test(nfkc);
    const disguised = mayBeDisguised(nfkc);
    if (!plain && !disguised) return NO_MATCHES;
    const view = new TextView(text, nfkc);
    let candidates: Candidate[] = [];
    if (plain) for (const recognize of this.recognizers) recognize(view.text, this.context, candidates);
    candidates = dropAmounts(view.text, candidates);
    if (disguised) this.findDisguised(view.text, candidates);
    if (candidates.length === 0) return NO_MATCHES;
    return resolveOverlaps(candidates).map((c) => {
      const match: PiiMatch = { type: c.type, start: view.originalStart(c.start), end: view.originalEnd(c.end) };
      if (c.checksum !== undefined) match.checksum = c.checksum;
      return match;
    });
  }

  /**
   * Numbers written in words, look-alike letters, spaced digits or with a spelt hyphen: the
   * recognizers read the decoded view, and what they find there counts where it covers a
   * decoded number (elsewhere the plain view has had its say).
   */
  private findDisguised(view: string, candidates: Candidate[]): void {
    const decoded = decodeDisguises(view);
    if (decoded === null) return;
    let found: Candidate[] = [];
    for (const recognize of this.recognizers) recognize(decoded.text, this.context, found);
    found = dropAmounts(decoded.text, found);
    for (const c of found) {
      if (!decoded.changed.some(([s, e]) => c.start < e && s < c.end)) continue;
      candidates.push({ ...c, start: decoded.from[c.start]!, end: decoded.to[c.end - 1]! });
    }
  }

  /** `text` with each match replaced by its token. */
  replace(text: string, found: readonly PiiMatch[]): string {
    if (found.length === 0) return text;
    let out = "";
    let at = 0;
    for (const m of found) {
      out += text.slice(at, m.start) + this.tokens[m.type];
      at = m.end;
    }
    return out + text.slice(at);
  }

  scrub(text: string): ScrubResult {
    const found = this.find(text);
    return { text: this.replace(text, found), found: found === NO_MATCHES ? [] : (found as PiiMatch[]) };
  }
}

const FORMAT_CHAR = new RegExp(`[${FORMAT_CHAR_CLASS}]`);

/** Whether matches may be longer than the rescan windows assume (see Scrubber.find). */
function mayReadFar(text: string): boolean {
  const nfkc = text.normalize("NFKC");
  return FORMAT_CHAR.test(nfkc) || mayBeDisguised(nfkc);
}

export function createScrubber(options?: ScrubOptions): Scrubber {
  return new Scrubber(options);
}

let defaultScrubber: Scrubber | undefined;

/**
 * Replaces resident registration numbers, phone numbers and bank account numbers in `text`
 * with privacy tokens. For many texts, create one Scrubber and reuse it.
 */
export function scrubText(text: string, options?: ScrubOptions): ScrubResult {
  const scrubber = options === undefined ? (defaultScrubber ??= new Scrubber()) : new Scrubber(options);
  return scrubber.scrub(text);
}
