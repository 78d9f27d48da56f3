/**
 * Runs a plan's phases on this machine: each phase's unfinished tasks on a pool of worker threads,
 * phases one after another. Progress shows tasks done, docs/s, MB/s and ETA per phase.
 */
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import type { RunPlan } from "../plan/plan.js";
import { phasesFor, removeTemporaryFiles } from "../phases/phases.js";
import { doneTasks, readTaskOutcome } from "../phases/task-state.js";
import { workerPath } from "../../io/worker-path.js";
import { Progress } from "../../stats/progress.js";
import type { TaskRequest } from "../phases/run-task.js";
import { withRebuilds } from "../phases/intermediates.js";
import { logPrefix, workDir } from "../plan/plan.js";
import { writeFailureLine } from "../../io/write-error.js";

export interface LocalRunOptions {
  workers: number;
  progress?: boolean;
  log?: (line: string) => void;
}

export class TaskFailedError extends Error {
  /** Each failed task's own message. */
  failures: string[] = [];
}

export async function runLocal(plan: RunPlan, options: LocalRunOptions): Promise<void> {
  const log = options.log ?? ((l: string) => process.stderr.write(l + "\n"));
  // A task that failed on a missing or damaged intermediate: redo the task that made it, then go on.
  await withRebuilds(plan, log, () => runPhases(plan, options, log), async (err) => (err instanceof TaskFailedError ? err.failures : undefined));
}

/** The cores each of a phase's `pending` tasks may keep busy: all the workers shared out, at least one each. */
export function coresPerTask(workers: number, pending: number): number {
  return Math.max(1, Math.floor(workers / Math.max(1, Math.min(pending, workers))));
}

async function runPhases(plan: RunPlan, options: LocalRunOptions, log: (line: string) => void): Promise<void> {
  const pool = new Piscina({
    filename: workerPath(import.meta.url, "./task-worker.js"),
    // All threads from the start and for the whole run: a phase with fewer tasks than threads (one
    // cluster task) otherwise let the idle ones time out, and the next phase paid their restart
    // (thread start and module imports, 0.2-0.4 s each) on its first tasks.
    minThreads: options.workers,
    maxThreads: options.workers,
    idleTimeout: 60_000,
  });
  try {
    for (const phase of phasesFor(plan)) {
      const total = phase.taskCount(plan);
      const done = await doneTasks(plan.outDir, phase.name);
      const pending = Array.from({ length: total }, (_, i) => i).filter((i) => !done.has(i));
      if (pending.length === 0) {
        log(`${logPrefix(plan)} ${phase.name}: all ${total} task(s) already done`);
        continue;
      }
      if (done.size > 0) log(`${logPrefix(plan)} ${phase.name}: ${done.size} of ${total} task(s) already done, running the other ${pending.length}`);
      const phaseBytes = await expectedBytes(plan, phase.name, pending);
      let finished = total - pending.length;
      const label = () => `${phase.name} ${finished}/${total} tasks`;
      const progress = new Progress({ label: label(), totalBytes: phaseBytes, enabled: options.progress !== false });
      const failures: string[] = [];
      const rawFailures: string[] = [];
      await Promise.all(
        pending.map(async (index) => {
          const { port1, port2 } = new MessageChannel();
          port1.on("message", (m: { docs: number; bytes: number }) => {
            progress.addBytes(m.bytes);
            progress.addDocs(m.docs);
          });
          const req: TaskRequest = { outDir: plan.outDir, phase: phase.name, index, port: port2, cores: coresPerTask(options.workers, pending.length) };
          try {
            await pool.run(req, { transferList: [port2] });
            finished++;
            progress.setLabel(label());
          } catch (err) {
            failures.push(`task ${index}: ${(err as Error).message}`);
            rawFailures.push((err as Error).message);
          } finally {
            port1.close();
          }
        }),
      );
      progress.finish();
      if (failures.length > 0) {
        // Every task of the phase has settled: what a failed one left under a temporary name (a
        // full disk can strike any writer) goes now, not at the next start.
        await removeTemporaryFiles(plan.outDir);
        // Write failures (a full disk) are one line naming the place, however many tasks met them.
        const writeLine = writeFailureLine(rawFailures[0]!, workDir(plan));
        const failed = new TaskFailedError(
          writeLine && rawFailures.every((f) => writeFailureLine(f, "") !== undefined)
            ? `${writeLine} (phase ${phase.name}; finished tasks are kept: run the same command again to resume)`
            : `phase ${phase.name} failed (${failures.length} of ${pending.length} task(s)):\n  ${failures.join("\n  ")}\n` +
                `finished tasks are kept; fix the cause and run the same command again to resume`,
        );
        failed.failures = failures;
        throw failed;
      }
      log(`${logPrefix(plan)} ${phase.name}: ${total} task(s) done`);
    }
  } finally {
    await pool.destroy();
  }
}

/**
 * What a phase's progress counts up to, for percent and ETA: input bytes for prepare, the text
 * prepare passed on for finalize (known from prepare's outcomes), nothing for the small phases.
 */
async function expectedBytes(plan: RunPlan, phase: string, pending: number[]): Promise<number | undefined> {
  if (phase === "prepare" || phase === "process") return pending.reduce((a, i) => a + (plan.taskBytes[i] ?? 0), 0);
  if (phase !== "finalize") return undefined;
  let total = 0;
  for (const i of pending) {
    const stages = (await readTaskOutcome(plan.outDir, "prepare", i))?.stages;
    if (!stages?.length) return undefined;
    total += stages[stages.length - 1]!.bytes_out;
  }
  return total;
}
