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

/** Text that is already composed needs no NFC; NFD Hangul (conjoining jamo) does. */
const CONJOINING = /[\u1100-\u11ff]/;
export function composed(text: string): string {
  return CONJOINING.test(text) ? text.normalize("NFC") : text;
}

