/**
 * An in-memory MinHash LSH index for small data (a few million documents at most): insert
 * texts or signatures under a key, query for near duplicates. Same signatures and banding as
 * the file-based dedup, so a pair found here is a pair `korpipe dedup` finds too.
 */
import { DEFAULT_BANDING } from "./lsh-params.js";
import { bandKeys, estimateJaccard, isEmptySignature } from "./minhash.js";
import { computeSignature, resolveSignatureParams, type Signature, type SignatureParams } from "./signature.js";

export interface MinHashLSHOptions extends Partial<Omit<SignatureParams, "exactOnly">> {
  /** Only return matches whose estimated Jaccard reaches this (default: every candidate). */
  threshold?: number;
}

export interface LSHMatch<K> {
  key: K;
  /** Estimated Jaccard similarity from the full signatures. */
  similarity: number;
}

export class MinHashLSH<K = string> {
  readonly params: SignatureParams;
  private readonly threshold: number;
  private readonly tables: Map<number, K[]>[];
  private readonly signatures = new Map<K, Uint32Array>();
  private readonly keysBuf: Uint32Array;

  constructor(options: MinHashLSHOptions = {}) {
    const { threshold, ...params } = options;
    this.params = resolveSignatureParams({ ...DEFAULT_BANDING, ...params, exactOnly: false });
    this.threshold = threshold ?? 0;
    this.tables = Array.from({ length: this.params.bands }, () => new Map<number, K[]>());
    this.keysBuf = new Uint32Array(this.params.bands * 2);
  }

  get size(): number {
    return this.signatures.size;
  }

  /** The signature of `text` under this index's settings. */
  signature(text: string): Signature {
    return computeSignature(text, this.params);
  }

  private minhashOf(input: string | Signature | Uint32Array): Uint32Array {
    const m = typeof input === "string" ? this.signature(input).minhash : input instanceof Uint32Array ? input : input.minhash;
    if (m.length !== this.params.bands * this.params.rows) {
      throw new Error(`signature has ${m.length} values, this index uses ${this.params.bands * this.params.rows}; compute it with the same settings`);
    }
    return m;
  }

  /** 53 bits of each 64-bit band key: plenty to tell buckets apart at in-memory scale. */
  private bucketIds(minhash: Uint32Array): number[] {
    bandKeys(minhash, 0, this.params.bands, this.params.rows, this.keysBuf, 0);
    const ids: number[] = [];
    for (let b = 0; b < this.params.bands; b++) ids.push(this.keysBuf[2 * b]! * 2 ** 21 + (this.keysBuf[2 * b + 1]! >>> 11));
    return ids;
  }

  /** Adds a document. A text without words is stored but can match nothing. */
  insert(key: K, input: string | Signature | Uint32Array): void {
    if (this.signatures.has(key)) throw new Error(`key ${String(key)} is already in the index`);
    const minhash = this.minhashOf(input);
    this.signatures.set(key, minhash);
    if (isEmptySignature(minhash)) return;
    const ids = this.bucketIds(minhash);
    for (let b = 0; b < ids.length; b++) {
      const table = this.tables[b]!;
      const bucket = table.get(ids[b]!);
      if (bucket) bucket.push(key);
      else table.set(ids[b]!, [key]);
    }
  }

  /** Keys sharing a band with `input`, with estimated similarity, most similar first. */
  query(input: string | Signature | Uint32Array): LSHMatch<K>[] {
    const minhash = this.minhashOf(input);
    if (isEmptySignature(minhash)) return [];
    const seen = new Set<K>();
    const matches: LSHMatch<K>[] = [];
    const ids = this.bucketIds(minhash);
    for (let b = 0; b < ids.length; b++) {
      for (const key of this.tables[b]!.get(ids[b]!) ?? []) {
        if (seen.has(key)) continue;
        seen.add(key);
        const similarity = estimateJaccard(minhash, this.signatures.get(key)!);
        if (similarity >= this.threshold) matches.push({ key, similarity });
      }
    }
    return matches.sort((x, y) => y.similarity - x.similarity);
  }

  has(key: K): boolean {
    return this.signatures.has(key);
  }
}
