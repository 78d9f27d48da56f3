/**
 * korpipe's own byte-level BPE encoder. It gives the ids Hugging Face tokenizers gives for every
 * tokenizer.json that `engineSpec` accepts (added tokens, NFC/NFD, literal Split pre-tokenizers,
 * ByteLevel with or without prefix space and regex), several times faster: one pass over the text
 * with a character-class table stands in for the ByteLevel regex, the scanner hashes each
 * pre-token as it reads it, and a per-worker cache answers repeated pre-tokens without merging.
 */
import { AddedTokenMatcher } from "./added-tokens.js";
import { BpeMerges } from "./bpe-merges.js";
import { charClassTable, SPACE } from "./char-classes.js";
import { IdBuffer } from "./id-buffer.js";
import type { EngineSpec, LiteralSplit } from "./tokenizer-spec.js";
import { DEFAULT_CACHE_ENTRIES, WordCache } from "./word-cache.js";

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

export interface FastEncoderOptions {
  /** Cached pre-tokens before the cache is cleared (default about 1M). */
  cacheEntries?: number;
  /**
   * The tokenizer's normalizer as the library runs it (see libraryNormalizer). JavaScript's own
   * String.normalize is not used: its Unicode version composes differently for a few characters.
   */
  normalize?: (text: string) => string;
}

type StringWithWellFormed = string & { isWellFormed(): boolean; toWellFormed(): string };

export class FastEncoder {
  readonly cache: WordCache;
  private readonly merges: BpeMerges;
  private readonly classes = charClassTable();
  private readonly rawTokens: AddedTokenMatcher | undefined;
  private readonly normalizedTokens: AddedTokenMatcher | undefined;
  private readonly normalize: ((text: string) => string) | undefined;
  private readonly splits: LiteralSplit[];
  private readonly addPrefixSpace: boolean;
  private readonly useRegex: boolean;
  private bytes = new Uint8Array(256);
  private symbols = new Int32Array(256);
  private out = new IdBuffer();

  constructor(spec: EngineSpec, options: FastEncoderOptions = {}) {
    this.merges = new BpeMerges(spec);
    this.cache = new WordCache(options.cacheEntries ?? DEFAULT_CACHE_ENTRIES);
    const raw = spec.addedTokens.filter((t) => !t.normalized || spec.normalizers.length === 0);
    const normalized = spec.addedTokens.filter((t) => t.normalized && spec.normalizers.length > 0);
    this.rawTokens = raw.length > 0 ? new AddedTokenMatcher(raw) : undefined;
    this.normalizedTokens = normalized.length > 0 ? new AddedTokenMatcher(normalized) : undefined;
    if (spec.normalizers.length > 0 && !options.normalize) throw new Error("this tokenizer normalizes text: pass FastEncoderOptions.normalize");
    this.normalize = spec.normalizers.length > 0 ? options.normalize : undefined;
    this.splits = spec.splits;
    this.addPrefixSpace = spec.addPrefixSpace;
    this.useRegex = spec.useRegex;
  }

  /** Appends the ids of `text` to `out`, exactly as `Tokenizer.encode(text)` gives them. */
  encode(text: string, out: IdBuffer): void {
    this.out = out;
    // The library receives strings from JavaScript as UTF-8, which turns each lone surrogate into U+FFFD.
    const t = text as StringWithWellFormed;
    const s = t.isWellFormed() ? text : t.toWellFormed();
    if (this.rawTokens) {
      this.rawTokens.split(s, (a, b) => this.normalizeAndSplit(s, a, b), (id) => out.push(id));
    } else if (s.length > 0) this.normalizeAndSplit(s, 0, s.length);
  }

  private normalizeAndSplit(s: string, start: number, end: number): void {
    if (!this.normalize) return this.preTokenize(s, start, end, 0);
    const piece = this.normalize(s.slice(start, end));
    if (this.normalizedTokens) {
      this.normalizedTokens.split(piece, (a, b) => this.preTokenize(piece, a, b, 0), (id) => this.out.push(id));
    } else if (piece.length > 0) this.preTokenize(piece, 0, piece.length, 0);
  }

  /** Split pre-tokenizers in order (each applies to every piece of the one before), then ByteLevel. */
  private preTokenize(s: string, start: number, end: number, step: number): void {
    if (step === this.splits.length) return this.byteLevel(s, start, end);
    const { pattern, behavior } = this.splits[step]!;
    let at = start;
    for (let m = s.indexOf(pattern, at); m !== -1 && m + pattern.length <= end; m = s.indexOf(pattern, at)) {
      if (m > at) this.preTokenize(s, at, m, step + 1);
      if (behavior === "Isolated") this.preTokenize(s, m, m + pattern.length, step + 1);
      at = m + pattern.length;
    }
    if (at < end) this.preTokenize(s, at, end, step + 1);
  }

  private byteLevel(s: string, start: number, end: number): void {
    // Ids never outnumber UTF-8 bytes (at most 3 per code unit, plus a prefix space): reserve once per piece.
    this.out.reserve(3 * (end - start) + 3);
    if (this.addPrefixSpace && s.charCodeAt(start) !== 0x20) {
      s = " " + s.slice(start, end);
      start = 0;
      end = s.length;
    }
    if (this.useRegex) this.scan(s, start, end);
    else this.encodeWord(s, start, end, hashRange(s, start, end));
  }

