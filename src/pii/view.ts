/**
 * The text recognizers read: NFKC (fullwidth digits and letters become ASCII, NBSP becomes a
 * space, ...) with every dash variant read as "-". Replacement happens in the original text, so
 * the view keeps a map from its offsets back to the original's.
 */

/**
 * Dashes NFKC leaves alone (U+2011 and the small/fullwidth hyphens become these or "-" already):
 * hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign.
 */
export const DASH_VARIANT_CLASS = "\\u2010-\\u2015\\u2212";
const DASH_VARIANT = /[\u2010-\u2015\u2212]/;
const DASH_VARIANTS = /[\u2010-\u2015\u2212]/g;

/**
 * Invisible characters that NFKC keeps and people put inside numbers to hide them from filters:
 * soft hyphen, zero-width space/joiners, direction marks, word joiner and invisible operators,
 * byte-order mark, variation selectors and the keycap mark of emoji digits ("0️⃣" is 0 + U+FE0F +
 * U+20E3). The view leaves them out, so "010\u200B1234" reads as "0101234" and a match spans them.
 */
export const FORMAT_CHAR_CLASS = "\\u00AD\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\uFEFF\\uFE0E\\uFE0F\\u20E3";
const FORMAT_CHAR = new RegExp(`[${FORMAT_CHAR_CLASS}]`);
const FORMAT_CHARS = new RegExp(`[${FORMAT_CHAR_CLASS}]`, "g");

/** NFKC without the format characters: what one stretch of the original reads as in the view. */
function viewForm(s: string): string {
  const nfkc = s.normalize("NFKC");
  return FORMAT_CHAR.test(nfkc) ? nfkc.replace(FORMAT_CHARS, "") : nfkc;
}

// Characters that may change their neighbour under NFKC composition (combining marks, Hangul
// vowel/final jamo and the compatibility jamo NFKC turns into them, halfwidth kana voicing
// marks): a segment never ends right before one.
const COMBINING = /[\p{M}\u1160-\u11FF\u3131-\u318E\uD7B0-\uD7FF\uFF9E-\uFFDC]/u;

// A segment that never resynchronises is not expected; this bounds the work if one does not.
const MAX_SEGMENT = 64;

function combinesWithPrevious(text: string, i: number): boolean {
  if (i >= text.length) return false;
  const c = text.charCodeAt(i);
  // ASCII, Latin-1 and Hangul syllables, most of any Korean text, never combine.
  if (c < 0x300 || (c >= 0xac00 && c <= 0xd7a3)) return false;
  return COMBINING.test(text[i]!);
}

/**
 * Where the view's length differs from the original's, one entry per differing segment: the
 * view range [viewStart, viewEnd) came from the original range [origStart, origEnd).
 * Everywhere else a view offset maps to the original by the shift of the segment before it.
 */
export interface ViewSegments {
  viewStart: number[];
  viewEnd: number[];
  origStart: number[];
  origEnd: number[];
}

/**
 * The view of one text. Offsets map back lazily: most texts with digits hold no personal
 * information, and the map is only needed to replace something.
 */
export class TextView {
  /** What recognizers read. */
  readonly text: string;
  /** NFKC without format characters: the view before dashes are unified (same length as `text`). */
  private readonly nfkc: string;
  private segments: ViewSegments | null | undefined;

  /** `nfkc` is `original.normalize("NFKC")` when the caller has it already. */
  constructor(
    readonly original: string,
    nfkc = original.normalize("NFKC"),
  ) {
    this.nfkc = FORMAT_CHAR.test(nfkc) ? nfkc.replace(FORMAT_CHARS, "") : nfkc;
    this.text = DASH_VARIANT.test(this.nfkc) ? this.nfkc.replace(DASH_VARIANTS, "-") : this.nfkc;
  }

  private map(): ViewSegments | null {
    if (this.segments === undefined) {
      const { original, nfkc } = this;
      this.segments = nfkc === original || (nfkc.length === original.length && sameLengthPerChar(original, nfkc)) ? null : alignSegments(original, nfkc);
    }
    return this.segments;
  }

  /** The original offset where view offset `v` starts (a match's start). */
  originalStart(v: number): number {
    const s = this.map();
    if (s === null) return v;
    // The last segment starting at or before v: v is inside it, or after it by its shift.
    const n = lastAtOrBefore(s.viewStart, v);
    if (n < 0) return v;
    if (v < s.viewEnd[n]!) return s.origStart[n]!;
    return v + s.origEnd[n]! - s.viewEnd[n]!;
  }

  /** The original offset where a view range ending (exclusively) at `v` ends. */
  originalEnd(v: number): number {
    const s = this.map();
    if (s === null) return v;
    // The last segment starting before v: v ends inside it (or at its end), or after it.
    const n = lastAtOrBefore(s.viewStart, v - 1);
    if (n < 0) return v;
    if (v <= s.viewEnd[n]!) return s.origEnd[n]!;
    return v + s.origEnd[n]! - s.viewEnd[n]!;
  }
}

/**
 * True when every UTF-16 unit maps to one unit (fullwidth digits, NBSP, ...): then offsets are
 * unchanged even though characters differ. Checked per unit, since an expansion and a
 * composition elsewhere could cancel out in the total length.
 */
function sameLengthPerChar(text: string, nfkc: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const a = text.charCodeAt(i);
    if (a === nfkc.charCodeAt(i)) continue;
    // Surrogates and combining characters can change length; single BMP units that NFKC maps to
    // a single unit cannot.
    if (a >= 0xd800 && a <= 0xdfff) return false;
    const ch = text[i]!;
    if (viewForm(ch).length !== 1) return false;
    if (combinesWithPrevious(text, i + 1)) return false;
  }
  return true;
}

/**
 * Walks text and view side by side. Where they differ, the smallest run of original characters
 * whose view form is what the view holds there becomes one segment (an empty one for a format
 * character: it maps to nothing, so a match that starts or ends next to one leaves it out).
 */
function alignSegments(text: string, view: string): ViewSegments {
  const seg: ViewSegments = { viewStart: [], viewEnd: [], origStart: [], origEnd: [] };
  let i = 0;
  let j = 0;
  while (i < text.length && j < view.length) {
    if (text.charCodeAt(i) === view.charCodeAt(j) && !combinesWithPrevious(text, i + 1)) {
      i++;
      j++;
      continue;
    }
    let k = i + 1;
    let out = "";
    let found = false;
    for (; k <= text.length && k - i <= MAX_SEGMENT; k++) {
      if (combinesWithPrevious(text, k)) continue;
      out = viewForm(text.slice(i, k));
      if (view.startsWith(out, j)) {
        found = true;
        break;
      }
    }
    if (!found) {
      // Give up on precision and map the rest as one segment: replacement stays inside the text.
      push(seg, j, view.length, i, text.length);
      return seg;
    }
    if (out.length !== k - i) push(seg, j, j + out.length, i, k);
    i = k;
    j += out.length;
  }
  if (i < text.length || j < view.length) push(seg, j, view.length, i, text.length);
  return seg;
}

/** Index of the last value not above `v` in an ascending array, or -1. */
function lastAtOrBefore(sorted: number[], v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= v) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function push(seg: ViewSegments, vs: number, ve: number, os: number, oe: number): void {
  seg.viewStart.push(vs);
  seg.viewEnd.push(ve);
  seg.origStart.push(os);
  seg.origEnd.push(oe);
}
