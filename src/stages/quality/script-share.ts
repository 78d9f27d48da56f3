/**
 * How much of a document is Korean, and how much is chat shorthand. The Hangul share is taken over
 * letters by UTF-8 size, so Korean prose full of English technical terms or with a long English title
 * stays Korean (a syllable weighs as much as three Latin letters), while digits, punctuation and
 * emoji neither help nor hurt. Compatibility jamo (ㅋㅋ, ㅠㅠ) are not Hangul here: they are spam's.
 */
import type { TextProfile } from "./profile.js";

/** Hangul syllables' share of the letters, weighted by UTF-8 bytes; 0 for a text without letters. */
export function hangulLetterShare(p: TextProfile): number {
  const c = p.chars;
  return c.letterBytes === 0 ? 0 : c.hangulBytes / c.letterBytes;
}

/** Compatibility jamo and emoji over non-space characters. */
export function jamoEmojiRatio(p: TextProfile): number {
  const c = p.chars;
  return c.nonSpace === 0 ? 0 : (c.compatibilityJamo + c.emoji) / c.nonSpace;
}
