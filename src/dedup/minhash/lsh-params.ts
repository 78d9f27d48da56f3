/**
 * LSH banding: b bands of r rows over a MinHash signature of b·r permutations. Two documents
 * with Jaccard similarity s become candidates with probability 1 − (1 − sʳ)ᵇ: the S-curve.
 */

export interface BandingParams {
  bands: number;
  rows: number;
}

/**
 * 20 bands × 8 rows = 160 permutations. Candidates are found for 97.5% of pairs at Jaccard 0.80
 * and 99.8% at 0.85; verification (on by default) then draws the line at the threshold. Pairs
 * at 0.6 still become candidates 29% of the time, so with verification off the effective cut
 * sits near 0.7, the curve's midpoint (1/b)^(1/r) ≈ 0.69. datatrove uses 14 × 8 (P = 0.92 at
 * 0.8); the extra 6 bands buy recall at the threshold for little signature time (SIMD MinHash).
 */
export const DEFAULT_BANDING: BandingParams = { bands: 20, rows: 8 };

/** The Jaccard similarity verification requires of a candidate pair. */
export const DEFAULT_THRESHOLD = 0.8;

/**
 * How candidate pairs are checked before they join a cluster:
 * - `exact`: Jaccard similarity of the two documents' shingle sets must reach the threshold
 *   (needs shingle sets, kept by default). LSH only proposes pairs; the threshold decides.
 * - `estimate`: the MinHash estimate from the full signature must reach it (standard error
 *   about 0.03 at 0.8 with 160 permutations, so pairs near the threshold go either way).
 * - `off`: every candidate counts; the S-curve alone decides (midpoint ≈ (1/b)^(1/r)).
 */
export type VerifyMode = "exact" | "estimate" | "off";
export const VERIFY_MODES: readonly VerifyMode[] = ["exact", "estimate", "off"];
export const DEFAULT_VERIFY: VerifyMode = "exact";

/**
 * The mode for a `verify` option: a mode as is; `true` the best mode the settings allow
 * (exact with shingle sets, else estimate); `false` off; undefined the same as `true`.
 */
export function resolveVerifyMode(verify: VerifyMode | boolean | undefined, hasShingleSets: boolean): VerifyMode {
  if (verify === false) return "off";
  if (verify === undefined || verify === true) return hasShingleSets ? DEFAULT_VERIFY : "estimate";
  if (!VERIFY_MODES.includes(verify)) throw new Error(`verify ${JSON.stringify(verify)}: expected one of ${VERIFY_MODES.join(", ")}`);
  return verify;
}

/** Probability that two documents at Jaccard similarity `s` share at least one band. */
export function candidateProbability(s: number, { bands, rows }: BandingParams): number {
  return 1 - (1 - s ** rows) ** bands;
}

/** Where the S-curve is steepest, roughly: (1/b)^(1/r). */
export function lshThreshold({ bands, rows }: BandingParams): number {
  return (1 / bands) ** (1 / rows);
}

export function validateBanding(p: BandingParams): void {
  for (const [name, v] of [["--bands", p.bands], ["--rows", p.rows]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 1024) throw new Error(`${name} ${v}: expected a whole number from 1 to 1024`);
  }
  if (p.bands * p.rows > 4096) throw new Error(`--bands × --rows = ${p.bands * p.rows} permutations; keep it at most 4096 (signature time grows with it)`);
}

/** The S-curve as a small table, for `--help` and the docs. */
export function formatSCurve(p: BandingParams, similarities = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]): string {
  const head = similarities.map((s) => s.toFixed(2).padStart(6)).join("");
  const probs = similarities.map((s) => candidateProbability(s, p).toFixed(3).padStart(6)).join("");
  return [
    `  ${p.bands} bands x ${p.rows} rows = ${p.bands * p.rows} permutations, S-curve midpoint ~${lshThreshold(p).toFixed(2)}`,
    `  Jaccard      ${head}`,
    `  P(candidate) ${probs}`,
  ].join("\n");
}
