/**
 * Byte-level BPE on one pre-token: its UTF-8 bytes become byte tokens, then the pair of adjacent
 * tokens with the lowest merge rank is merged, the leftmost first among equals, until no adjacent
 * pair has a merge. That is the order Hugging Face's `Word::merge_all` reaches with its priority
 * queue of (rank, position). Ranks come from the order of the merges list, not from token ids.
 */
import type { EngineSpec } from "./tokenizer-spec.js";
import { byteLevelAlphabet } from "./tokenizer-spec.js";

/** Words up to this many bytes merge with a rescan of a small array; longer ones with a heap. */
export const SHORT_WORD_BYTES = 256;
const NO_MERGE = 0x7fffffff;
// A heap entry is rank * 2^27 + position, so ties in rank pop the leftmost position first.
const POSITION_SPAN = 2 ** 27;

export class BpeMerges {
  /** Token id of each byte value. */
  readonly byteIds: Int32Array;
  /** Open-addressed pair table: left and right id per slot (-1 when empty) and the pair's rank. */
  private readonly pairLeft: Int32Array;
  private readonly pairRight: Int32Array;
  private readonly pairRank: Int32Array;
  private readonly pairMask: number;
  /** Merged token id by rank. */
  private readonly mergedId: Int32Array;
  /** Whole-word lookups of `ignore_merges` tokenizers: byte-level spelling → id. */
  private readonly wholeWord: Map<string, number> | undefined;
  private readonly alphabet = byteLevelAlphabet();
  private ranks = new Int32Array(SHORT_WORD_BYTES);

  constructor(spec: EngineSpec) {
    if (spec.merges.length >= 2 ** 26) throw new RangeError("too many merges for the fast engine");
    this.byteIds = Int32Array.from(this.alphabet, (c) => spec.vocab.get(c)!);
    this.mergedId = new Int32Array(spec.merges.length);
    let slots = 16;
    while (slots < spec.merges.length * 2) slots *= 2;
    this.pairMask = slots - 1;
    this.pairLeft = new Int32Array(slots).fill(-1);
    this.pairRight = new Int32Array(slots);
    this.pairRank = new Int32Array(slots);
    spec.merges.forEach(([a, b], rank) => {
      const left = spec.vocab.get(a);
      const right = spec.vocab.get(b);
      const merged = spec.vocab.get(a + b);
      // The library refuses to load such a file; say so rather than merge into a wrong id.
      if (left === undefined || right === undefined || merged === undefined) throw new Error(`merge ${rank} (${a} ${b}) uses or makes a token that is not in the vocab`);
      let slot = pairSlot(left, right) & this.pairMask;
      while (this.pairLeft[slot] !== -1 && !(this.pairLeft[slot] === left && this.pairRight[slot] === right)) slot = (slot + 1) & this.pairMask;
      // A pair listed twice takes its last rank: the library collects the merges into a map in order.
      this.pairLeft[slot] = left;
      this.pairRight[slot] = right;
      this.pairRank[slot] = rank;
      this.mergedId[rank] = merged;
    });
    this.wholeWord = spec.ignoreMerges ? spec.vocab : undefined;
  }

  private rank(left: number, right: number): number {
    const lefts = this.pairLeft;
    let slot = pairSlot(left, right) & this.pairMask;
    for (;;) {
      const l = lefts[slot]!;
      if (l === left && this.pairRight[slot] === right) return this.pairRank[slot]!;
      if (l === -1) return NO_MERGE;
      slot = (slot + 1) & this.pairMask;
    }
  }

  /**
   * Merges the byte tokens in `symbols[0..n)` in place and returns how many tokens remain there.
   * `bytes` is the word's UTF-8 (needed only by `ignore_merges` tokenizers).
   */
  mergeWord(symbols: Int32Array, n: number, bytes?: Uint8Array): number {
    if (this.wholeWord && bytes) {
      let spelled = "";
      for (let i = 0; i < n; i++) spelled += this.alphabet[bytes[i]!];
      const id = this.wholeWord.get(spelled);
      if (id !== undefined) {
        symbols[0] = id;
        return 1;
      }
    }
    if (n < 2) return n;
    return n <= SHORT_WORD_BYTES ? this.mergeShort(symbols, n) : this.mergeLong(symbols, n);
  }

  /** Short words: keep each adjacent pair's rank and rescan for the smallest after every merge. */
  private mergeShort(symbols: Int32Array, n: number): number {
    const ranks = this.ranks;
    for (let i = 0; i + 1 < n; i++) ranks[i] = this.rank(symbols[i]!, symbols[i + 1]!);
    for (;;) {
      let best = NO_MERGE;
      let at = -1;
      for (let i = 0; i + 1 < n; i++) {
        if (ranks[i]! < best) {
          best = ranks[i]!;
          at = i;
        }
      }
      if (at < 0) return n;
      symbols[at] = this.mergedId[best]!;
      symbols.copyWithin(at + 1, at + 2, n);
      ranks.copyWithin(at, at + 1, n - 1);
      n--;
      if (at > 0) ranks[at - 1] = this.rank(symbols[at - 1]!, symbols[at]!);
      if (at + 1 < n) ranks[at] = this.rank(symbols[at]!, symbols[at + 1]!);
    }
  }

  /** Long words (long runs of one class, or no regex split): a linked list and a heap of (rank, position). */
  private mergeLong(symbols: Int32Array, n: number): number {
    if (n >= POSITION_SPAN) throw new RangeError(`a pre-token of ${n} bytes is too long for the fast engine`);
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    const heap = new MinHeap(n);
    const push = (pos: number) => {
      const right = next[pos]!;
      if (right < 0) return;
      const r = this.rank(symbols[pos]!, symbols[right]!);
      if (r !== NO_MERGE) heap.push(r * POSITION_SPAN + pos);
    };
    for (let i = 0; i + 1 < n; i++) push(i);
    const gone = new Uint8Array(n);
    while (heap.size > 0) {
      const entry = heap.pop();
      const pos = entry % POSITION_SPAN;
      const r = (entry - pos) / POSITION_SPAN;
      const right = next[pos]!;
      // Skip entries made stale by an earlier merge next to them.
      if (gone[pos] || right < 0 || this.rank(symbols[pos]!, symbols[right]!) !== r) continue;
      symbols[pos] = this.mergedId[r]!;
      gone[right] = 1;
      next[pos] = next[right]!;
      if (next[pos]! >= 0) prev[next[pos]!] = pos;
      if (prev[pos]! >= 0) push(prev[pos]!);
      push(pos);
    }
    let out = 0;
    for (let i = 0; i >= 0; i = next[i]!) symbols[out++] = symbols[i]!;
    return out;
  }
}

function pairSlot(left: number, right: number): number {
  const h = Math.imul(left, 0x9e3779b1) ^ Math.imul(right, 0x85ebca77);
  return h ^ (h >>> 16);
}

class MinHeap {
  private items: Float64Array;
  size = 0;
  constructor(capacity: number) {
    this.items = new Float64Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.size === this.items.length) {
      const grown = new Float64Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    const a = this.items;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= v) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = v;
  }
  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a[--this.size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && a[child + 1]! < a[child]!) child++;
      if (a[child]! >= last) break;
      a[i] = a[child]!;
      i = child;
    }
    a[i] = last;
    return top;
  }
}
