/**
 * `korpipe dedup <inputs...> -o DIR`: exact and near-duplicate removal with the file-based
 * phases (signatures → band buckets → pairs → clusters), then a second pass over the inputs
 * that writes the kept documents and DIR/duplicates.jsonl.
 */
import { stat } from "node:fs/promises";
import { rmSync } from "node:fs";
import path from "node:path";
import { InvalidArgumentError, Option, type Command } from "commander";
import { AtomicWriteStream } from "../io/atomic-file.js";
import { composeStages } from "../stages/compose.js";
import { writeDocuments } from "../stages/write.js";
import { SIDE_FILES } from "../io/input-discovery.js";
import { defaultWorkers } from "../dedup/phases/dedup-pool.js";
import { findDuplicates } from "../dedup/phases/find-duplicates.js";
import { DEFAULT_BANDING, DEFAULT_THRESHOLD, DEFAULT_VERIFY, formatSCurve, validateBanding, VERIFY_MODES, type VerifyMode } from "../dedup/minhash/lsh-params.js";
import { removalFilter } from "../dedup/phases/phase-filter.js";
import { formatShingleSpec, parseShingleSpec } from "../dedup/minhash/shingles.js";
import { numPermutations, resolveSignatureParams, signatureParamsKey, type SignatureParams } from "../dedup/minhash/signature.js";
import { DEFAULT_MEMORY_MB } from "../dedup/files/work-dir.js";
import { addInputOptions, addOutputOptions, CommandRun, parsePositiveInt, parseRatio, planCommandOutputs, UsageError, writeOptionsFrom, INPUTS_HELP, readFlags } from "./common.js";

function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--workers takes 0 (no worker threads) or a positive whole number, got "${value}"`);
  return n;
}

function parseShingle(value: string): string {
  try {
    parseShingleSpec(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return value;
}

function paramsFrom(opts: Record<string, unknown>): SignatureParams {
  try {
    const banding = { bands: opts.bands as number, rows: opts.rows as number };
    validateBanding(banding);
    return resolveSignatureParams({
      ...banding,
      shingle: parseShingleSpec(opts.shingle as string),
      exactOnly: Boolean(opts.exactOnly),
      // Shingle sets cost disk space; keep them only when exact verification will read them.
      shingleSets: opts.verify === "exact",
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** What the input was, so that a rerun only reuses a previous run's phases for the same input. */
async function inputKey(files: string[], run: CommandRun): Promise<string> {
  const parts: unknown[] = [run.readOptions.textKey, run.readOptions.idKey, run.readOptions.txtMode, run.readOptions.jsonPath ?? null, run.readOptions.maxDocBytes];
  for (const f of files) {
    const s = await stat(f);
    parts.push([path.resolve(f), s.size, s.mtimeMs]);
  }
  return JSON.stringify(parts);
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
"dedup": cluster-size histogram, counts, phase times), DIR/rejects.jsonl.
Intermediate files go to --work-dir (default DIR/.dedup-work); it is removed after a successful
run and reused by a rerun over the same input after a failure.
Exit status: 0 all good, 3 finished with rejected records or unreadable files, 1 failure.`;

export function register(program: Command): void {
  const cmd = program
    .command("dedup")
    .summary("remove exact and near-duplicate documents (MinHash LSH)")
    .description(
      "Remove exact and near-duplicate documents, keeping the first of each cluster in input order.\n" +
        "Writes the kept documents as JSONL under -o DIR, plus DIR/duplicates.jsonl and DIR/stats.json.",
    )
    .argument("<inputs...>", INPUTS_HELP);
  addInputOptions(cmd);
  addOutputOptions(cmd);
  cmd
    .option("--shingle <spec>", "shingles: word:N (eojeol n-grams) or char:N (characters, spaces ignored)", parseShingle, "word:5")
    .option("--bands <n>", "LSH bands", parsePositiveInt("--bands"), DEFAULT_BANDING.bands)
    .option("--rows <n>", "MinHash values per band (permutations = bands x rows)", parsePositiveInt("--rows"), DEFAULT_BANDING.rows)
    .addOption(
      new Option("--verify <mode>", "how candidate pairs are checked against --threshold: exact Jaccard of the shingle sets, the MinHash estimate, or not at all (the S-curve decides)")
        .choices([...VERIFY_MODES])
        .default(DEFAULT_VERIFY),
    )
    .option("--threshold <j>", "Jaccard similarity a candidate pair must reach (with --verify exact or estimate)", parseRatio("--threshold"), DEFAULT_THRESHOLD)
    .option("--exact-only", "remove exact duplicates only (no MinHash; faster)", false)
    .option("--memory-mb <n>", "memory for sorting, merging and clustering, in MiB; beyond it intermediate data spills to disk", parsePositiveInt("--memory-mb"), DEFAULT_MEMORY_MB)
    .option("--workers <n>", "worker threads for signatures and band merges (0 = none)", parseWorkers, defaultWorkers())
    .option("--work-dir <dir>", "directory for intermediate files (default: OUTPUT/.dedup-work)")
    .option("--keep-work-dir", "keep the intermediate files after a successful run", false)
    .addHelpText("after", HELP_AFTER);
  cmd.action(async (inputs: string[], opts: Record<string, unknown>) => {
    process.exitCode = await runDedupCommand(inputs, opts);
  });
}

