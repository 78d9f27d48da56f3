/**
 * Byte-pair-encoding training: start from the 256 byte-level characters and repeatedly merge the
 * most frequent adjacent pair of symbols across all words, until the vocabulary has the requested
 * size. Ties go to the pair of lower ids (the order Hugging Face's BpeTrainer uses), so the result is
 * a pure function of the word counts.
 */
import { BYTE_TO_CHAR } from "./byte-level.js";

export interface LearnBpeOptions {
  /** Final vocabulary size: special tokens + 256 byte characters + merged tokens. */
  vocabSize: number;
  /** Given ids 0, 1, 2, ... in this order. */
  specialTokens: string[];
  /** A pair seen fewer times than this is never merged (default 2). */
  minFrequency?: number;
  /** Called after every merge with the vocabulary size so far and the target (for progress). */
  onMerge?: (vocabSize: number, target: number) => void;
}

export interface BpeModel {
  /** Token → id, ids 0..n-1 in insertion order. */
  vocab: Map<string, number>;
  /** In rank order: the first merge applies first. */
  merges: [string, string][];
}

// Pair keys pack two ids below 2^21 into one exact double.
const PAIR_SHIFT = 2 ** 21;
const pairKey = (a: number, b: number) => a * PAIR_SHIFT + b;

/** A max-heap of (count, pair) with stale entries skipped on pop ("lazy deletion"). */
class PairHeap {
  private counts: number[] = [];
  private keys: number[] = [];

  private before(i: number, j: number): boolean {
    const ci = this.counts[i]!;
    const cj = this.counts[j]!;
    return ci !== cj ? ci > cj : this.keys[i]! < this.keys[j]!;
  }

  private swap(i: number, j: number): void {
    [this.counts[i], this.counts[j]] = [this.counts[j]!, this.counts[i]!];
    [this.keys[i], this.keys[j]] = [this.keys[j]!, this.keys[i]!];
  }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    for (let i = this.counts.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { count: number; key: number } | undefined {
    if (this.counts.length === 0) return undefined;
    const top = { count: this.counts[0]!, key: this.keys[0]! };
    const lastCount = this.counts.pop()!;
    const lastKey = this.keys.pop()!;
    if (this.counts.length > 0) {
      this.counts[0] = lastCount;
      this.keys[0] = lastKey;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < this.counts.length && this.before(l, best)) best = l;
        if (r < this.counts.length && this.before(r, best)) best = r;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }
}

/** Learns merges from byte-level words (each character one initial symbol) and their counts. */
export function learnBpe(wordCounts: Map<string, number>, options: LearnBpeOptions): BpeModel {
  const minFrequency = options.minFrequency ?? 2;
  const vocab = new Map<string, number>();
  const tokens: string[] = [];
  const add = (token: string) => {
    let id = vocab.get(token);
    if (id === undefined) {
      id = tokens.length;
      vocab.set(token, id);
      tokens.push(token);
    }
    return id;
  };
  for (const s of options.specialTokens) add(s);
  for (const c of BYTE_TO_CHAR) add(c);
  if (options.vocabSize < vocab.size) {
    throw new RangeError(`vocabulary size ${options.vocabSize} is below the ${vocab.size} tokens every byte-level BPE needs (256 bytes + ${options.specialTokens.length} special tokens)`);
  }
  if (options.vocabSize > PAIR_SHIFT) throw new RangeError(`vocabulary size ${options.vocabSize} is above the supported ${PAIR_SHIFT}`);

  const words: Int32Array[] = [];
  const freqs: number[] = [];
  for (const [word, count] of wordCounts) {
    const syms = new Int32Array(word.length);
    for (let i = 0; i < word.length; i++) {
      const id = vocab.get(word[i]!);
      if (id === undefined) throw new Error(`learnBpe: "${word[i]}" is not a byte-level character; pass words through toByteLevel`);
      syms[i] = id;
    }
    words.push(syms);
    freqs.push(count);
  }

  const pairCounts = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const countPairs = (w: number, sign: 1 | -1, changed: Set<number>) => {
    const syms = words[w]!;
    for (let i = 0; i + 1 < syms.length; i++) {
      const key = pairKey(syms[i]!, syms[i + 1]!);
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + sign * freqs[w]!);
      changed.add(key);
      if (sign === 1) {
        let set = pairWords.get(key);
        if (!set) pairWords.set(key, (set = new Set()));
        set.add(w);
      }
    }
  };
  const heap = new PairHeap();
  const initial = new Set<number>();
  for (let w = 0; w < words.length; w++) countPairs(w, 1, initial);
  for (const key of initial) heap.push(pairCounts.get(key)!, key);

  const merges: [string, string][] = [];
  while (vocab.size < options.vocabSize) {
    const top = heap.pop();
    if (!top) break;
    if (pairCounts.get(top.key) !== top.count) continue; // stale entry; the current count was pushed too
    if (top.count < Math.max(1, minFrequency)) break;
    const a = Math.floor(top.key / PAIR_SHIFT);
    const b = top.key % PAIR_SHIFT;
    const merged = add(tokens[a]! + tokens[b]!);
    merges.push([tokens[a]!, tokens[b]!]);
    options.onMerge?.(vocab.size, options.vocabSize);
    const changed = new Set<number>();
    for (const w of pairWords.get(top.key) ?? []) {
      countPairs(w, -1, changed);
      const syms = words[w]!;
      const out: number[] = [];
      for (let i = 0; i < syms.length; i++) {
        if (i + 1 < syms.length && syms[i] === a && syms[i + 1] === b) {
          out.push(merged);
          i++;
        } else {
          out.push(syms[i]!);
        }
      }
      words[w] = Int32Array.from(out);
      countPairs(w, 1, changed);
    }
    pairCounts.delete(top.key);
    pairWords.delete(top.key);
    changed.delete(top.key);
    for (const key of changed) {
      const count = pairCounts.get(key)!;
      if (count > 0) heap.push(count, key);
      else {
        pairCounts.delete(key);
        pairWords.delete(key);
      }
    }
  }
  return { vocab, merges };
}
