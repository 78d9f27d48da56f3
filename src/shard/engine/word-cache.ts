/**
 * Pre-token → token ids, per worker: most words of a corpus repeat, so most pre-tokens are looked
 * up instead of merged. The key is the pre-token's UTF-16 code units, compared in place against the
 * text (no substring is made); the hash is computed by the scanner as it reads the pre-token.
 * Open addressing over typed arrays keeps an entry near 40 bytes plus its key and ids, and the
 * table is cleared whole when full, so memory stays capped.
 */

/** Entries before the cache is cleared; about 60 MB per worker at the default. */
export const DEFAULT_CACHE_ENTRIES = 1 << 20;
/** Longer pre-tokens are merged every time: rare, and they would crowd the key pool. */
export const MAX_CACHED_UNITS = 64;

export class WordCache {
  private readonly mask: number;
  private readonly hashes: Int32Array;
  /** keyStart + 1, so 0 marks an empty slot. */
  private readonly keyAt: Int32Array;
  private readonly keyLen: Uint8Array;
  private readonly idsAt: Int32Array;
  private readonly idsLen: Uint16Array;
  private keys: Uint16Array;
  private keysUsed = 0;
  private ids: Int32Array;
  private idsUsed = 0;
  private entries = 0;
  /** Times the cache was cleared because it was full (for tests and benchmarks). */
  resets = 0;

  constructor(readonly capacity: number = DEFAULT_CACHE_ENTRIES) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`cache capacity must be a positive integer, got ${capacity}`);
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.mask = slots - 1;
    this.hashes = new Int32Array(slots);
    this.keyAt = new Int32Array(slots);
    this.keyLen = new Uint8Array(slots);
    this.idsAt = new Int32Array(slots);
    this.idsLen = new Uint16Array(slots);
    this.keys = new Uint16Array(Math.min(capacity, 1 << 16) * 8);
    this.ids = new Int32Array(Math.min(capacity, 1 << 16) * 4);
  }

  /**
   * Copies the ids of `text[start..end)` (hash `hash`) into `out` at `at` and returns how many, or -1
   * when the pre-token is not cached. Nothing is written on a miss.
   */
  lookup(text: string, start: number, end: number, hash: number, out: Int32Array, at: number): number {
    const len = end - start;
    let slot = (hash ^ (hash >>> 15)) & this.mask;
    for (;;) {
      const k = this.keyAt[slot]!;
      if (k === 0) return -1;
      if (this.hashes[slot] === hash && this.keyLen[slot] === len && this.sameKey(k - 1, text, start, len)) {
        const n = this.idsLen[slot]!;
        const from = this.idsAt[slot]!;
        for (let i = 0; i < n; i++) out[at + i] = this.ids[from + i]!;
        return n;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  private sameKey(k: number, text: string, start: number, len: number): boolean {
    const keys = this.keys;
    for (let i = 0; i < len; i++) if (keys[k + i] !== text.charCodeAt(start + i)) return false;
    return true;
  }

  /**
   * Remembers the ids of a pre-token that `lookup` missed. The ids are copied in, so the caller's
   * buffer stays its own; a full cache is cleared first, which never touches ids already handed out.
   */
  insert(text: string, start: number, end: number, hash: number, ids: Int32Array, from: number, count: number): void {
    const len = end - start;
    if (len > MAX_CACHED_UNITS) return;
    if (this.entries >= this.capacity) this.clear();
    this.keys = reserve(this.keys, this.keysUsed + len);
    this.ids = reserve(this.ids, this.idsUsed + count);
    let slot = (hash ^ (hash >>> 15)) & this.mask;
    while (this.keyAt[slot] !== 0) slot = (slot + 1) & this.mask;
    for (let i = 0; i < len; i++) this.keys[this.keysUsed + i] = text.charCodeAt(start + i);
    for (let i = 0; i < count; i++) this.ids[this.idsUsed + i] = ids[from + i]!;
    this.hashes[slot] = hash;
    this.keyAt[slot] = this.keysUsed + 1;
    this.keyLen[slot] = len;
    this.idsAt[slot] = this.idsUsed;
    this.idsLen[slot] = count;
    this.keysUsed += len;
    this.idsUsed += count;
    this.entries++;
  }

  get size(): number {
    return this.entries;
  }

  clear(): void {
    this.keyAt.fill(0);
    this.keysUsed = 0;
    this.idsUsed = 0;
    this.entries = 0;
    this.resets++;
  }
}

function reserve<T extends Uint16Array | Int32Array>(a: T, needed: number): T {
  if (needed <= a.length) return a;
  let size = a.length * 2;
  while (size < needed) size *= 2;
  const grown = new (a.constructor as new (n: number) => T)(size);
  grown.set(a);
  return grown;
}
