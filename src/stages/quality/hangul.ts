/**
 * Character classes for Korean text. Only complete syllables and conjoining jamo count as Hangul:
 * compatibility jamo (ㅋ, ㅎ, ㅠ) are what laughter and crying spam is made of, so counting them
 * would let ㅋㅋㅋ pages pass a Hangul-ratio rule.
 */

export const isHangulSyllable = (c: number): boolean => c >= 0xac00 && c <= 0xd7a3;

/** Conjoining jamo (text that arrived in NFD and was not normalized) and the extended jamo blocks. */
export const isConjoiningJamo = (c: number): boolean => (c >= 0x1100 && c <= 0x11ff) || (c >= 0xa960 && c <= 0xa97f) || (c >= 0xd7b0 && c <= 0xd7ff);

/** ㄱ-ㆎ: standalone jamo used as chat shorthand (ㅋㅋ, ㅎㅎ, ㅠㅠ, ㄷㄷ). */
export const isCompatibilityJamo = (c: number): boolean => c >= 0x3131 && c <= 0x318e;

export const isHangul = (c: number): boolean => isHangulSyllable(c) || isConjoiningJamo(c);

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0xa0 || c === 0x3000;
}

const LATIN_OR_DIGIT = /[0-9A-Za-z]/;
const LETTER = /\p{L}/u;

/** Letters of any script (a Latin letter, a Hangul syllable, a hanja); false for digits, punctuation, emoji. */
export function isLetter(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 0x80) return LATIN_OR_DIGIT.test(ch) && !(c >= 0x30 && c <= 0x39);
  if (isHangulSyllable(c)) return true;
  return LETTER.test(ch);
}

/** Text that is already composed needs no NFC; NFD Hangul (conjoining jamo) does. */
const CONJOINING = /[\u1100-\u11ff]/;
export function composed(text: string): string {
  return CONJOINING.test(text) ? text.normalize("NFC") : text;
}

/** The final consonant index (0 = none) of a Hangul syllable, for particle and ending checks. */
export const finalConsonant = (c: number): number => (c - 0xac00) % 28;
