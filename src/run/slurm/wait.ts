/**
 * Waiting for array jobs to end, and turning a failure into a message that names the failed
 * task and its log.
 */
import { open } from "node:fs/promises";
import { jobTaskStates, summarizeTasks, type SlurmProgress } from "./status.js";
import type { ArrayJobRef } from "./batch-script.js";
import { isFinal, type ArrayTaskStatus } from "./task-states.js";

export class SlurmJobFailedError extends Error {
  /** Every task's final state. */
  readonly tasks: ArrayTaskStatus[];
  /** The tasks that failed or were cancelled, those that failed first. */
  readonly failed: ArrayTaskStatus[];
  constructor(message: string, tasks: ArrayTaskStatus[], failed: ArrayTaskStatus[]) {
    super(message);
    this.name = "SlurmJobFailedError";
    this.tasks = tasks;
    this.failed = failed;
  }
}

export interface WaitOptions {
  /** How often to ask squeue; default 2000 ms (polling faster only loads slurmctld). */
  pollMs?: number;
  onProgress?: (progress: SlurmProgress) => void;
  signal?: AbortSignal;
  /** squeue failures in a row tolerated before giving up (a busy controller times out now and then). */
  maxQueryFailures?: number;
}

/**
 * Waits until every task of the given jobs has finished. Returns their final states when all
 * completed; otherwise throws SlurmJobFailedError naming a failed task and its log. It waits
 * for the whole set before throwing, so nothing is still running when the caller moves on
 * (dependent jobs of a failed one are cancelled by Slurm and end quickly).
 */
export async function waitForJobs(jobs: ArrayJobRef[], options: WaitOptions = {}): Promise<ArrayTaskStatus[]> {
  const pollMs = options.pollMs ?? 2000;
  const maxFailures = options.maxQueryFailures ?? 5;
  let failures = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    let tasks: ArrayTaskStatus[];
    try {
      tasks = await jobTaskStates(jobs);
      failures = 0;
    } catch (e) {
      if (++failures >= maxFailures) throw e;
      await sleep(pollMs, options.signal);
      continue;
    }
    options.onProgress?.(summarizeTasks(tasks));
    if (tasks.every((t) => isFinal(t.state))) {
      const failed = tasks.filter((t) => t.state !== "completed");
      if (failed.length === 0) return tasks;
      // The failed tasks explain the cancelled ones (cancelled for a failed dependency).
      failed.sort((a, b) => Number(b.state === "failed") - Number(a.state === "failed"));
      throw new SlurmJobFailedError(await describeFailure(failed), tasks, failed);
    }
    await sleep(pollMs, options.signal);
  }
}

async function describeFailure(failed: ArrayTaskStatus[]): Promise<string> {
  const first = failed[0]!;
  const how =
    first.state === "cancelled"
      ? `was cancelled${first.reason ? ` (${first.reason})` : ""}`
      : first.exitCode !== undefined
        ? `failed with exit code ${first.exitCode}`
        : `failed${first.slurmState ? ` (${first.slurmState})` : ""}${first.reason ? `: ${first.reason}` : ""}`;
  const lines = [`Slurm job ${first.jobId} (${first.jobName}) task ${first.taskId} ${how}; its log: ${first.logPath}`];
  const tail = await logTail(first.logPath);
  if (tail) lines.push("  last lines of the log:", ...tail.map((l) => `    ${l}`));
  if (failed.length > 1) {
    const more = failed.slice(1);
    const nFailed = more.filter((t) => t.state === "failed").length;
    lines.push(`  ${more.length} more task(s) did not complete (${nFailed} failed, ${more.length - nFailed} cancelled)`);
  }
  return lines.join("\n");
}

/** The last lines of a task's log, read from its end so a huge log costs nothing. */
export async function logTail(file: string, maxLines = 10, maxBytes = 4096): Promise<string[] | undefined> {
  try {
    const fh = await open(file, "r");
    try {
      const { size } = await fh.stat();
      const length = Math.min(size, maxBytes);
      const buf = Buffer.alloc(length);
      await fh.read(buf, 0, length, size - length);
      const lines = buf.toString("utf8").split("\n").map((l) => l.trimEnd());
      while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
      if (size > length) lines.shift(); // probably cut in the middle
      return lines.slice(-maxLines);
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener("abort", aborted, { once: true });
  });
}
