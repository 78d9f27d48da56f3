/**
 * What the document rules measure, gathered in one pass over the characters: character classes,
 * and at every word end (an eojeol: text between spaces) what the word-level rules need, handed to
 * small counters that belong to the rule families (word order, bare-word segments). Word texts are
 * not cut out: each word is a hash and a length, so n-gram rules count numbers. Lines and word
 * strings are split only on demand, by the rules that look at line shapes.
 */
import { isCompatibilityJamo, isConjoiningJamo } from "./hangul.js";
import { FREQUENT, KSX1001, syllableTable } from "./syllable-sets.js";
import { listTriggers, startKey, SPAM_TRIGGER, CHROME_TRIGGER } from "./list-triggers.js";
import { MisplacedEndings } from "./broken-text.js";
import { BareWordSegments } from "./list-pages.js";

export interface CharCounts {
  nonSpace: number;
  syllables: number;
  /** Syllables outside KS X 1001's common 2,350. */
  rareSyllables: number;
  /** Syllables among the few hundred most frequent ones of Korean prose. */
  frequentSyllables: number;
  conjoiningJamo: number;
  compatibilityJamo: number;
  /** Pictographs: emoji and dingbats, counted per character (a surrogate pair counts once). */
  emoji: number;
  /** U+FFFD: bytes a decoder could not read. */
  replacement: number;
  /** Letters by UTF-8 size: a Hangul syllable weighs 3, a Latin letter 1, the way a syllable carries about as much as a short English word's letters. */
  letterBytes: number;
  hangulBytes: number;
}

/** One word as the scan saw it; the same object is reused for every word. */
export interface WordEnd {
  length: number;
  /** The word is Hangul syllables only. */
  hangulOnly: boolean;
  /** Flags (syllable-sets.ts) of the last character, and of the one before it. */
  lastFlags: number;
  lastChar: number;
  prevChar: number;
  /** Flags of the last character that is not . ! ? or a closing quote or bracket, and how many characters precede and include it. */
  bareFlags: number;
  bareLength: number;
  /** Ends in . ! or ? (closing quotes and brackets may follow). */
  endsSentence: boolean;
  /** The last word of its line. */
  lineEnd: boolean;
}

/** A word-level measure fed by the scan. */
export interface WordCounter {
  onWord(w: WordEnd): void;
  onLineEnd(): void;
}

// , ， 、 | ｜ # · / and line breaks: what keyword lists put between their items.
const isItemSeparator = (c: number) => c === 0x2c || c === 0xff0c || c === 0x3001 || c === 0x7c || c === 0xff5c || c === 0x23 || c === 0xb7 || c === 0x2f || c === 0x0a;

/** A run of this many item separators, each within 16 characters of the last, is where a keyword list can start. */
const DENSE_SEPARATORS = 5;

/** A 16-bit fingerprint of a character pair, for the filter in front of the word-list trigger map. */
const pairSlot = (c0: number, c1: number) => (Math.imul(c0, 31) + c1) & 0xffff;

export class TextProfile {
  readonly text: string;
  private scanned = false;
  private readonly _chars: CharCounts = { nonSpace: 0, syllables: 0, rareSyllables: 0, frequentSyllables: 0, conjoiningJamo: 0, compatibilityJamo: 0, emoji: 0, replacement: 0, letterBytes: 0, hangulBytes: 0 };
  private _wordCount = 0;
  // Plain arrays of small integers: young-generation allocations, where a typed array per document costs an off-heap buffer.
  private readonly _wordHashes: number[] = [];
  private readonly _wordLengths: number[] = [];
  private _spamCandidates = 0;
  private _chromeCandidates = 0;
  private _denseSeparators = false;
  private readonly _misplacedEndings = new MisplacedEndings();
  private readonly _bareSegments = new BareWordSegments();
  private _lines: string[] | undefined;
  private _words: string[] | undefined;

  /** The scan runs on first use, so rules that read only the text (the basic preset's) cost nothing more. */
  constructor(text: string) {
    this.text = text;
  }

  private get s(): this {
    if (!this.scanned) {
      this.scanned = true;
      this.scan();
    }
    return this;
  }

  get chars(): CharCounts {
    return this.s._chars;
  }
  get wordCount(): number {
    return this.s._wordCount;
  }
  /** Per word: a 30-bit hash of its text (a small integer), and its length in characters. */
  get wordHashes(): readonly number[] {
    return this.s._wordHashes;
  }
  get wordLengths(): readonly number[] {
    return this.s._wordLengths;
  }
  /** Start positions of a spam or page-chrome word's first characters (an upper bound on hits). */
  get spamCandidates(): number {
    return this.s._spamCandidates;
  }
  get chromeCandidates(): number {
    return this.s._chromeCandidates;
  }
  /** Five or more item separators, each within 16 characters of the last, somewhere in the text. */
  get denseSeparators(): boolean {
    return this.s._denseSeparators;
  }
  /** Word order (word_salad), counted during the scan. */
  get misplacedEndings(): MisplacedEndings {
    return this.s._misplacedEndings;
  }
  /** Bare-word segments (keyword_list), counted during the scan. */
  get bareSegments(): BareWordSegments {
    return this.s._bareSegments;
  }

