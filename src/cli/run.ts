import os from "node:os";
import { Option, type Command } from "commander";
import { ConfigError, exampleConfig, loadPipelineConfig } from "../run/plan/config.js";
import { reserveTokenizerThreads } from "../shard/tokenize-documents.js";
import { UsageError, parsePositiveInt } from "./common.js";
import { executePlan, planCommand } from "./engine.js";

export function register(program: Command): void {
  program
    .command("run")
    .summary("run a whole pipeline from a config, resumably, locally or on Slurm")
    .description(
      "Run the stages of a pipeline config (normalize, filter, scrub, dedup, tokenize) over its inputs.\n" +
        "Inputs are split into tasks (whole files, in sorted order); per-document stages run per task on worker\n" +
        "threads, dedup runs its file-based phases between them, and the result is OUTPUT/PREFIX_text_document.bin/.idx\n" +
        "(numbered shards and PREFIX_shards.json with tokenize.shardTokens; OUTPUT/data/*.jsonl without a tokenize\n" +
        "stage), OUTPUT/report.json, OUTPUT/report.html, rejects.jsonl, filtered.jsonl and duplicates.jsonl.\n" +
        "Intermediate files under OUTPUT/.korpipe/work are deleted as soon as no later phase needs them (--keep-work\n" +
        "keeps them). Finished tasks are recorded under OUTPUT/.korpipe: after a crash or kill\n" +
        "the same command finishes the rest, with outputs byte-identical to an uninterrupted run; inputs changed since\n" +
        "(size, mtime; content with --verify-inputs) are refused by name, a missing or damaged intermediate is rebuilt by\n" +
        "redoing the task that wrote it, and OUTPUT/.korpipe.lock keeps a second run out. For a given --tasks\n" +
        "the outputs are the same for any --workers and for --executor slurm.\n" +
        "Paths in the config are relative to the working directory. See korpipe run --print-config.",
    )
    .argument("[config]", "pipeline JSON file")
    .option("--print-config", "print an example config with every default filled in, then exit")
    .option("--tasks <n>", "split the inputs into this many tasks (default: 2 per core; at most one per file)", parsePositiveInt("--tasks"))
    .option("--workers <n>", "worker threads for local tasks", parsePositiveInt("--workers"), os.availableParallelism())
    .option("--force", "discard finished tasks in the output directory and start over")
    .option("--verify-inputs", "also hash every input's content to tell whether a resumed run's inputs changed (size and modification time are always checked)")
    .addOption(new Option("--executor <kind>", "where tasks run").choices(["local", "slurm"]).default("local"))
    .option("--slurm-partition <name>", "Slurm partition for the array jobs")
    .option("--slurm-cpus-per-task <n>", "CPUs per array task (lowered to the largest node's count)", parsePositiveInt("--slurm-cpus-per-task"), 1)
    .option("--slurm-time <limit>", "time limit per array task, e.g. 4:00:00")
    .option("--sbatch-arg <arg...>", "extra sbatch arguments passed through, e.g. --sbatch-arg=--account=lab (korpipe adds --requeue, so a task whose node fails runs again, unless --sbatch-arg=--no-requeue)")
    .option("--no-wait", "with --executor slurm: submit and return; follow with korpipe status OUTPUT")
    .option("--keep-work", "keep every intermediate file under OUTPUT/.korpipe/work (default: each is deleted once no later phase needs it; config key keepWork)")
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
      let config;
      try {
        config = await loadPipelineConfig(configPath);
      } catch (err) {
        if (err instanceof ConfigError) throw new UsageError(err.message);
        throw err;
      }
      if (opts.keepWork) config.keepWork = true;
      const plan = await planCommand(config, { command: "run", tasks: opts.tasks as number | undefined, verifyInputs: Boolean(opts.verifyInputs) });
      const slurm =
        opts.executor === "slurm"
          ? {
              partition: opts.slurmPartition as string | undefined,
              cpusPerTask: opts.slurmCpusPerTask as number,
              time: opts.slurmTime as string | undefined,
              extraArgs: (opts.sbatchArg as string[] | undefined) ?? [],
              wait: opts.wait !== false,
              progress: opts.progress !== false,
            }
          : undefined;
      process.exitCode = await executePlan(plan, { workers: opts.workers as number, force: Boolean(opts.force), progress: opts.progress !== false, ...(slurm ? { slurm } : {}) });
    });
}
