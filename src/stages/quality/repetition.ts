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

/** Word ids: equal eojeol, equal id; n-grams are then keyed by numbers instead of joined strings. */
function wordIds(words: string[]): Int32Array {
  const ids = new Map<string, number>();
  const out = new Int32Array(words.length);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    let id = ids.get(w);
    if (id === undefined) {
      id = ids.size;
      ids.set(w, id);
    }
    out[i] = id;
  }
  return out;
}

// Two 26-bit hashes joined into one safe integer: collisions cost at most a slightly high share.
function ngramKey(ids: Int32Array, at: number, n: number): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let k = at; k < at + n; k++) {
    a = Math.imul(a ^ ids[k]!, 0x01000193);
    b = Math.imul(b + ids[k]! + 0x9e3779b9, 0x85ebca6b) ^ (b >>> 13);
  }
  return (a >>> 6) * 0x4000000 + (b >>> 6);
}

export interface NgramShares {
  /** Largest of the top 2-, 3- and 4-gram character shares. */
  top: number;
  /** Character share covered by 5-grams that occur more than once. */
  duplicated: number;
}

/** Gopher's n-gram shares over eojeol; zeros below 10 words. */
export function ngramShares(p: TextProfile): NgramShares {
  const words = p.words;
  if (words.length < 10) return { top: 0, duplicated: 0 };
  const ids = wordIds(words);
  const lens = new Int32Array(words.length);
  let totalChars = 0;
  for (let i = 0; i < words.length; i++) totalChars += lens[i] = words[i]!.length;
  let top = 0;
  for (let n = 2; n <= 4; n++) {
    const counts = new Map<number, number>();
    let best = 0;
    let bestAt = 0;
    for (let i = 0; i + n <= ids.length; i++) {
      const key = ngramKey(ids, i, n);
      const c = (counts.get(key) ?? 0) + 1;
      counts.set(key, c);
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
  const n = 5;
  const first = new Map<number, number>();
  const covered = new Uint8Array(words.length);
  for (let i = 0; i + n <= ids.length; i++) {
    const key = ngramKey(ids, i, n);
    const at = first.get(key);
    if (at === undefined) {
      first.set(key, i);
      continue;
    }
    // Gopher counts the repeats, not the first occurrence: mark this copy's words.
    for (let k = i; k < i + n; k++) covered[k] = 1;
  }
  let dup = 0;
  for (let i = 0; i < words.length; i++) if (covered[i]) dup += lens[i]!;
  return { top, duplicated: dup / totalChars };
}
