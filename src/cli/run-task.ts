/**
 * `korpipe run-task OUTPUT --phase P --index N` (hidden from --help): one task of a planned run, as
 * each Slurm array task runs it. Its outputs depend only on the plan and the index.
 */
import path from "node:path";
import type { Command } from "commander";
import { runTask } from "../run/phases/run-task.js";
import { reserveTokenizerThreads } from "../shard/tokenize-documents.js";
import { UsageError } from "./common.js";

export function register(program: Command): void {
  program
    .command("run-task", { hidden: true })
    .argument("<output>")
    .requiredOption("--phase <name>")
    .option("--indices <list>", "plan task indices; SLURM_ARRAY_TASK_ID picks one")
    .option("--index <n>")
    .action(async (outDir: string, opts: { phase: string; indices?: string; index?: string }) => {
      // Slurm gave this task --cpus-per-task cores: a tokenizing task keeps them busy.
      const slurmCores = Number(process.env.SLURM_CPUS_PER_TASK);
      const cores = Number.isInteger(slurmCores) && slurmCores > 1 ? slurmCores : 1;
      reserveTokenizerThreads(2 * cores);
      let index: number;
      if (opts.index !== undefined) index = Number(opts.index);
      else {
        const arrayId = Number(process.env.SLURM_ARRAY_TASK_ID);
        const list = (opts.indices ?? "").split(",").filter(Boolean).map(Number);
        if (!Number.isInteger(arrayId) || list[arrayId] === undefined) {
          throw new UsageError("run-task needs --index N, or --indices with SLURM_ARRAY_TASK_ID set");
        }
        index = list[arrayId]!;
      }
      await runTask({ outDir: path.resolve(outDir), phase: opts.phase, index, cores });
    });
}
