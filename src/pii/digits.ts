/**
 * The cheap test that lets most text skip PII detection: every pattern needs digits, and
 * detection runs on an NFKC view, so "a digit" means any character whose NFKC form holds an
 * ASCII digit (fullwidth ０-９, but also ², ①, ㎡, 𝟎 ...). test/pii/digits.test.ts checks this list
 * against every code point of the running ICU.
 */

/** The BMP characters among them other than 0-9 and ０-９ (ranges, for a regex character class). */
const EXOTIC_BMP =
  "\\u00B2\\u00B3\\u00B9\\u00BC-\\u00BE\\u2070\\u2074-\\u2079\\u2080-\\u2089\\u2150-\\u215F\\u2189" +
  "\\u2460-\\u249B\\u24EA\\u3251-\\u325F\\u32B1-\\u32CB\\u3358-\\u3370\\u3378\\u3379\\u339F-\\u33A6" +
  "\\u33A8\\u33AF\\u33E0-\\u33FE";
/** Supplementary-plane ones (segmented digits, mathematical digits, digit commas, ...). */
const EXOTIC_ASTRAL = "\\u{1CCF0}-\\u{1CCF9}\\u{1D7CE}-\\u{1D7FF}\\u{1F100}-\\u{1F10A}\\u{1FBF0}-\\u{1FBF9}";

/** A character class source matching every character whose NFKC form contains an ASCII digit. */
export const NFKC_DIGIT_CLASS = `[0-9\\uFF10-\\uFF19${EXOTIC_BMP}${EXOTIC_ASTRAL}]`;

// A superset of NFKC_DIGIT_CLASS in a few wide ranges: a regex class with many ranges scans
// Hangul text about three times slower, and this test runs on every document.
const MAY_BE_DIGIT = /[0-9\uFF10-\uFF19\u00B2\u00B3\u00B9\u00BC-\u00BE\u2070-\u2189\u2460-\u24EA\u3251-\u33FE\uD833-\uD83E]/;

/** False only when no PII can be found: no character of `text` becomes a digit under NFKC. */
export function mayHoldDigits(text: string): boolean {
  return MAY_BE_DIGIT.test(text);
}
