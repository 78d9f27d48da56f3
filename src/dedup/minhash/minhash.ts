/**
 * MinHash over 32-bit shingle hashes.
 *
 * Each of the K permutations is the universal hash x ↦ a·x + b (mod 2³²) with odd a, a bijection
 * of 32-bit values; the signature keeps the minimum over the shingles for each. Parameters come
 * from a fixed-seed generator, so every worker, task and machine computes the same signature.
 * The inner loop is Int32 arithmetic only (values are compared with their top bit flipped, which
 * orders signed integers the way the unsigned values are ordered) and handles four permutations
 * per pass over the shingles: V8 keeps it in registers, about 0.7 G permutation steps per second.
 * Where WebAssembly SIMD is available the same loop runs there (minhash-simd.ts), eight at a time.
 */
import { SimdMinHash } from "./minhash-simd.js";

/** The generator behind the permutations (splitmix32): small, fast, and the same everywhere. */
export function seededUint32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

const SIGN = 0x80000000 | 0;
const EMPTY = 0xffffffff;

export class MinHasher {
  readonly numPerm: number;
  private readonly a: Int32Array;
  /** b with the top bit flipped, so that min over signed results is min over unsigned ones. */
  private readonly b: Int32Array;
  private readonly work: Int32Array;
  private readonly simd: SimdMinHash | undefined;

  /** `simd: false` forces the scalar loop (both give identical signatures). */
  constructor(numPerm: number, seed = 1, options: { simd?: boolean } = {}) {
    if (!Number.isInteger(numPerm) || numPerm < 1) throw new Error(`MinHash needs at least one permutation, got ${numPerm}`);
    this.numPerm = numPerm;
    const padded = Math.ceil(numPerm / 8) * 8;
    this.a = new Int32Array(padded);
    this.b = new Int32Array(padded);
    this.work = new Int32Array(padded);
    const next = seededUint32(seed);
    for (let i = 0; i < padded; i++) {
      this.a[i] = next() | 1;
      this.b[i] = (next() ^ SIGN) | 0;
    }
    this.simd = options.simd === false ? undefined : SimdMinHash.create(this.a, this.b);
  }

  /** True when signatures are computed with WebAssembly SIMD. */
  get usesSimd(): boolean {
    return this.simd !== undefined;
  }

  /**
   * Writes the signature of `shingles[0..count)` to `out[offset..offset+numPerm)`.
   * No shingles gives the all-ones signature (it matches nothing: see `isEmptySignature`).
   */
  sign(shingles: Int32Array, count: number, out: Uint32Array, offset = 0): void {
    const K = this.numPerm;
    if (count === 0) {
      out.fill(EMPTY, offset, offset + K);
      return;
    }
    const w = this.work;
    if (this.simd) {
      this.simd.run(shingles, count, w);
      for (let j = 0; j < K; j++) out[offset + j] = (w[j]! ^ SIGN) >>> 0;
      return;
    }
    const a = this.a;
    const b = this.b;
    for (let j = 0; j < a.length; j += 4) {
      const a0 = a[j]!, a1 = a[j + 1]!, a2 = a[j + 2]!, a3 = a[j + 3]!;
      const b0 = b[j]!, b1 = b[j + 1]!, b2 = b[j + 2]!, b3 = b[j + 3]!;
      let m0 = 0x7fffffff, m1 = 0x7fffffff, m2 = 0x7fffffff, m3 = 0x7fffffff;
      for (let i = 0; i < count; i++) {
        const x = shingles[i]!;
        const v0 = (Math.imul(a0, x) + b0) | 0;
        const v1 = (Math.imul(a1, x) + b1) | 0;
        const v2 = (Math.imul(a2, x) + b2) | 0;
        const v3 = (Math.imul(a3, x) + b3) | 0;
        if (v0 < m0) m0 = v0;
        if (v1 < m1) m1 = v1;
        if (v2 < m2) m2 = v2;
        if (v3 < m3) m3 = v3;
      }
      w[j] = m0;
      w[j + 1] = m1;
      w[j + 2] = m2;
      w[j + 3] = m3;
    }
    for (let j = 0; j < K; j++) out[offset + j] = (w[j]! ^ SIGN) >>> 0;
  }
}

/** True for the signature of a text without shingles. */
export function isEmptySignature(sig: Uint32Array, offset = 0, numPerm = sig.length): boolean {
  for (let j = 0; j < numPerm; j++) if (sig[offset + j] !== EMPTY) return false;
  return true;
}

/** Fraction of equal positions: an unbiased estimate of the Jaccard similarity of the shingle sets. */
export function estimateJaccard(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`signatures differ in length (${a.length} vs ${b.length}); were they made with the same settings?`);
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return a.length === 0 ? 0 : same / a.length;
}

/**
 * Estimate from signatures truncated to their low 16 bits (what the on-disk signature table
 * keeps). Unequal values agree by chance with probability 2⁻¹⁶; the estimate corrects for it.
 */
export function estimateJaccard16(a: Uint16Array, aOffset: number, b: Uint16Array, bOffset: number, numPerm: number): number {
  let same = 0;
  for (let i = 0; i < numPerm; i++) if (a[aOffset + i] === b[bOffset + i]) same++;
  const chance = 1 / 65536;
  return Math.max(0, (same / numPerm - chance) / (1 - chance));
}

const BAND_SEED_HI = 0x3c6ef372 | 0;
const BAND_SEED_LO = 0x510e527f | 0;

function mixRow(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The 64-bit key of each LSH band (`rows` consecutive signature values), as two 32-bit words
 * (high, low) per band in `out[outOffset..]`. Two documents share a band key exactly when they
 * agree on all rows of that band, up to a 2⁻⁶⁴ chance of collision.
 */
export function bandKeys(sig: Uint32Array, sigOffset: number, bands: number, rows: number, out: Uint32Array, outOffset = 0): void {
  for (let band = 0; band < bands; band++) {
    let hi = BAND_SEED_HI ^ band;
    let lo = BAND_SEED_LO ^ Math.imul(band, 0x9e3779b9);
    const start = sigOffset + band * rows;
    for (let r = 0; r < rows; r++) {
      const v = sig[start + r]! | 0;
      hi = mixRow(hi, v);
      lo = mixRow(lo, v ^ 0x5bd1e995);
    }
    out[outOffset + band * 2] = fmix(hi ^ rows);
    out[outOffset + band * 2 + 1] = fmix(lo ^ Math.imul(rows, 0x27d4eb2d));
  }
}
