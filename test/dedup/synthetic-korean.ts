/**
 * Made-up Korean-looking text for the dedup tests: words of random Hangul syllables from a seeded
 * generator (no sentence from any real corpus), and edits whose word-5-gram Jaccard is known.
 */
import type { Document } from "../../src/types.js";
import { seededUint32 } from "../../src/dedup/minhash/minhash.js";

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = seededUint32(seed);
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return this.next() % n;
  }
}

const PARTICLES = ["은", "는", "이", "가", "을", "를", "에", "의", "로", "와", "도"];

export function koreanWord(rng: Rng): string {
  let w = "";
  const syllables = 1 + rng.int(3);
  for (let i = 0; i < syllables; i++) w += String.fromCharCode(0xac00 + rng.int(11172));
  return rng.int(3) === 0 ? w + PARTICLES[rng.int(PARTICLES.length)] : w;
}

export function koreanWords(rng: Rng, n: number): string[] {
  return Array.from({ length: n }, () => koreanWord(rng));
}

/** A text of `n` random words, with a full stop every ten words. */
export function koreanText(seed: number, n: number): string {
  const words = koreanWords(new Rng(seed), n);
  return words.map((w, i) => (i % 10 === 9 ? `${w}.` : w)).join(" ");
}

/**
 * Replaces `k` words, spaced at least `shingle` apart, with fresh words. Each replacement changes
 * exactly `shingle` of the n − shingle + 1 word shingles, so J = (m − k·s) / (m + k·s), m = n − s + 1.
 */
export function substituteWords(text: string, k: number, seed: number, shingle = 5): string {
  const words = text.split(" ");
  const rng = new Rng(seed);
  const step = Math.floor(words.length / k);
  if (step < shingle) throw new Error(`cannot place ${k} edits ${shingle} apart in ${words.length} words`);
  for (let i = 0; i < k; i++) words[i * step + Math.floor(step / 2)] = `새${koreanWord(rng)}`;
  return words.join(" ");
}

/** The Jaccard similarity substituteWords(…, k) gives for a text of n words. */
export function expectedJaccard(n: number, k: number, shingle = 5): number {
  const m = n - shingle + 1;
  return (m - k * shingle) / (m + k * shingle);
}

/** `count` unrelated documents named `${prefix}${i}`. */
export function distinctDocs(count: number, prefix = "doc", words = 60, seed = 1000): Document[] {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}`, text: koreanText(seed + i, words), meta: {} }));
}
