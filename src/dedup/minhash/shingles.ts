/**
 * Shingling: the text a near-duplicate check compares, reduced to a set of 32-bit shingle hashes.
 *
 * The text is NFC-normalized and lowercased, punctuation and symbols are stripped, and what is
 * left is cut into word n-grams (Korean eojeol = whitespace-separated token) or character
 * n-grams. Hashing happens in one pass over UTF-16 code units, in JavaScript: a native hash
 * call per shingle (napi) costs more than the whole MinHash of that shingle, so the shingle
 * hashes are a MurmurHash3-style mix computed inline. They are fixed (no per-run seed), so a
 * signature never depends on the machine, the worker or the run.
 */

export interface ShingleSpec {
  kind: "word" | "char";
  /** Tokens per shingle: words for `word`, characters for `char`. */
  size: number;
}

export const DEFAULT_SHINGLE: ShingleSpec = { kind: "word", size: 5 };

/** Parses `word:5` or `char:7` (as given to `--shingle`). */
export function parseShingleSpec(spec: string): ShingleSpec {
  const m = /^(word|char):(\d+)$/.exec(spec.trim());
  const size = m ? Number(m[2]) : NaN;
  if (!m || !Number.isInteger(size) || size < 1 || size > 64) {
    throw new Error(`--shingle ${JSON.stringify(spec)}: expected word:N or char:N with N from 1 to 64, e.g. word:5 (eojeol 5-grams) or char:7`);
  }
  return { kind: m[1] as "word" | "char", size };
}

export function formatShingleSpec(spec: ShingleSpec): string {
  return `${spec.kind}:${spec.size}`;
}

// Character classes of UTF-16 code units, decided once from Unicode properties.
const WORD = 0;
const SPACE = 1;
const STRIP = 2;
const SURROGATE = 3;

const CLASS = buildClassTable();

function buildClassTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  const space = /[\s\p{Cc}\p{Zs}\p{Zl}\p{Zp}]/u;
  const strip = /[\p{P}\p{S}\p{Cf}]/u;
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) {
      table[c] = SURROGATE;
      continue;
    }
    const ch = String.fromCharCode(c);
    table[c] = space.test(ch) ? SPACE : strip.test(ch) ? STRIP : WORD;
  }
  return table;
}

const astralStrip = /^[\p{P}\p{S}\p{Cf}]$/u;

/** The class of the code point at a surrogate: an astral character's own, a lone surrogate a word character. */
const surrogateClass = (cp: number) => (cp > 0xffff && astralStrip.test(String.fromCodePoint(cp)) ? STRIP : WORD);

/**
 * Lowercasing one UTF-16 code unit at a time, as `toLowerCase` does for all but a few: İ (U+0130)
 * becomes two code units, Σ (U+03A3) depends on its neighbours (final sigma), and a surrogate pair
 * is lowered as one code point. Those are marked NOT_SIMPLE and send a text down toLowerCase.
 * Lowering while hashing spares a copy of every text (toLowerCase of Korean text, which has no
 * case, cost as much as the shingle hashing itself).
 */
const NOT_SIMPLE = 0xffff;
const LOWER = new Uint16Array(0x10000);
/**
 * LOWER, but NOT_SIMPLE also for code units that NFC may change in some context: marks, Hangul
 * jamo, and characters that are not their own NFC. A text of the others is its own NFC (no
 * canonical composition has a second element among them, and they all have combining class 0),
 * so `normalize`, which copies every text, is needed only for texts with one.
 */
const LOWER_IF_NFC = new Uint16Array(0x10000);
buildLowerTables();

