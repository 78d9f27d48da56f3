/**
 * The character classes of the ByteLevel split regex as Hugging Face tokenizers evaluates it (on
 * Oniguruma), one byte per code point. Oniguruma's `\s` is Unicode White_Space: it holds U+0085 and
 * not U+FEFF, the reverse of JavaScript's `\s`; `\p{L}` and `\p{N}` are the same tables in both
 * (checked against the library on every code point by test/shard/engine-sweep.test.ts).
 */
export const OTHER = 0;
export const SPACE = 1;
export const LETTER = 2;
export const NUMBER = 3;

export type CharClass = typeof OTHER | typeof SPACE | typeof LETTER | typeof NUMBER;

let table: Uint8Array | undefined;

/** Class of every code point, built once per thread (about 1.1 MB, some 60 ms). */
export function charClassTable(): Uint8Array {
  if (table) return table;
  const t = new Uint8Array(0x110000);
  const letter = /\p{L}/u;
  const number = /\p{N}/u;
  const space = /\p{White_Space}/u;
  const classify = (from: number, to: number) => {
    for (let cp = from; cp < to; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue; // never reaches the scanner: lone surrogates become U+FFFD first
      const ch = String.fromCodePoint(cp);
      if (letter.test(ch)) t[cp] = LETTER;
      else if (number.test(ch)) t[cp] = NUMBER;
      else if (space.test(ch)) t[cp] = SPACE;
    }
  };
  // Planes 4-13 hold no assigned character and 15-16 only private use (class OTHER), so building
  // per thread skips them; the code point sweep test covers all 17 planes.
  classify(0, 0x40000);
  classify(0xe0000, 0xf0000);
  table = t;
  return t;
}
