/**
 * Pre-token → token ids, per worker: most words of a corpus repeat, so most pre-tokens are looked
 * up instead of merged. The key is the pre-token's UTF-16 code units, compared in place against the
 * text (no substring is made); the hash is computed by the scanner as it reads the pre-token.
 * A lookup is bound by memory latency, so each slot keeps its hash, key position and up to four
 * ids together in 32 bytes (one cache line holds two slots), and the table grows with its entries
 * instead of starting at full size. It is cleared whole when full, so memory stays capped.
 */

/** Entries before the cache is cleared; about 80 MB per worker at the default. */
export const DEFAULT_CACHE_ENTRIES = 1 << 20;
/** Longer pre-tokens are merged every time: rare, and they would crowd the key pool. */
export const MAX_CACHED_UNITS = 64;

// Slot layout, in 32-bit words.
const SLOT = 8;
const HASH = 0;
const KEY_AT = 1; // key offset + 1; 0 marks an empty slot
const SIZES = 2; // key length | id count << 8
const INLINE = 3; // up to INLINE_IDS ids
const INLINE_IDS = 4;
const IDS_AT = 7; // offset in the id pool when there are more

export class WordCache {
  private slots: Int32Array;
  private mask: number;
  private readonly maxSlots: number;
  private keys: Uint16Array;
  private keysUsed = 0;
  private ids: Int32Array;
  private idsUsed = 0;
  private entries = 0;
  /** Times the cache was cleared because it was full (for tests and benchmarks). */
  resets = 0;

  constructor(readonly capacity: number = DEFAULT_CACHE_ENTRIES) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`cache capacity must be a positive integer, got ${capacity}`);
    let max = 16;
    while (max < capacity * 2) max *= 2;
    this.maxSlots = max;
    const start = Math.min(max, 1 << 17);
    this.slots = new Int32Array(start * SLOT);
    this.mask = start - 1;
    this.keys = new Uint16Array(1 << 16);
    this.ids = new Int32Array(1 << 12);
  }

  /**
   * Copies the ids of `text[start..end)` (hash `hash`) into `out` at `at` and returns how many, or -1
   * when the pre-token is not cached. Nothing is written on a miss.
   */
  lookup(text: string, start: number, end: number, hash: number, out: Int32Array, at: number): number {
    const slots = this.slots;
    const len = end - start;
    let slot = (hash ^ (hash >>> 15)) & this.mask;
    for (;;) {
      const base = slot * SLOT;
      const keyAt = slots[base + KEY_AT]!;
      if (keyAt === 0) return -1;
      const sizes = slots[base + SIZES]!;
      if (slots[base + HASH] === hash && (sizes & 0xff) === len && this.sameKey(keyAt - 1, text, start, len)) {
        const n = sizes >>> 8;
        if (n <= INLINE_IDS) for (let i = 0; i < n; i++) out[at + i] = slots[base + INLINE + i]!;
        else {
          const from = slots[base + IDS_AT]!;
          for (let i = 0; i < n; i++) out[at + i] = this.ids[from + i]!;
        }
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
    else if (this.entries * 2 >= this.mask + 1 && this.mask + 1 < this.maxSlots) this.grow();
    this.keys = reserve(this.keys, this.keysUsed + len);
    for (let i = 0; i < len; i++) this.keys[this.keysUsed + i] = text.charCodeAt(start + i);
    let idsAt = 0;
    if (count > INLINE_IDS) {
      this.ids = reserve(this.ids, this.idsUsed + count);
      for (let i = 0; i < count; i++) this.ids[this.idsUsed + i] = ids[from + i]!;
      idsAt = this.idsUsed;
      this.idsUsed += count;
    }
    const base = this.freeSlot(hash) * SLOT;
    const slots = this.slots;
    slots[base + HASH] = hash;
    slots[base + KEY_AT] = this.keysUsed + 1;
    slots[base + SIZES] = len | (count << 8);
    if (count <= INLINE_IDS) for (let i = 0; i < count; i++) slots[base + INLINE + i] = ids[from + i]!;
    slots[base + IDS_AT] = idsAt;
    this.keysUsed += len;
    this.entries++;
  }

  private freeSlot(hash: number): number {
    let slot = (hash ^ (hash >>> 15)) & this.mask;
    while (this.slots[slot * SLOT + KEY_AT] !== 0) slot = (slot + 1) & this.mask;
    return slot;
  }

  /** Doubles the table, moving every slot to its place in the larger one (keys and ids stay where they are). */
  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    for (let base = 0; base < old.length; base += SLOT) {
      if (old[base + KEY_AT] === 0) continue;
      const to = this.freeSlot(old[base + HASH]!) * SLOT;
      this.slots.set(old.subarray(base, base + SLOT), to);
    }
  }

  get size(): number {
    return this.entries;
  }

  clear(): void {
    this.slots.fill(0);
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
