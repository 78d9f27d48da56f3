/**
 * The byte-level pre-tokenization GPT-2 introduced and Polyglot-Ko uses: split text into words
 * with one regex, then spell each word's UTF-8 bytes with 256 printable characters (space is `Ġ`),
 * so every string is representable and BPE never needs an unknown token.
 */

/**
 * The byte → character table of GPT-2's `bytes_to_unicode`: printable Latin-1 bytes stand for
 * themselves, the other 68 bytes are shifted to U+0100 and up, in byte order.
 */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const table: string[] = new Array(256);
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let shifted = 0;
  for (let b = 0; b < 256; b++) table[b] = String.fromCharCode(printable(b) ? b : 256 + shifted++);
  return table;
})();

/**
 * The `tokenizers` ByteLevel pre-tokenizer's split (use_regex: true, no prefix space): contractions,
 * letters, numbers, other symbols (each with one leading space), and whitespace runs, where a run
 * before a word leaves its last space to that word. The library's `\s` is Oniguruma's, Unicode
 * White_Space (U+0085 in, U+FEFF out), not JavaScript's `\s`, so the class is spelled out.
 */
export const BYTE_LEVEL_SPLIT =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{N}]+|\p{White_Space}+(?!\P{White_Space})|\p{White_Space}+/gu;

export function byteLevelWords(text: string): string[] {
  return text.match(BYTE_LEVEL_SPLIT) ?? [];
}

const encoder = new TextEncoder();

/** A word's UTF-8 bytes as byte-level characters, e.g. " 한" → "Ġíķľ". */
export function toByteLevel(word: string): string {
  let out = "";
  for (const b of encoder.encode(word)) out += BYTE_TO_CHAR[b];
  return out;
}
