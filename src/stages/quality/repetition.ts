/**
 * Repetition: lines repeating earlier lines, a sentence repeated inside one line, and Gopher's
 * n-gram measures (Rae et al. 2021) computed over eojeol: the share of characters in the most
 * frequent 2-, 3- and 4-gram, and the share of characters covered by 5-grams that occur more than once.
 * Eojeol carry their particles, so Korean repeats whole n-grams less often than English does at the
 * same quality; a refrain of a poem or song still repeats, which is why the duplicated-n-gram
 * threshold of the korean-web preset sits far above Gopher's.
 */
import type { TextProfile } from "./profile.js";

/** Non-empty lines equal to an earlier line, over non-empty lines; 0 for a single line. */
export function repeatedLineRatio(text: string): number {
  if (!text.includes("\n")) return 0;
  const seen = new Set<string>();
  let lines = 0;
  let repeated = 0;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    lines++;
    if (seen.has(line)) repeated++;
    else seen.add(line);
  }
  return lines === 0 ? 0 : repeated / lines;
}

const SENTENCES = /[^.!?]+[.!?]*/g;

/** Characters of sentences that repeat an earlier sentence of the same line, over all characters. */
export function repeatedSentenceShare(p: TextProfile): number {
  let repeated = 0;
  let total = 0;
  for (const line of p.lines) {
    total += line.length;
    if (line.length < 20) continue;
    const seen = new Set<string>();
    for (const m of line.matchAll(SENTENCES)) {
      const s = m[0].trim();
      if (s.length < 4) continue;
      if (seen.has(s)) repeated += s.length;
      else seen.add(s);
    }
  }
  return total === 0 ? 0 : repeated / total;
}

/**
 * Counts of 32-bit keys in open addressing, reused from document to document: a generation stamp
 * marks the live slots, so starting over costs nothing, and no key is ever a string.
 */
class KeyCounts {
  private keys = new Int32Array(1024);
  private counts = new Int32Array(1024);
  private stamps = new Uint32Array(1024);
  private generation = 0;
  private mask = 1023;

  /** Empties the table, sized for `n` keys. */
  reset(n: number): void {
    if (n * 2 > this.keys.length) {
      let size = this.keys.length;
      while (size < n * 2) size *= 2;
      this.keys = new Int32Array(size);
      this.counts = new Int32Array(size);
      this.stamps = new Uint32Array(size);
      this.mask = size - 1;
      this.generation = 0;
    }
    this.generation++;
  }

  /** Adds one occurrence of `key`; returns its count so far. */
  add(key: number): number {
    let slot = Math.imul(key, 0x9e3779b1) >>> 0;
    for (;;) {
      slot &= this.mask;
      if (this.stamps[slot] !== this.generation) {
        this.stamps[slot] = this.generation;
        this.keys[slot] = key;
        this.counts[slot] = 1;
        return 1;
      }
      if (this.keys[slot] === key) return ++this.counts[slot]!;
      slot++;
    }
  }
}

const table = new KeyCounts();

function ngramKey(hashes: readonly number[], at: number, n: number): number {
  let h = 0x811c9dc5;
  for (let k = at; k < at + n; k++) h = Math.imul(h ^ hashes[k]!, 0x01000193) ^ (h >>> 15);
  return h;
}

export interface NgramShares {
  /** Largest of the top 2-, 3- and 4-gram character shares (exact when above `minTop`). */
  top: number;
  /** Character share covered by later copies of repeated 5-grams (exact when above `minDuplicated`, else an upper bound). */
  duplicated: number;
}

/**
 * Gopher's n-gram shares over eojeol (hashes from the profile's scan); zeros below 10 words. The
 * longer n-grams are counted only when they could exceed `minTop` and `minDuplicated`; below
 * those the shares returned are bounds, which is all a threshold needs.
 */
export function ngramShares(p: TextProfile, minTop = 0, minDuplicated = 0): NgramShares {
  const words = p.wordCount;
  if (words < 10) return { top: 0, duplicated: 0 };
  const hashes = p.wordHashes;
  const lens = p.wordLengths;
  let totalChars = 0;
  for (let i = 0; i < words; i++) totalChars += lens[i]!;
  let maxWord = 0;
  for (let i = 0; i < words; i++) if (lens[i]! > maxWord) maxWord = lens[i]!;
  // 2-grams: the most frequent one, and the characters covered by repeats of any 2-gram. A repeated
  // 3- or 4-gram repeats its first 2-gram as often, and a repeated 5-gram's words are all in repeated
  // 2-grams, so these two numbers bound the rest: prose, with few repeats, skips the longer passes.
  table.reset(words);
  let best2 = 0;
  let best2At = 0;
  let repeatCovered = 0;
  let coveredUntil = 0;
  for (let i = 0; i + 2 <= words; i++) {
    const c = table.add(ngramKey(hashes, i, 2));
    if (c > best2) {
      best2 = c;
      best2At = i;
    }
    if (c < 2) continue;
    for (let k = Math.max(i, coveredUntil); k < i + 2; k++) repeatCovered += lens[k]!;
    coveredUntil = i + 2;
  }
  let top = best2 < 2 ? 0 : (best2 * (lens[best2At]! + lens[best2At + 1]!)) / totalChars;
  for (let n = 3; n <= 4; n++) {
    if (best2 * n * maxWord <= minTop * totalChars) break;
    table.reset(words);
    let best = 0;
    let bestAt = 0;
    for (let i = 0; i + n <= words; i++) {
      const c = table.add(ngramKey(hashes, i, n));
      if (c > best) {
        best = c;
        bestAt = i;
      }
    }
    if (best < 2) continue;
    let chars = 0;
    for (let k = bestAt; k < bestAt + n; k++) chars += lens[k]!;
    top = Math.max(top, (best * chars) / totalChars);
  }
  if (repeatCovered <= minDuplicated * totalChars) return { top, duplicated: repeatCovered / totalChars };
  // Gopher counts the repeats, not the first occurrence: the words of every later copy.
  table.reset(words);
  let dup = 0;
  coveredUntil = 0;
  for (let i = 0; i + 5 <= words; i++) {
    if (table.add(ngramKey(hashes, i, 5)) < 2) continue;
    for (let k = Math.max(i, coveredUntil); k < i + 5; k++) dup += lens[k]!;
    coveredUntil = i + 5;
  }
  return { top, duplicated: dup / totalChars };
}
