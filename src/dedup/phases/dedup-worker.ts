/**
 * The worker-thread side of dedup (piscina): signatures for a batch of texts (phase 1) and the
 * candidate pairs of one band (phase 2). Both are pure functions of their arguments and the
 * files they read, so which thread runs them never changes a result.
 */
import { findCandidatePairs, type CandidatePairsOptions } from "./phase-pairs.js";
import { Signer, signatureParamsKey, type SignatureBatch, type SignatureParams } from "../minhash/signature.js";
import type { BandId, PairsManifest } from "../files/work-dir.js";
import { unpackTexts, type PackedTexts } from "../minhash/text-batch.js";

const signers = new Map<string, Signer>();

export interface SignTask extends PackedTexts {
  params: SignatureParams;
}

export default function signBatch({ params, ...packed }: SignTask): SignatureBatch {
  const texts = unpackTexts(packed);
  const key = signatureParamsKey(params);
  let signer = signers.get(key);
  if (!signer) {
    signer = new Signer(params);
    signers.set(key, signer);
  }
  return signer.signBatch(texts);
}

export interface PairsTask extends CandidatePairsOptions {
  workDir: string;
  band: BandId;
}

export function pairs({ workDir, band, ...options }: PairsTask): PairsManifest {
  return findCandidatePairs(workDir, band, options);
}
