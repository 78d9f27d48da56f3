/**
 * A document's dedup signature: an exact content hash plus a MinHash over its shingles.
 * `Signer` batches documents for worker threads; `computeSignature` is the one-document form.
 */
import { xxh3 } from "@node-rs/xxhash";
import { DEFAULT_BANDING, validateBanding } from "./lsh-params.js";
import { bandKeys, MinHasher } from "./minhash.js";
import { DEFAULT_SHINGLE, formatShingleSpec, Shingler, type ShingleSpec } from "./shingles.js";

export interface SignatureParams {
  shingle: ShingleSpec;
  bands: number;
  rows: number;
  /** Seed of the MinHash permutations; documents compare only under the same seed. */
  seed: number;
  /** Exact duplicates only: no MinHash, no bands. */
  exactOnly: boolean;
  /**
   * Keep each document's set of shingle hashes (about a third of the text's size on disk), so
   * candidates can be verified by their exact Jaccard similarity (`verify: "exact"`).
   */
  shingleSets: boolean;
}

export const DEFAULT_SIGNATURE_PARAMS: SignatureParams = {
  shingle: DEFAULT_SHINGLE,
  ...DEFAULT_BANDING,
  seed: 1,
  exactOnly: false,
  shingleSets: true,
};

export function resolveSignatureParams(p: Partial<SignatureParams> = {}): SignatureParams {
  const out = { ...DEFAULT_SIGNATURE_PARAMS, ...p };
  validateBanding(out);
  if (out.exactOnly) out.shingleSets = false;
  return out;
}

/** Permutations per signature (0 with exactOnly). */
export function numPermutations(p: SignatureParams): number {
  return p.exactOnly ? 0 : p.bands * p.rows;
}

/** A stable text form of the parameters; intermediate files record it so that runs never mix. */
export function signatureParamsKey(p: SignatureParams): string {
  return p.exactOnly
    ? "exact-only/v1"
    : `${formatShingleSpec(p.shingle)}/b${p.bands}/r${p.rows}/seed${p.seed}${p.shingleSets ? "/sets" : ""}/v1`;
}

export interface Signature {
  /** xxh3-128 of the text after NFC and whitespace collapsing, as four 32-bit words (high first). */
  exact: Uint32Array;
  /** MinHash values, bands·rows of them (empty with exactOnly). */
  minhash: Uint32Array;
  /** Number of shingles; 0 means the text has no words and can only match exactly. */
  shingles: number;
}

/** Most texts have single spaces only; checking that is several times cheaper than the regex. */
function collapseSpaces(s: string): string {
  const end = s.length;
  if (end === 0) return s;
  let prevSpace = true;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (prevSpace) return s.replace(/\s+/g, " ").trim();
      prevSpace = true;
    } else if (c <= 13 || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff) {
      return s.replace(/\s+/g, " ").trim();
    } else prevSpace = false;
  }
  return prevSpace ? s.replace(/\s+/g, " ").trim() : s;
}

const utf8 = new TextEncoder();
const hashHalves = new BigUint64Array(2);
const hashWords = new Uint32Array(hashHalves.buffer);
let utf8Buf = new Uint8Array(1 << 16);

function writeExactHash(nfcText: string, out: Uint32Array, offset: number, singleSpaced = false): void {
  const text = singleSpaced ? nfcText : collapseSpaces(nfcText);
  // The same bytes xxh128 would hash for the string, encoded here: napi's own conversion of a
  // string argument took twice as long as this plus the hash.
  // A huge document gets a buffer of its own, so that one does not stay allocated for the rest.
  const need = text.length * 3;
  if (utf8Buf.length < need && need <= 1 << 24) utf8Buf = new Uint8Array(Math.max(need, utf8Buf.length * 2));
  const buf = utf8Buf.length >= need ? utf8Buf : new Uint8Array(need);
  const h = xxh3.xxh128(buf.subarray(0, utf8.encodeInto(text, buf).written));
  // Words through a 64-bit view (its stores keep the low 64 bits): one BigInt operation, not six.
  hashHalves[0] = h;
  hashHalves[1] = h >> 64n;
  out[offset] = hashWords[3]!;
  out[offset + 1] = hashWords[2]!;
  out[offset + 2] = hashWords[1]!;
  out[offset + 3] = hashWords[0]!;
}

/** Signatures for a batch of texts, laid out in flat typed arrays (cheap to pass between threads). */
export interface SignatureBatch {
  count: number;
  /** 4 words per document. */
  exact: Uint32Array;
  /** Low 16 bits of each MinHash value, numPerm per document (what verification and similarity estimates use). */
  minhash16: Uint16Array;
  /** Band keys, 2 words (high, low) per band per document. */
  bandKeys: Uint32Array;
  /** Shingles per document; 0 = no words. */
  shingles: Uint32Array;
  /** With shingleSets: each document's shingle hashes, in text order (repeats included), back to back. */
  sets: Int32Array;
}

