/**
 * Every command that processes a corpus runs on one engine: a plan split into tasks, phases of
 * tasks on worker threads (or Slurm), resume from finished tasks, `korpipe status`. This module is
 * the command-line side of that: flags shared by those commands, planning with the user's errors
 * turned into one-line messages, the run under the output directory's lock, and the summary.
 */
import os from "node:os";
import path from "node:path";
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { ConfigError, parsePipelineConfig, type PipelineConfig } from "../run/plan/config.js";
import { buildPlan, dataDir, isCommandPlan, logPrefix, splitStages, statsFileOf, type DatasetTarget, type RunPlan } from "../run/plan/plan.js";
import { finalDatasetKey, finalDatasetPrefix } from "../run/phases/tokenized-output.js";
import { preflight, preparePlan } from "../run/run-pipeline.js";
import { runLocal } from "../run/local/local-executor.js";
import { runSlurm, type SlurmRunOptions } from "../run/slurm/executor.js";
import { releaseIntermediates } from "../run/phases/work-cleanup.js";
import { shardManifestPath, type ShardManifest } from "../run/phases/sharded-output.js";
import { formatRunSummary, type RunStatsJSON } from "../stats/run-stats.js";
import { datasetPathFor } from "../shard/shard-writer.js";
import { InputError } from "../io/input-discovery.js";
import { OutputLock, OutputLockedError } from "../io/output-lock.js";
import { OutputCollisionError } from "../stages/write.js";
import { EXIT_OK, EXIT_REJECTS, UsageError, parsePositiveInt, readFlags } from "./common.js";

