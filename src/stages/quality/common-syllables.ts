/**
 * KS X 1001's 2,350 Hangul syllables: the set that every EUC-KR system could print, and so the set
 * that nearly all real Korean text is written in. UTF-8 Korean decoded as CP949 turns into the other
 * 8,822 syllables (and hanja), which is how mojibake gives itself away. The set is generated from the
 * platform's EUC-KR decoder (rows 0xB0-0xC8, cells 0xA1-0xFE), not shipped as a table.
 */

let table: Uint8Array | undefined;

function build(): Uint8Array {
  const bits = new Uint8Array(0xd7a4 - 0xac00);
  const decoder = new TextDecoder("euc-kr");
  const pair = new Uint8Array(2);
  for (let lead = 0xb0; lead <= 0xc8; lead++) {
    for (let trail = 0xa1; trail <= 0xfe; trail++) {
      pair[0] = lead;
      pair[1] = trail;
      const c = decoder.decode(pair).charCodeAt(0);
      if (c >= 0xac00 && c <= 0xd7a3) bits[c - 0xac00] = 1;
    }
  }
  return bits;
}

/** True for a Hangul syllable among KS X 1001's 2,350; false for every other character. */
export function isKsx1001Syllable(c: number): boolean {
  if (c < 0xac00 || c > 0xd7a3) return false;
  table ??= build();
  return table[c - 0xac00] === 1;
}

export const KSX1001_SYLLABLE_COUNT = 2350;
