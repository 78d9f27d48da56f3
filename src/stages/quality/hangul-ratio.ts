/** The basic preset's Hangul measure: Hangul (syllables and conjoining jamo, not ㅋ/ㅠ-style compatibility jamo) over non-space characters. */
import { isHangul, isSpace } from "./hangul.js";

/** Hangul characters over non-space characters; 0 for an empty or all-space text. */
export function hangulRatio(text: string): number {
  let hangul = 0;
  let counted = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    counted++;
    if (isHangul(c)) hangul++;
  }
  return counted === 0 ? 0 : hangul / counted;
}
