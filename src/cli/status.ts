/** `korpipe status OUTPUT`: which tasks of a run are done, running or failed. */
import path from "node:path";
import type { Command } from "commander";
import { loadPlan } from "../run/plan/plan.js";
import { phasesFor } from "../run/phases/phases.js";
import { doneTasks } from "../run/phases/task-state.js";
import { readSlurmState, slurmTaskStates } from "../run/slurm/executor.js";
import { slurmAvailable, type ArrayTaskStatus } from "../run/slurm/index.js";
import { UsageError } from "./common.js";

export function register(program: Command): void {
  program
    .command("status")
    .summary("show which tasks of a run are done, running or failed")
    .description(
      "For each phase of the run in OUTPUT: tasks done (from the completion markers), and for a run submitted with\n" +
        "--executor slurm, the tasks Slurm reports pending, running or failed, with the log of a failed one.\n" +
        "Exit status 0 when every task is done, 2 while work remains or failed.",
    )
    .argument("<output>", "the output directory of korpipe run")
    .action(async (outDir: string) => {
      const plan = await loadPlan(path.resolve(outDir));
      if (!plan) throw new UsageError(`${outDir} holds no korpipe run (no .korpipe/plan.json); give the output directory of korpipe run`);
      const slurm = await readSlurmState(plan.outDir);
      let states: Map<string, Map<number, ArrayTaskStatus>> | undefined;
      if (slurm && slurm.fingerprint === plan.fingerprint && (await slurmAvailable())) states = await slurmTaskStates(slurm);
      let allDone = true;
      const lines = [`run in ${outDir}: ${plan.files.length} file(s), ${plan.tasks.length} task(s)`];
      for (const phase of phasesFor(plan)) {
        const total = phase.taskCount(plan);
        const done = await doneTasks(plan.outDir, phase.name);
        const counts = { running: 0, pending: 0, failed: [] as ArrayTaskStatus[] };
        for (const [index, t] of states?.get(phase.name) ?? []) {
          if (done.has(index)) continue;
          if (t.state === "running") counts.running++;
          else if (t.state === "pending") counts.pending++;
          else if (t.state === "failed" || t.state === "cancelled") counts.failed.push(t);
        }
        if (done.size < total) allDone = false;
        const parts = [`${done.size}/${total} done`];
        if (counts.running) parts.push(`${counts.running} running`);
        if (counts.pending) parts.push(`${counts.pending} pending`);
        if (counts.failed.length) parts.push(`${counts.failed.length} failed or cancelled`);
        const missing = total - done.size - counts.running - counts.pending - counts.failed.length;
        if (missing > 0 && done.size < total) parts.push(`${missing} not running`);
        lines.push(`  ${phase.name.padEnd(14)} ${parts.join(", ")}`);
        const firstFailed = counts.failed.find((t) => t.state === "failed") ?? counts.failed[0];
        if (firstFailed) lines.push(`    ${firstFailed.state} task log: ${firstFailed.logPath}`);
      }
      lines.push(allDone ? "all tasks done" : "work remains: run the same korpipe run command again to finish it (only missing tasks run)");
      process.stdout.write(lines.join("\n") + "\n");
      process.exitCode = allDone ? 0 : 2;
    });
}