/** --workers N: worker threads (0 is taken as 1, as `korpipe dedup --workers 0` used to mean "no pool"). */
function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--workers takes a positive whole number, got "${value}"`);
  return Math.max(1, n);
}

/** The engine's flags on a single-stage command: threads, tasks, starting over. */
export function addEngineOptions(cmd: Command): Command {
  return cmd
    .option("--workers <n>", "worker threads; tasks run on them side by side (default: one per core)", parseWorkers, os.availableParallelism())
    .option("--tasks <n>", "split the inputs into this many tasks, cutting big uncompressed .jsonl/.txt files into slices (default: 2 per core)", parsePositiveInt("--tasks"))
    .option(
      "--force",
      "start over: discard finished tasks of an earlier, interrupted or different run in the output directory (without it, the same command resumes where it stopped, and a different one is refused)",
    );
}

export interface PlanFlags {
  command: string;
  tasks?: number;
  verifyInputs?: boolean;
  workDir?: string;
  /** The tokenized dataset's place outside the output directory (korpipe tokenize -o PREFIX). */
  dataset?: DatasetTarget;
}

/** Validates `config` and plans it; a bad config, missing inputs or colliding outputs become one-line errors. */
export async function planCommand(config: PipelineConfig | Record<string, unknown>, flags: PlanFlags): Promise<RunPlan> {
  let plan: RunPlan;
  try {
    plan = await buildPlan(parsePipelineConfig(config), {
      command: flags.command,
      ...(flags.tasks !== undefined ? { tasks: flags.tasks } : {}),
      ...(flags.workDir !== undefined ? { workDir: flags.workDir } : {}),
      ...(flags.dataset !== undefined ? { dataset: flags.dataset } : {}),
      verifyInputs: Boolean(flags.verifyInputs),
      onSkip: (m) => process.stderr.write(`korpipe: warning: ${m}\n`),
    });
  } catch (err) {
    if (err instanceof ConfigError || err instanceof InputError || err instanceof OutputCollisionError) throw new UsageError(err.message);
    throw err;
  }
  const asked = flags.tasks ?? plan.config.tasks;
  if (asked !== undefined && plan.tasks.length < asked) {
    process.stderr.write(
      `korpipe ${flags.command}: ${asked} tasks asked for, ${plan.tasks.length} made: a task holds at least one whole file or slice, and ` +
        `only uncompressed .jsonl/.txt files big enough are cut into slices (compressed and nested .json files are read whole)\n`,
    );
  }
  return plan;
}

/** A single-stage command's flags and stages as a pipeline config: reading and output flags as the run's keys. */
export function commandConfig(inputs: string[], opts: Record<string, unknown>, stages: Record<string, unknown>[]): Record<string, unknown> {
  const { readOptions } = readFlags(opts);
  return {
    inputs,
    output: opts.output,
    read: Object.fromEntries(Object.entries(readOptions).filter(([, v]) => v !== undefined)),
    compression: opts.compression ?? "none",
    stages,
    ...(opts.keepWorkDir ? { keepWork: true } : {}),
  };
}

/** `korpipe clean|scrub|dedup ...`: the command's stages planned and run on the engine; returns the exit status. */
export async function runCommand(command: string, inputs: string[], opts: Record<string, unknown>, stages: Record<string, unknown>[], planFlags: Partial<PlanFlags> = {}): Promise<number> {
  const plan = await planCommand(commandConfig(inputs, opts, stages), { command, tasks: opts.tasks as number | undefined, ...planFlags });
  return executePlan(plan, { workers: opts.workers as number, force: Boolean(opts.force), progress: opts.progress !== false });
}

export interface ExecuteFlags {
  workers: number;
  force?: boolean;
  progress?: boolean;
  /** Run the tasks as Slurm array jobs instead of on local threads (korpipe run --executor slurm). */
  slurm?: SlurmRunOptions;
}

/** Runs a plan to its end under the output directory's lock and prints the summary; returns the exit status. */
export async function executePlan(plan: RunPlan, flags: ExecuteFlags): Promise<number> {
  await preflight(plan);
  let lock: OutputLock;
  try {
    lock = await OutputLock.acquire(plan.outDir, plan.command ?? "run");
  } catch (err) {
    if (err instanceof OutputLockedError) throw new UsageError(err.message);
    throw err;
  }
  try {
    await preparePlan(plan, Boolean(flags.force));
    const log = (line: string) => process.stderr.write(line + "\n");
    log(
      `${logPrefix(plan)} ${plan.files.length} file(s), ${(plan.totalBytes / 1e6).toFixed(1)} MB, ${plan.tasks.length} task(s), ` +
        `${flags.slurm ? "Slurm" : `${flags.workers} worker(s)`} → ${plan.outDir}`,
    );
    if (flags.slurm) {
      if (!(await runSlurm(plan, flags.slurm))) return EXIT_OK;
    } else {
      await runLocal(plan, { workers: flags.workers, progress: flags.progress !== false, log });
    }
    // Tasks release what they no longer need as they finish; this catches a run killed in between.
    await releaseIntermediates(plan);
  } finally {
    await lock.release();
  }
  return printOutcome(plan);
}

/** A path as the user would type it from here. */
const rel = (p: string) => path.relative(process.cwd(), p) || ".";

async function printOutcome(plan: RunPlan): Promise<number> {
  const statsFile = statsFileOf(plan);
  const report = JSON.parse(await readFile(statsFile, "utf8")) as RunStatsJSON;
  process.stderr.write(formatRunSummary(report) + "\n");
  const side = (name: string) => rel(path.join(plan.outDir, name));
  const prefix = finalDatasetPrefix(plan);
  if (isCommandPlan(plan)) {
    if (prefix) for (const line of await writtenDatasets(plan, prefix, report)) process.stderr.write(`  wrote ${line}\n`);
    if (report.totals.rejected > 0) process.stderr.write(`  rejects listed in ${side("rejects.jsonl")}\n`);
    if (splitStages(plan.config).dedup) process.stderr.write(`  duplicates listed in ${side("duplicates.jsonl")}\n`);
    process.stderr.write(`  statistics in ${rel(statsFile)} (and ${side("report.html")})\n`);
  } else {
    const key = finalDatasetKey(plan);
    const sharded = splitStages(plan.config).tokenize?.shardTokens !== undefined;
    const output = !prefix
      ? rel(dataDir(plan))
      : sharded
        ? `${rel(datasetPathFor(prefix, 0, key))}.bin/.idx, … listed in ${rel(shardManifestPath(prefix, key))}`
        : `${rel(datasetPathFor(prefix, undefined, key))}.bin/.idx`;
    process.stderr.write(`  output: ${output}\n`);
    process.stderr.write(`  report: ${side("report.html")} (and report.json)\n`);
  }
  return report.totals.rejected > 0 || report.unreadable_files.length > 0 ? EXIT_REJECTS : EXIT_OK;
}

/** "PATH.bin/.idx: N documents, T tokens (dtype)" for each dataset written: the merged one, or each shard of the manifest. */
async function writtenDatasets(plan: RunPlan, prefix: string, report: RunStatsJSON): Promise<string[]> {
  const fmt = (n: number) => n.toLocaleString("en-US");
  const key = finalDatasetKey(plan);
  const line = (dataset: string, s: { documents: number; tokens: number }, dtype: string) => `${rel(dataset)}.bin/.idx: ${fmt(s.documents)} documents, ${fmt(s.tokens)} tokens (${dtype})`;
  if (splitStages(plan.config).tokenize?.shardTokens === undefined) {
    const merged = report.sections.dataset as { documents: number; tokens: number; dtype: string };
    return [line(datasetPathFor(prefix, undefined, key), merged, merged.dtype)];
  }
  const manifest = JSON.parse(await readFile(shardManifestPath(prefix, key), "utf8")) as ShardManifest;
  return manifest.shards.map((s) => line(path.join(path.dirname(prefix), s.path), s, manifest.dtype));
}