  private lastSeparator = -100;
  private closeSeparators = 0;

  private separatorAt(i: number): void {
    this.closeSeparators = i - this.lastSeparator <= 16 ? this.closeSeparators + 1 : 1;
    this.lastSeparator = i;
    if (this.closeSeparators >= DENSE_SEPARATORS) this._denseSeparators = true;
  }

  private endWord(w: WordEnd, hash: number, lineEnd: boolean): void {
    if (w.length > 0) {
      w.lineEnd = lineEnd;
      this._wordHashes.push(hash & 0x3fffffff);
      this._wordLengths.push(w.length);
      this._wordCount++;
      this._misplacedEndings.onWord(w);
      this._bareSegments.onWord(w);
    }
    if (lineEnd) {
      this._misplacedEndings.onLineEnd();
      this._bareSegments.onLineEnd();
    }
    w.length = 0;
    w.hangulOnly = true;
    w.lastFlags = w.lastChar = w.prevChar = w.bareFlags = w.bareLength = 0;
    w.endsSentence = false;
  }

  private scan(): void {
    const text = this.text;
    const len = text.length;
    const n = this._chars;
    const { first, pairFilter, starts } = listTriggers();
    const flagsOf = syllableTable();
    const w: WordEnd = { length: 0, hangulOnly: true, lastFlags: 0, lastChar: 0, prevChar: 0, bareFlags: 0, bareLength: 0, endsSentence: false, lineEnd: false };
    let hash = 0x811c9dc5;
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0xa0 || c === 0x3000) {
        if (c === 0x0a) {
          this.separatorAt(i);
        }
        this.endWord(w, hash, c === 0x0a);
        hash = 0x811c9dc5;
        continue;
      }
      n.nonSpace++;
      w.length++;
      hash = Math.imul(hash ^ c, 0x01000193);
      if (first[c] !== 0 && i + 1 < len) {
        const c1 = text.charCodeAt(i + 1);
        if (pairFilter[pairSlot(c, c1)] !== 0) {
          // Two-character entries are keyed by two characters, the rest by three.
          const m = (starts.get(c * 0x10000 + c1) ?? 0) | (i + 2 < len ? (starts.get(startKey(text, i, len)) ?? 0) : 0);
          if (m & SPAM_TRIGGER) this._spamCandidates++;
          if (m & CHROME_TRIGGER) this._chromeCandidates++;
        }
      }
      let flags = 0;
      if (c >= 0xac00 && c <= 0xd7a3) {
        flags = flagsOf[c - 0xac00]!;
        n.syllables++;
        n.letterBytes += 3;
        n.hangulBytes += 3;
        if ((flags & KSX1001) === 0) n.rareSyllables++;
        if (flags & FREQUENT) n.frequentSyllables++;
      } else {
        w.hangulOnly = false;
        if (c < 0x80) {
          if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) n.letterBytes++;
          else if (isItemSeparator(c)) {
            this.separatorAt(i);
          }
        } else if (isCompatibilityJamo(c)) {
          n.compatibilityJamo++;
          n.letterBytes += 3;
        } else if (isConjoiningJamo(c)) {
          n.conjoiningJamo++;
          n.letterBytes += 3;
          n.hangulBytes += 3;
        } else if (c >= 0xd800 && c <= 0xdbff) {
          // Astral characters: emoji live at U+1F000-U+1FAFF (high surrogates D83C-D83E).
          if (c >= 0xd83c && c <= 0xd83e) n.emoji++;
        } else if ((c >= 0x2600 && c <= 0x27bf) || (c >= 0x2b00 && c <= 0x2bff)) {
          n.emoji++;
        } else if (c === 0xfffd) {
          n.replacement++;
        } else if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0xc0 && c <= 0x24f) || (c >= 0x370 && c <= 0x4ff) || (c >= 0x3040 && c <= 0x30ff)) {
          // Hanja, accented Latin, Greek, Cyrillic, kana: letters, each 2-3 bytes in UTF-8.
          n.letterBytes += c >= 0x800 ? 3 : 2;
        } else if (isItemSeparator(c)) {
          this.separatorAt(i);
        }
      }
      w.prevChar = w.lastChar;
      w.lastChar = c;
      w.lastFlags = flags;
      if (c === 0x2e || c === 0x21 || c === 0x3f) w.endsSentence = true;
      else if (!(c === 0x22 || c === 0x27 || c === 0x201d || c === 0x2019 || c === 0x29 || c === 0x5d)) {
        w.endsSentence = false;
        w.bareFlags = flags;
        w.bareLength = w.length;
      }
    }
    this.endWord(w, hash, true);
  }

  /** Non-empty lines, trimmed. */
  get lines(): string[] {
    return (this._lines ??= this.text.split("\n").map((l) => l.trim()).filter((l) => l !== ""));
  }

  /** Eojeol: the text split on whitespace. */
  get words(): string[] {
    return (this._words ??= this.text.split(/\s+/).filter((w) => w !== ""));
  }
}
