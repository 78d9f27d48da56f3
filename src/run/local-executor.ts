/**
 * Runs a plan's phases on this machine: each phase's unfinished tasks on a pool of `workers` task
 * processes (process-pool.ts), phases one after another; the same task code a Slurm array task runs.
 * Processes rather than piscina worker threads because tokenizing, most of the work, cost 25-45% more
 * CPU per byte in threads of one process than in separate processes (measured on 500 MB with the
 * Polyglot-Ko tokenizer: 4 finalize tasks took 268-324 CPU-seconds in threads, 216 as processes).
 * Progress shows tasks done, docs/s, MB/s and ETA per phase.
 */
import type { RunPlan } from "./plan.js";
import { phasesFor } from "./phases.js";
import { doneTasks, readTaskOutcome } from "./task-state.js";
import { TaskProcessPool } from "./process-pool.js";
import { Progress } from "../stages/progress.js";

export interface LocalRunOptions {
  workers: number;
  progress?: boolean;
  log?: (line: string) => void;
}

export class TaskFailedError extends Error {}

export async function runLocal(plan: RunPlan, options: LocalRunOptions): Promise<void> {
  const log = options.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const pool = new TaskProcessPool(options.workers);
  try {
    await runPhases(plan, options, pool, log);
  } finally {
    pool.close();
  }
}

async function runPhases(plan: RunPlan, options: LocalRunOptions, pool: TaskProcessPool, log: (line: string) => void): Promise<void> {
  for (const phase of phasesFor(plan)) {
    const total = phase.taskCount(plan);
    const done = await doneTasks(plan.outDir, phase.name);
    const pending = Array.from({ length: total }, (_, i) => i).filter((i) => !done.has(i));
    if (pending.length === 0) {
      log(`korpipe run: ${phase.name}: all ${total} task(s) already done`);
      continue;
    }
    const phaseBytes = await expectedBytes(plan, phase.name, pending);
    let finished = total - pending.length;
    const label = () => `${phase.name} ${finished}/${total} tasks`;
    const progress = new Progress({ label: label(), totalBytes: phaseBytes, enabled: options.progress !== false });
    const failures: string[] = [];
    const queue = [...pending];
    const slot = async () => {
      for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
        try {
          await pool.run({ outDir: plan.outDir, phase: phase.name, index }, (docs, bytes) => {
            progress.addBytes(bytes);
            progress.addDocs(docs);
          });
          finished++;
          progress.setLabel(label());
        } catch (err) {
          failures.push(`task ${index}: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.workers, pending.length) }, slot));
    progress.finish();
    if (failures.length > 0) {
      throw new TaskFailedError(
        `phase ${phase.name} failed (${failures.length} of ${pending.length} task(s)):\n  ${failures.join("\n  ")}\n` +
          `finished tasks are kept; fix the cause and run the same command again to resume`,
      );
    }
    log(`korpipe run: ${phase.name}: ${total} task(s) done`);
  }
}

/**
 * What a phase's progress counts up to, for percent and ETA: input bytes for prepare, the text
 * prepare passed on for finalize (known from prepare's outcomes), nothing for the small phases.
 */
async function expectedBytes(plan: RunPlan, phase: string, pending: number[]): Promise<number | undefined> {
  if (phase === "prepare") return pending.reduce((a, i) => a + (plan.taskBytes[i] ?? 0), 0);
  if (phase !== "finalize") return undefined;
  let total = 0;
  for (const i of pending) {
    const stages = (await readTaskOutcome(plan.outDir, "prepare", i))?.stages;
    if (!stages?.length) return undefined;
    total += stages[stages.length - 1]!.bytes_out;
  }
  return total;
}
