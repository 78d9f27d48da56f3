import os from "node:os";
import path from "node:path";
import { readFile } from "node:fs/promises";
import { Option, type Command } from "commander";
import { ConfigError, exampleConfig, loadPipelineConfig } from "../run/config.js";
import { buildPlan, loadPlan, savePlan, splitStages, type RunPlan } from "../run/plan.js";
import { clearState, ensureStateDir } from "../run/task-state.js";
import { finalDatasetPrefix, privacyTokensFor, removeTemporaryFiles, dataDir } from "../run/phases.js";
import { runLocal } from "../run/local-executor.js";
import { runSlurm } from "../run/slurm-executor.js";
import { formatRunSummary, type RunStatsJSON } from "../stages/run-stats.js";
import { loadTokenizer } from "../shard/tokenizer.js";
import { checkPrivacyTokens } from "../shard/privacy-check.js";
import { reserveTokenizerThreads } from "../shard/tokenize-documents.js";
import { EXIT_OK, EXIT_REJECTS, UsageError, parsePositiveInt } from "./common.js";
import { datasetPathFor } from "../shard/shard-writer.js";

/** Refuses to mix a new config into an output directory that holds another run's finished tasks. */
async function preparePlan(plan: RunPlan, force: boolean): Promise<void> {
  const previous = await loadPlan(plan.outDir);
  if (previous && !force && previous.fingerprint !== plan.fingerprint) {
    throw new UsageError(
      `${plan.outDir} holds a run with a different config, inputs or task count; ` +
        `add --force to start over there, or choose another output directory`,
    );
  }
  if (force) await clearState(plan.outDir);
  await ensureStateDir(plan.outDir);
  await savePlan(plan);
  await removeTemporaryFiles(plan.outDir);
}

/** Checks what can fail late (tokenizer file, privacy tokens) before any task starts. */
async function preflight(plan: RunPlan): Promise<void> {
  const t = splitStages(plan.config).tokenize;
  if (!t) return;
  let tok;
  try {
    tok = loadTokenizer(t.tokenizer);
  } catch (err) {
    throw new UsageError(`tokenize.tokenizer: ${(err as Error).message}`);
  }
  const tokens = privacyTokensFor(plan);
  if (tokens) {
    try {
      await checkPrivacyTokens(tok, tokens);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
}

export function register(program: Command): void {
  program
    .command("run")
    .summary("run a whole pipeline from a config, resumably, locally or on Slurm")
    .description(
      "Run the stages of a pipeline config (normalize, filter, scrub, dedup, tokenize) over its inputs.\n" +
        "Inputs are split into tasks (whole files, in sorted order); per-document stages run per task on worker\n" +
        "threads, dedup runs its file-based phases between them, and the result is OUTPUT/PREFIX_text_document.bin/.idx\n" +
        "(or OUTPUT/data/*.jsonl without a tokenize stage), OUTPUT/report.json, OUTPUT/report.html, rejects.jsonl,\n" +
        "filtered.jsonl and duplicates.jsonl. Finished tasks are recorded under OUTPUT/.korpipe: after a crash or kill\n" +
        "the same command finishes the rest, with outputs byte-identical to an uninterrupted run. For a given --tasks\n" +
        "the outputs are the same for any --workers and for --executor slurm.\n" +
        "Paths in the config are relative to the working directory. See korpipe run --print-config.",
    )
    .argument("[config]", "pipeline JSON file")
    .option("--print-config", "print an example config with every default filled in, then exit")
    .option("--tasks <n>", "split the inputs into this many tasks (default: 2 per core; at most one per file)", parsePositiveInt("--tasks"))
    .option("--workers <n>", "worker threads for local tasks", parsePositiveInt("--workers"), os.availableParallelism())
    .option("--force", "discard finished tasks in the output directory and start over")
    .addOption(new Option("--executor <kind>", "where tasks run").choices(["local", "slurm"]).default("local"))
    .option("--slurm-partition <name>", "Slurm partition for the array jobs")
    .option("--slurm-cpus-per-task <n>", "CPUs per array task (lowered to the largest node's count)", parsePositiveInt("--slurm-cpus-per-task"), 1)
    .option("--slurm-time <limit>", "time limit per array task, e.g. 4:00:00")
    .option("--sbatch-arg <arg...>", "extra sbatch arguments passed through, e.g. --sbatch-arg=--account=lab (korpipe adds --requeue, so a task whose node fails runs again, unless --sbatch-arg=--no-requeue)")
    .option("--no-wait", "with --executor slurm: submit and return; follow with korpipe status OUTPUT")
    .option("--no-progress", "do not print progress on stderr")
    .action(async (configPath: string | undefined, opts: Record<string, unknown>) => {
      // Each task tokenizes in its own thread with two batches in flight on libuv's shared pool: size
      // the pool for that before its first use (reading the config is one).
      reserveTokenizerThreads(2 * (opts.workers as number));
      if (opts.printConfig) {
        process.stdout.write(JSON.stringify(exampleConfig(), null, 2) + "\n");
        return;
      }
      if (!configPath) throw new UsageError("give a pipeline config file (korpipe run pipeline.json); korpipe run --print-config shows one");
      let plan: RunPlan;
      try {
        const config = await loadPipelineConfig(configPath);
        plan = await buildPlan(config, { tasks: opts.tasks as number | undefined });
      } catch (err) {
        if (err instanceof ConfigError) throw new UsageError(err.message);
        throw err;
      }
      await preflight(plan);
      await preparePlan(plan, Boolean(opts.force));
      process.stderr.write(
        `korpipe run: ${plan.files.length} file(s), ${(plan.totalBytes / 1e6).toFixed(1)} MB, ${plan.tasks.length} task(s), ` +
          `${opts.executor === "slurm" ? "Slurm" : `${opts.workers} worker(s)`} → ${plan.outDir}\n`,
      );
      if (opts.executor === "slurm") {
        const finished = await runSlurm(plan, {
          partition: opts.slurmPartition as string | undefined,
          cpusPerTask: opts.slurmCpusPerTask as number,
          time: opts.slurmTime as string | undefined,
          extraArgs: (opts.sbatchArg as string[] | undefined) ?? [],
          wait: opts.wait !== false,
          progress: opts.progress !== false,
        });
        if (!finished) return;
      } else {
        await runLocal(plan, { workers: opts.workers as number, progress: opts.progress !== false });
      }
      process.exitCode = await printOutcome(plan);
    });
}

async function printOutcome(plan: RunPlan): Promise<number> {
  const report = JSON.parse(await readFile(path.join(plan.outDir, "report.json"), "utf8")) as RunStatsJSON;
  process.stderr.write(formatRunSummary(report) + "\n");
  const prefix = finalDatasetPrefix(plan);
  const rel = (p: string) => path.relative(process.cwd(), p) || ".";
  process.stderr.write(`  output: ${prefix ? `${rel(datasetPathFor(prefix))}.bin/.idx` : rel(dataDir(plan))}\n`);
  process.stderr.write(`  report: ${rel(path.join(plan.outDir, "report.html"))} (and report.json)\n`);
  return report.totals.rejected > 0 || report.unreadable_files.length > 0 ? EXIT_REJECTS : EXIT_OK;
}
