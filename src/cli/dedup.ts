/**
 * `korpipe dedup <inputs...> -o DIR`: exact and near-duplicate removal with the file-based
 * phases (signatures → band buckets → pairs → clusters), then a second pass over the inputs
 * that writes the kept documents and DIR/duplicates.jsonl.
 */
import { InvalidArgumentError, Option, type Command } from "commander";
import { DEFAULT_BANDING, formatSCurve, validateBanding, VERIFY_MODES } from "../dedup/minhash/lsh-params.js";
import { parseShingleSpec } from "../dedup/minhash/shingles.js";
import { dedupDefinition } from "../dedup/dedup-options.js";
import { declaredDefault } from "../stages/registry.js";
import { addInputOptions, addOutputOptions, parsePositiveInt, parseRatio, UsageError, INPUTS_HELP } from "./common.js";
import { addEngineOptions, runCommand } from "./engine.js";

function parseShingle(value: string): string {
  try {
    parseShingleSpec(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return value;
}

const HELP_AFTER = `
How near duplicates are found:
  Text is NFC-normalized, lowercased and stripped of punctuation and symbols, then cut into
  shingles (--shingle word:5 = five consecutive eojeol; char:N = N characters, spaces ignored).
  A MinHash signature of bands x rows values is computed per document; documents sharing all rows
  of any band are candidates. --verify exact (the default) keeps a candidate pair only if the
  exact Jaccard similarity of the two shingle sets reaches --threshold (0.8); --verify estimate
  uses the MinHash estimate instead (no shingle sets on disk, but pairs near the threshold go
  either way); --verify off takes every candidate (effective threshold ~0.7 with 20 x 8).
  Pairs are joined into clusters (transitively); the first document of each cluster in input
  order is kept. Exact duplicates (same text after NFC and whitespace collapsing) are always
  removed, with kind "exact".

Probability that a pair at a given Jaccard similarity becomes a candidate (the S-curve):
${formatSCurve(DEFAULT_BANDING)}
${formatSCurve({ bands: 14, rows: 8 })}
${formatSCurve({ bands: 9, rows: 13 })}

Outputs: kept documents as JSONL mirroring the input names, DIR/duplicates.jsonl (one line per
removed document: {id, duplicate_of, similarity_estimate, kind}), DIR/stats.json (section
"dedup": cluster-size histogram, counts), DIR/report.html, DIR/rejects.jsonl.
How it runs: the inputs are split into --tasks tasks (big uncompressed files into slices) that sign
their documents side by side on --workers threads; then band merges, clustering, and the tasks
again, each dropping its duplicates. Intermediate files go to --work-dir (default
DIR/.korpipe/work) and are removed as soon as no later phase needs them (--keep-work-dir keeps
them). After a crash or kill the same command resumes from the finished tasks, with the same
result; korpipe status DIR shows how far it got.
Exit status: 0 all good, 3 finished with rejected records or unreadable files, 1 failure.`;

/** Flag defaults are the stage's declared ones (what --print-config shows). */
const declared = (key: keyof typeof dedupDefinition.options.shape) => declaredDefault(dedupDefinition, key);

export function register(program: Command): void {
  const cmd = program
    .command("dedup")
    .summary("remove exact and near-duplicate documents (MinHash LSH)")
    .description(
      "Remove exact and near-duplicate documents, keeping the first of each cluster in input order.\n" +
        "Writes the kept documents as JSONL under -o DIR (JSONL records byte for byte as the input has them; a record without an id gets its FILE:LINE id in front), plus DIR/duplicates.jsonl and DIR/stats.json.",
    )
    .argument("<inputs...>", INPUTS_HELP);
  addInputOptions(cmd);
  addOutputOptions(cmd);
  cmd
    .option("--shingle <spec>", "shingles: word:N (eojeol n-grams) or char:N (characters, spaces ignored)", parseShingle, declared("shingle") as string)
    .option("--bands <n>", "LSH bands", parsePositiveInt("--bands"), DEFAULT_BANDING.bands)
    .option("--rows <n>", "MinHash values per band (permutations = bands x rows)", parsePositiveInt("--rows"), DEFAULT_BANDING.rows)
    .addOption(
      new Option("--verify <mode>", "how candidate pairs are checked against --threshold: exact Jaccard of the shingle sets, the MinHash estimate, or not at all (the S-curve decides)")
        .choices([...VERIFY_MODES])
        .default(declared("verify")),
    )
    .option("--threshold <j>", "Jaccard similarity a candidate pair must reach (with --verify exact or estimate)", parseRatio("--threshold"), declared("threshold") as number)
    .option("--exact-only", "remove exact duplicates only (no MinHash; faster)", false)
    .option("--memory-mb <n>", "memory for sorting, merging and clustering, in MiB; beyond it intermediate data spills to disk", parsePositiveInt("--memory-mb"), declared("memoryMb") as number)
    .option("--work-dir <dir>", "directory for intermediate files (default: OUTPUT/.korpipe/work)")
    .option("--keep-work-dir", "keep the intermediate files after a successful run", false)
    .addHelpText("after", HELP_AFTER);
  addEngineOptions(cmd);
  cmd.action(async (inputs: string[], opts: Record<string, unknown>) => {
    process.exitCode = await runDedupCommand(inputs, opts);
  });
}

/** The dedup stage's config from the command's flags, checked before any work. */
export function dedupStageFrom(opts: Record<string, unknown>): Record<string, unknown> {
  try {
    validateBanding({ bands: opts.bands as number, rows: opts.rows as number });
    parseShingleSpec(opts.shingle as string);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return {
    stage: "dedup",
    shingle: opts.shingle,
    bands: opts.bands,
    rows: opts.rows,
    verify: opts.exactOnly ? "off" : opts.verify,
    threshold: opts.threshold,
    exactOnly: Boolean(opts.exactOnly),
    memoryMb: opts.memoryMb,
  };
}

export async function runDedupCommand(inputs: string[], opts: Record<string, unknown>): Promise<number> {
  const workDir = opts.workDir as string | undefined;
  return runCommand("dedup", inputs, opts, [dedupStageFrom(opts)], workDir !== undefined ? { workDir } : {});
}