function buildLowerTables(): void {
  const mark = /\p{M}/u;
  for (let c = 0; c < 0x10000; c++) {
    // Hangul syllables and CJK ideographs are caseless and their own NFC: no need to ask.
    if ((c >= 0xac00 && c <= 0xd7a3) || (c >= 0x4e00 && c <= 0x9fff)) {
      LOWER[c] = LOWER_IF_NFC[c] = c;
      continue;
    }
    const ch = String.fromCharCode(c);
    const lower = ch.toLowerCase();
    // U+FFFF lowers to itself; as a marker it only costs such a text the slower path.
    const simple = (c >= 0xd800 && c <= 0xdfff) || c === 0x3a3 || lower.length !== 1 ? NOT_SIMPLE : lower.charCodeAt(0);
    LOWER[c] = simple;
    const nfcStable = !mark.test(ch) && !(c >= 0x1100 && c <= 0x11ff) && ch.normalize("NFC") === ch;
    LOWER_IF_NFC[c] = nfcStable ? simple : NOT_SIMPLE;
  }
}

/** Text as the shingler sees it: NFC, lowercase. Stripping and splitting happen while hashing. */
export function prepareText(text: string): string {
  return text.normalize("NFC").toLowerCase();
}

const C1 = 0xcc9e2d51 | 0;
const C2 = 0x1b873593 | 0;

