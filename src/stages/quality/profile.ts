/**
 * What the document-level rules measure, computed once per document: one pass over the characters,
 * and lines and words (eojeol: whitespace-separated units) split on first use. Every rule reads the
 * same profile, so adding a rule costs its own arithmetic, not another pass over the text.
 */
import { isKsx1001Syllable } from "./common-syllables.js";
import { isCompatibilityJamo, isConjoiningJamo, isHangulSyllable, isSpace } from "./hangul.js";
import { frequentSyllables } from "./syllable-sets.js";

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

function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function countChars(text: string): CharCounts {
  const n: CharCounts = { nonSpace: 0, syllables: 0, rareSyllables: 0, frequentSyllables: 0, conjoiningJamo: 0, compatibilityJamo: 0, emoji: 0, replacement: 0, letterBytes: 0, hangulBytes: 0 };
  const frequent = frequentSyllables();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (isSpace(c)) continue;
      n.nonSpace++;
      if (isAsciiLetter(c)) n.letterBytes++;
      continue;
    }
    if (isSpace(c)) continue;
    n.nonSpace++;
    if (isHangulSyllable(c)) {
      n.syllables++;
      n.letterBytes += 3;
      n.hangulBytes += 3;
      if (!isKsx1001Syllable(c)) n.rareSyllables++;
      if (frequent.has(c)) n.frequentSyllables++;
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
      i++;
    } else if ((c >= 0x2600 && c <= 0x27bf) || (c >= 0x2b00 && c <= 0x2bff)) {
      n.emoji++;
    } else if (c === 0xfffd) {
      n.replacement++;
    } else if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0xc0 && c <= 0x24f) || (c >= 0x370 && c <= 0x4ff) || (c >= 0x3040 && c <= 0x30ff)) {
      // Hanja, accented Latin, Greek, Cyrillic, kana: letters, each 2-3 bytes in UTF-8.
      n.letterBytes += c >= 0x800 ? 3 : 2;
    }
  }
  return n;
}

export class TextProfile {
  readonly text: string;
  private _chars: CharCounts | undefined;
  private _lines: string[] | undefined;
  private _words: string[] | undefined;

  constructor(text: string) {
    this.text = text;
  }

  get chars(): CharCounts {
    return (this._chars ??= countChars(this.text));
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