  /**
   * GPT-2's split `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
   * as one left-to-right pass: each pre-token is found, hashed and encoded before the next.
   */
  private scan(s: string, start: number, end: number): void {
    const classes = this.classes;
    let i = start;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c === 0x27 && i + 1 < end) {
        const len = contractionLength(s, i, end);
        if (len > 0) {
          this.encodeWord(s, i, i + len, hashRange(s, i, i + len));
          i += len;
          continue;
        }
      }
      // ` ?` takes a leading space only when a letter, number or other symbol follows it.
      let k = c === 0x20 && i + 1 < end ? i + 1 : i;
      let cp = s.charCodeAt(k);
      let width = 1;
      if ((cp & 0xfc00) === 0xd800 && k + 1 < end) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (s.charCodeAt(k + 1) - 0xdc00);
        width = 2;
      }
      const cls = classes[cp]!;
      if (cls === SPACE) {
        // Whitespace from i (a space before whitespace is part of the run): `\s+(?!\S)` leaves the
        // run's last character to the word after it; `\s+` takes a single one before a word.
        let j = i + 1;
        while (j < end && classes[s.charCodeAt(j)] === SPACE) j++;
        const wsEnd = j === end || j - i === 1 ? j : j - 1;
        this.encodeWord(s, i, wsEnd, hashRange(s, i, wsEnd));
        i = wsEnd;
        continue;
      }
      let h = FNV_OFFSET;
      for (let u = i; u < k + width; u++) h = Math.imul(h ^ s.charCodeAt(u), FNV_PRIME);
      k += width;
      while (k < end) {
        cp = s.charCodeAt(k);
        width = 1;
        if ((cp & 0xfc00) === 0xd800 && k + 1 < end) {
          const lo = s.charCodeAt(k + 1);
          if (classes[0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00)] !== cls) break;
          h = Math.imul(Math.imul(h ^ cp, FNV_PRIME) ^ lo, FNV_PRIME);
          k += 2;
          continue;
        }
        if (classes[cp] !== cls) break;
        h = Math.imul(h ^ cp, FNV_PRIME);
        k++;
      }
      this.encodeWord(s, i, k, h);
      i = k;
    }
  }

  /** The ids of one pre-token: from the cache, or merged and then cached. */
  private encodeWord(s: string, start: number, end: number, hash: number): void {
    const out = this.out;
    const hit = this.cache.lookup(s, start, end, hash, out.ids, out.length);
    if (hit >= 0) {
      out.length += hit;
      return;
    }
    const n = this.utf8(s, start, end);
    const symbols = this.symbols;
    const byteIds = this.merges.byteIds;
    for (let i = 0; i < n; i++) symbols[i] = byteIds[this.bytes[i]!]!;
    const count = this.merges.mergeWord(symbols, n, this.bytes);
    const ids = out.ids;
    for (let i = 0; i < count; i++) ids[out.length + i] = symbols[i]!;
    // Written out before caching: clearing a full cache can never change ids already produced.
    this.cache.insert(s, start, end, hash, out.ids, out.length, count);
    out.length += count;
  }

  /** UTF-8 of `s[start..end)` into `this.bytes` (and room for as many symbols); returns the byte count. */
  private utf8(s: string, start: number, end: number): number {
    const max = 3 * (end - start);
    if (this.bytes.length < max) {
      this.bytes = new Uint8Array(max);
      this.symbols = new Int32Array(max);
    }
    const b = this.bytes;
    let n = 0;
    for (let i = start; i < end; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) b[n++] = c;
      else if (c < 0x800) {
        b[n++] = 0xc0 | (c >> 6);
        b[n++] = 0x80 | (c & 0x3f);
      } else if ((c & 0xfc00) === 0xd800 && i + 1 < end) {
        c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
        b[n++] = 0xf0 | (c >> 18);
        b[n++] = 0x80 | ((c >> 12) & 0x3f);
        b[n++] = 0x80 | ((c >> 6) & 0x3f);
        b[n++] = 0x80 | (c & 0x3f);
      } else {
        b[n++] = 0xe0 | (c >> 12);
        b[n++] = 0x80 | ((c >> 6) & 0x3f);
        b[n++] = 0x80 | (c & 0x3f);
      }
    }
    return n;
  }
}

/** Length of the contraction (`'s`, `'t`, `'re`, `'ve`, `'m`, `'ll`, `'d`) at `i`, or 0. */
function contractionLength(s: string, i: number, end: number): number {
  const c1 = s.charCodeAt(i + 1);
  if (c1 === 0x73 || c1 === 0x74 || c1 === 0x6d || c1 === 0x64) return 2;
  if (i + 2 >= end) return 0;
  const c2 = s.charCodeAt(i + 2);
  return (c1 === 0x72 && c2 === 0x65) || (c1 === 0x76 && c2 === 0x65) || (c1 === 0x6c && c2 === 0x6c) ? 3 : 0;
}

function hashRange(s: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