export async function runDedupCommand(inputs: string[], opts: Record<string, unknown>): Promise<number> {
  const params = paramsFrom(opts);
  const output = opts.output as string;
  const workDir = (opts.workDir as string | undefined) ?? path.join(output, ".dedup-work");
  const verify: VerifyMode = params.exactOnly ? "off" : (opts.verify as VerifyMode);
  const threshold = opts.threshold as number;
  const run = await CommandRun.open({ command: "dedup", inputs, ...readFlags(opts), reportDir: output, outputDirs: [output, workDir] });
  let duplicates: AtomicWriteStream | undefined;
  try {
    planCommandOutputs(run.files, writeOptionsFrom(opts));
    const started = performance.now();
    // Pass 1: signatures; the reader is timed into the "read" stage as in every other command.
    const pass1 = composeStages(run.documents(), run.readStageStats, [], () => {
      throw new Error("unreachable: no stages");
    });
    const found = await findDuplicates(pass1.output, workDir, {
      params,
      verify,
      threshold,
      memoryMb: opts.memoryMb as number,
      workers: opts.workers as number,
      resumeKey: await inputKey(run.files, run),
    });
    if (found.reused.signatures) {
      process.stderr.write(`korpipe dedup: reusing signatures from ${workDir} (a previous run over the same input)\n`);
    } else pass1.recordTimes();
    const phasesMs = performance.now() - started;

    // Pass 2: drop the duplicates. A resumed run has not read the input yet, so it reads with accounting now.
    duplicates = await AtomicWriteStream.open(path.join(output, "duplicates.jsonl"));
    const dupStream = duplicates.stream;
    const dedupStats = run.stage("dedup");
    const filter = removalFilter(workDir, 0, { params, onDuplicate: (r) => dupStream.write(JSON.stringify(r) + "\n") });
    const source = found.reused.signatures ? run.documents() : run.rereadDocuments();
    const pass2 = composeStages(source, found.reused.signatures ? run.readStageStats : undefined, [{ name: "dedup", run: filter }], () => dedupStats);
    const filterStarted = performance.now();
    await writeDocuments(pass2.output, { ...writeOptionsFrom(opts), reservedNames: SIDE_FILES, inputs: run.files, textKey: run.readOptions.textKey, idKey: run.readOptions.idKey });
    pass2.recordTimes();
    dedupStats.addTime(phasesMs);
    await duplicates.commit();
    duplicates = undefined;

    const c = found.clusters;
    run.section("dedup", {
      settings: {
        shingle: formatShingleSpec(params.shingle),
        bands: params.exactOnly ? 0 : params.bands,
        rows: params.exactOnly ? 0 : params.rows,
        permutations: numPermutations(params),
        seed: params.seed,
        exact_only: params.exactOnly,
        verify,
        ...(verify !== "off" ? { threshold } : {}),
        memory_mb: opts.memoryMb,
        key: signatureParamsKey(params),
      },
      clusters: c.clusters,
      removed: c.removed,
      removed_exact: c.removed_exact,
      removed_near: c.removed_near,
      largest_cluster: c.largest_cluster,
      cluster_size_histogram: c.cluster_size_histogram,
      candidate_pairs: found.bands.reduce((a, b) => a + b.pairs, 0),
      candidates_rejected_by_verify: found.bands.reduce((a, b) => a + b.verified_out, 0),
      sort_spills: found.task.spills,
      reused_from_previous_run: found.reused,
      phase_times_s: { ...found.times, filter_and_write_s: Math.round((performance.now() - filterStarted) / 10) / 100 },
    });
    const status = await run.finish();
    if (!opts.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
    else process.stderr.write(`  intermediate files kept in ${workDir}\n`);
    process.stderr.write(`  duplicates listed in ${path.join(output, "duplicates.jsonl")}\n`);
    return status;
  } catch (err) {
    await duplicates?.abort();
    await run.abort();
    throw err;
  }
}
