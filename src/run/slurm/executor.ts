/**
 * Runs a plan on Slurm: every phase with unfinished tasks becomes one array job over exactly those
 * tasks, chained with afterok, so a rerun submits only what is missing. Tasks run
 * `korpipe run-task`, which does the same work as a local worker thread; the output directory on
 * the shared file system is the only channel between phases.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { logPrefix, type RunPlan } from "../plan/plan.js";
import { phasesFor } from "../phases/phases.js";
import { doneTasks, stateDir } from "../phases/task-state.js";
import { jobTaskStates, logTail, SlurmJobFailedError, submitArrayJob, summarizeTasks, waitForJobs, type ArrayJobRef, type ArrayTaskStatus } from "./index.js";
import { withRebuilds } from "../phases/intermediates.js";
import { writeFileAtomic } from "../../io/atomic-file.js";

export interface SlurmRunOptions {
  partition?: string;
  cpusPerTask?: number;
  time?: string;
  extraArgs?: string[];
  /** Wait for the jobs to finish (default); otherwise return after submitting. */
  wait?: boolean;
  progress?: boolean;
  log?: (line: string) => void;
}

/** One submitted phase: which plan tasks its array ids stand for. */
export interface SubmittedPhase extends ArrayJobRef {
  phase: string;
  /** indices[SLURM_ARRAY_TASK_ID] is the plan task the array task runs. */
  indices: number[];
}

export interface SlurmState {
  fingerprint: string;
  submitted_at: string;
  phases: SubmittedPhase[];
}

/** The korpipe executable each Slurm array task runs (resolved from this module, in src/ or dist/). */
export const KORPIPE_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "bin", "korpipe");

export const slurmStateFile = (outDir: string) => path.join(stateDir(outDir), "slurm.json");

export async function readSlurmState(outDir: string): Promise<SlurmState | undefined> {
  try {
    return JSON.parse(await readFile(slurmStateFile(outDir), "utf8")) as SlurmState;
  } catch {
    return undefined;
  }
}

/**
 * Submits the unfinished phases; returns true when they all finished (always false with wait: false).
 * A task that failed on a missing or damaged intermediate file gets the task that made it redone,
 * and the rest submitted again, as a local run does.
 */
export async function runSlurm(plan: RunPlan, options: SlurmRunOptions = {}): Promise<boolean> {
  const log = options.log ?? ((l: string) => process.stderr.write(l + "\n"));
  return withRebuilds(plan, log, () => submitAndWait(plan, options, log), async (err) => (err instanceof SlurmJobFailedError ? failureMessages(err) : undefined));
}

/** What the failed tasks said: the last lines of their logs (korpipe's one-line error among them). */
async function failureMessages(err: SlurmJobFailedError): Promise<string[]> {
  const tails = await Promise.all(err.failed.filter((t) => t.state === "failed").map((t) => logTail(t.logPath)));
  return tails.flatMap((lines) => lines ?? []);
}

async function submitAndWait(plan: RunPlan, options: SlurmRunOptions, log: (line: string) => void): Promise<boolean> {
  const logDir = path.join(stateDir(plan.outDir), "slurm");
  const submitted: SubmittedPhase[] = [];
  const extraArgs = withRequeue(options.extraArgs ?? []);
  let previous: string[] = [];
  for (const phase of phasesFor(plan)) {
    const done = await doneTasks(plan.outDir, phase.name);
    const indices = Array.from({ length: phase.taskCount(plan) }, (_, i) => i).filter((i) => !done.has(i));
    if (indices.length === 0) continue;
    const job = await submitArrayJob({
      jobName: `korpipe-${phase.name}`,
      argv: [process.execPath, KORPIPE_BIN, "run-task", plan.outDir, "--phase", phase.name, "--indices", indices.join(",")],
      arraySize: indices.length,
      dependsOn: previous,
      partition: options.partition,
      cpusPerTask: options.cpusPerTask,
      time: options.time,
      extraArgs,
      logDir,
      cwd: process.cwd(),
      onNotice: (m) => log(`${logPrefix(plan)} ${m}`),
    });
    submitted.push({ jobId: job.jobId, jobName: job.jobName, arraySize: job.arraySize, logDir: job.logDir, token: job.token, phase: phase.name, indices });
    previous = [job.jobId];
    log(`${logPrefix(plan)} submitted ${phase.name} as Slurm job ${job.jobId} (${indices.length} task(s))`);
  }
  if (submitted.length === 0) {
    log(`${logPrefix(plan)} every task is already done`);
    return true;
  }
  await writeFileAtomic(slurmStateFile(plan.outDir), JSON.stringify({ fingerprint: plan.fingerprint, submitted_at: new Date().toISOString(), phases: submitted } satisfies SlurmState, null, 2));
  if (options.wait === false) {
    log(`${logPrefix(plan)} follow with: korpipe status ${path.relative(process.cwd(), plan.outDir) || "."}`);
    return false;
  }
  let last = "";
  await waitForJobs(submitted, {
    onProgress: (p) => {
      if (options.progress === false) return;
      const line = describeSlurmProgress(submitted, p.tasks);
      if (line !== last) log(`${logPrefix(plan)} ${line}`);
      last = line;
    },
  });
  return true;
}

/**
 * A korpipe task may always run again (outputs under temporary names, its completion marker last),
 * so Slurm is asked to requeue a task whose node failed, even on a cluster whose JobRequeue=0 would
 * not. --sbatch-arg=--no-requeue makes a node failure end the run instead.
 */
export function withRequeue(extraArgs: string[]): string[] {
  return extraArgs.some((a) => a === "--requeue" || a === "--no-requeue") ? extraArgs : ["--requeue", ...extraArgs];
}

/** "prepare 4/4 done | finalize 1 running, 3 pending" */
export function describeSlurmProgress(submitted: SubmittedPhase[], tasks: ArrayTaskStatus[]): string {
  return submitted
    .map((s) => {
      const p = summarizeTasks(tasks.filter((t) => t.jobId === s.jobId));
      const parts = [`${p.completed}/${s.arraySize} done`];
      if (p.running) parts.push(`${p.running} running`);
      if (p.pending) parts.push(`${p.pending} pending`);
      if (p.failed) parts.push(`${p.failed} failed`);
      if (p.cancelled) parts.push(`${p.cancelled} cancelled`);
      return `${s.phase} ${parts.join(", ")}`;
    })
    .join(" | ");
}

/** Current Slurm states of a submission's tasks, by phase and plan task index. */
export async function slurmTaskStates(state: SlurmState): Promise<Map<string, Map<number, ArrayTaskStatus>>> {
  const tasks = await jobTaskStates(state.phases);
  const out = new Map<string, Map<number, ArrayTaskStatus>>();
  for (const s of state.phases) {
    const m = new Map<number, ArrayTaskStatus>();
    for (const t of tasks) if (t.jobId === s.jobId && s.indices[t.taskId] !== undefined) m.set(s.indices[t.taskId]!, t);
    out.set(s.phase, m);
  }
  return out;
}