/** One MurmurHash3 (x86_32) block step. */
function mixIn(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finalizer: every input bit affects every output bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

const WORD_SEED = 0x2f1a7b3d;
const SHINGLE_SEED = 0x6a09e667;

/**
 * Reusable buffers for shingling, so that hashing a document allocates nothing after warm-up.
 * One per thread.
 */
export class Shingler {
  readonly spec: ShingleSpec;
  /** Hashes of the tokens (words or characters) of the current text. */
  private tokens = new Int32Array(4096);
  /** Shingle hashes of the current text; valid up to the count `hash` returned. */
  shingles = new Int32Array(4096);
  /**
   * After hashing words: whether the text's whitespace was only single U+0020 spaces between
   * other characters, i.e. collapsing whitespace would leave it as it is.
   */
  singleSpaced = false;

  constructor(spec: ShingleSpec = DEFAULT_SHINGLE) {
    this.spec = spec;
  }

  /**
   * Hashes the shingles of `prepared` (see prepareText) into `this.shingles` and returns how
   * many there are. A text with fewer tokens than the shingle size gives one shingle of all of
   * them; a text with no tokens gives none.
   */
  hash(prepared: string): number {
    const n = this.spec.kind === "word" ? this.hashWords(prepared) : this.hashChars(prepared);
    return this.combine(n);
  }

  /** The same as `hash(nfc.toLowerCase())` for an NFC text, lowering as it goes where that is exact. */
  hashNfc(nfc: string): number {
    const n = this.spec.kind === "word" ? this.hashWordsLowering(nfc, LOWER) : -1;
    return n >= 0 ? this.combine(n) : this.hash(nfc.toLowerCase());
  }

  /**
   * The same as `hash(text.normalize("NFC").toLowerCase())` when the text is plainly its own NFC
   * and lowers code unit by code unit (most text); -1 otherwise, hashing nothing.
   */
  hashIfPlain(text: string): number {
    const n = this.spec.kind === "word" ? this.hashWordsLowering(text, LOWER_IF_NFC) : -1;
    return n >= 0 ? this.combine(n) : -1;
  }

  private growTokens(min: number): void {
    const next = new Int32Array(Math.max(min, this.tokens.length * 2));
    next.set(this.tokens);
    this.tokens = next;
  }

  /** Token `n`: the word hashed into `h`, `len` code units long. */
  private setWord(n: number, h: number, len: number): void {
    if (n === this.tokens.length) this.growTokens(n + 1);
    this.tokens[n] = fmix32(h ^ len);
  }

  private hashWords(s: string): number {
    return this.hashWordsLowering(s, undefined);
  }

  /**
   * The word tokens of `s` (lowered through `lower` when given), or -1 at a code unit `lower`
   * marks NOT_SIMPLE. Lowering tables mark every surrogate, so astral characters are met only
   * without one.
   */
  private hashWordsLowering(s: string, lower: Uint16Array | undefined): number {
    let n = 0;
    let h = WORD_SEED;
    let len = 0;
    const end = s.length;
    // Whether every space-like code unit is a lone U+0020 between words (so collapsing is a no-op).
    let single = end > 0;
    let afterSpace = true;
    for (let i = 0; i < end; i++) {
      let c = s.charCodeAt(i);
      if (lower !== undefined) {
        c = lower[c]!;
        if (c === NOT_SIMPLE) return -1;
      }
      let cls = CLASS[c]!;
      if (cls === SPACE) {
        if (c !== 32 || afterSpace) single = false;
        afterSpace = true;
      } else afterSpace = false;
      if (cls === SURROGATE) {
        const cp = s.codePointAt(i)!;
        cls = surrogateClass(cp);
        if (cp > 0xffff) {
          i++;
          c = cp;
        }
      }
      if (cls === WORD) {
        h = mixIn(h, c);
        len++;
      } else if (cls === SPACE && len > 0) {
        this.setWord(n++, h, len);
        h = WORD_SEED;
        len = 0;
      }
    }
    if (len > 0) this.setWord(n++, h, len);
    this.singleSpaced = single && !afterSpace;
    return n;
  }

  /** Character tokens skip whitespace too, so spacing variants (띄어쓰기) still match. */
  private hashChars(s: string): number {
    let n = 0;
    const end = s.length;
    if (this.tokens.length < end) this.growTokens(end);
    const tokens = this.tokens;
    for (let i = 0; i < end; i++) {
      let c = s.charCodeAt(i);
      let cls = CLASS[c]!;
      if (cls === SURROGATE) {
        const cp = s.codePointAt(i)!;
        cls = surrogateClass(cp);
        if (cp > 0xffff) {
          i++;
          c = cp;
        }
      }
      if (cls === WORD) tokens[n++] = c;
    }
    return n;
  }

  private combine(nTokens: number): number {
    if (nTokens === 0) return 0;
    const size = this.spec.size;
    const count = nTokens < size ? 1 : nTokens - size + 1;
    const width = nTokens < size ? nTokens : size;
    if (this.shingles.length < count) this.shingles = new Int32Array(Math.max(count, this.shingles.length * 2));
    const t = this.tokens;
    const out = this.shingles;
    for (let i = 0; i < count; i++) {
      let h = SHINGLE_SEED;
      for (let j = 0; j < width; j++) h = mixIn(h, t[i + j]!);
      out[i] = fmix32(h ^ width);
    }
    return count;
  }
}

/**
 * The shingles of `text` as plain strings, for tests and for computing exact Jaccard
 * similarity in evaluations. Same normalization as `Shingler`; slow, not for bulk use.
 */
export function shingleStrings(text: string, spec: ShingleSpec = DEFAULT_SHINGLE): Set<string> {
  const prepared = prepareText(text);
  const tokens: string[] = [];
  let current = "";
  for (const ch of prepared) {
    const c = ch.codePointAt(0)!;
    const cls = c > 0xffff || CLASS[c] === SURROGATE ? surrogateClass(c) : CLASS[c]!;
    if (cls === WORD) {
      if (spec.kind === "char") tokens.push(ch);
      else current += ch;
    } else if (cls === SPACE && spec.kind === "word" && current) {
      tokens.push(current);
      current = "";
    }
  }
  if (current) tokens.push(current);
  const out = new Set<string>();
  if (tokens.length === 0) return out;
  const sep = spec.kind === "word" ? " " : "";
  if (tokens.length < spec.size) out.add(tokens.join(sep));
  else for (let i = 0; i + spec.size <= tokens.length; i++) out.add(tokens.slice(i, i + spec.size).join(sep));
  return out;
}

/** Exact Jaccard similarity of two texts' shingle sets (reference for tests and evaluations). */
export function exactJaccard(a: string, b: string, spec: ShingleSpec = DEFAULT_SHINGLE): number {
  const sa = shingleStrings(a, spec);
  const sb = shingleStrings(b, spec);
  if (sa.size === 0 && sb.size === 0) return 1;
  let inter = 0;
  for (const s of sa) if (sb.has(s)) inter++;
  return inter / (sa.size + sb.size - inter);
}