export class Signer {
  readonly params: SignatureParams;
  readonly numPerm: number;
  private readonly shingler: Shingler;
  private readonly hasher: MinHasher | undefined;
  private sigBuf: Uint32Array;

  /** `simd: false` forces the scalar MinHash loop (same signatures; for comparisons). */
  constructor(params: Partial<SignatureParams> = {}, options: { simd?: boolean } = {}) {
    this.params = resolveSignatureParams(params);
    this.numPerm = numPermutations(this.params);
    this.shingler = new Shingler(this.params.shingle);
    this.hasher = this.numPerm > 0 ? new MinHasher(this.numPerm, this.params.seed, options) : undefined;
    this.sigBuf = new Uint32Array(Math.max(1, this.numPerm));
  }

  /** Full signature of one text. */
  sign(text: string): Signature {
    const exact = new Uint32Array(4);
    const nfc = text.normalize("NFC");
    writeExactHash(nfc, exact, 0);
    const minhash = new Uint32Array(this.numPerm);
    let shingles = 0;
    if (this.hasher) {
      shingles = this.shingler.hashNfc(nfc);
      this.hasher.sign(this.shingler.shingles, shingles, minhash, 0);
    }
    return { exact, minhash, shingles };
  }

  signBatch(texts: readonly string[]): SignatureBatch {
    const n = texts.length;
    const K = this.numPerm;
    const { bands, rows } = this.params;
    const batch: SignatureBatch = {
      count: n,
      exact: new Uint32Array(4 * n),
      minhash16: new Uint16Array(K * n),
      bandKeys: new Uint32Array(this.hasher ? 2 * bands * n : 0),
      shingles: new Uint32Array(n),
      sets: new Int32Array(0),
    };
    const keepSets = this.params.shingleSets && this.hasher !== undefined;
    let sets = keepSets ? new Int32Array(texts.reduce((a, t) => a + t.length, 0) / 4 + 64) : batch.sets;
    let setsUsed = 0;
    const sig = this.sigBuf;
    for (let d = 0; d < n; d++) {
      const text = texts[d]!;
      // Most texts are plainly their own NFC and hash in one pass; the others are normalized first
      // (prepareText(text) is NFC then lowercase; NFC is done once for both hashes).
      let count = this.hasher ? this.shingler.hashIfPlain(text) : -1;
      const nfc = count >= 0 ? text : text.normalize("NFC");
      // The shingle pass already told whether whitespace collapsing would change the text.
      writeExactHash(nfc, batch.exact, 4 * d, count >= 0 && this.shingler.singleSpaced);
      if (!this.hasher) continue;
      if (count < 0) count = this.shingler.hashNfc(nfc);
      batch.shingles[d] = count;
      this.hasher.sign(this.shingler.shingles, count, sig, 0);
      if (keepSets) {
        if (setsUsed + count > sets.length) {
          const grown = new Int32Array(Math.max(setsUsed + count, sets.length * 2));
          grown.set(sets.subarray(0, setsUsed));
          sets = grown;
        }
        // Stored as they come (sorting here would cost a quarter of the signature time); only the
        // few documents that become candidates are sorted, when they are verified.
        sets.set(this.shingler.shingles.subarray(0, count), setsUsed);
        setsUsed += count;
      }
      const base = K * d;
      for (let j = 0; j < K; j++) batch.minhash16[base + j] = sig[j]! & 0xffff;
      bandKeys(sig, 0, bands, rows, batch.bandKeys, 2 * bands * d);
    }
    if (keepSets) batch.sets = sets.slice(0, setsUsed);
    return batch;
  }
}

/** Sorts `hashes` in place and returns the prefix view of its distinct values: a set for setJaccard. */
export function toSortedSet(hashes: Int32Array): Int32Array {
  hashes.sort();
  let n = 0;
  for (let i = 0; i < hashes.length; i++) if (n === 0 || hashes[i] !== hashes[n - 1]) hashes[n++] = hashes[i]!;
  return hashes.subarray(0, n);
}

/** Exact Jaccard similarity of two sorted sets of distinct shingle hashes. */
export function setJaccard(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return common / (a.length + b.length - common);
}

const signers = new Map<string, Signer>();

/**
 * The signature of one text under `params` (defaults: word 5-grams, 20 × 8 MinHash, seed 1).
 * Keeps one Signer per parameter set, so calling it in a loop does not rebuild permutations.
 */
export function computeSignature(text: string, params: Partial<SignatureParams> = {}): Signature {
  const resolved = resolveSignatureParams(params);
  const key = signatureParamsKey(resolved);
  let signer = signers.get(key);
  if (!signer) {
    signer = new Signer(resolved);
    signers.set(key, signer);
  }
  return signer.sign(text);
}
