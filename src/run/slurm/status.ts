/**
 * Where every task of some array jobs stands, merged from squeue, sacct (when the cluster keeps
 * accounting) and the exit records the batch script leaves in the log directory.
 */
import { readdir, readFile } from "node:fs/promises";
import { parseExitRecord, taskExitPath, taskLogPath, type ArrayJobRef, type ExitRecord } from "./batch-script.js";
import { runSlurmCommand } from "./commands.js";
import {
  isFinal,
  parseSacct,
  parseSqueue,
  taskStateFromSlurm,
  type AccountedTask,
  type ArrayTaskStatus,
  type QueuedTask,
  type TaskState,
} from "./task-states.js";

/** squeue's view of the given jobs' tasks, finished ones included for MinJobAge seconds. */
export async function queuedTasks(jobIds: string[]): Promise<QueuedTask[]> {
  if (jobIds.length === 0) return [];
  const r = await runSlurmCommand("squeue", ["-h", "-r", "--states=all", `--jobs=${jobIds.join(",")}`, "-o", "%F|%K|%T|%r"]);
  if (r.code !== 0) {
    // squeue refuses a job list that only names jobs it has forgotten; that is an empty answer.
    if (/Invalid job id/i.test(r.stderr)) return [];
    throw new Error(`squeue failed: ${r.stderr.trim() || `exit code ${r.code}`}`);
  }
  return parseSqueue(r.stdout);
}

/** sacct answers only where accounting storage is configured; remember when it is not. */
let sacctUnavailable = false;

async function accountedTasks(jobIds: string[]): Promise<AccountedTask[]> {
  if (jobIds.length === 0 || sacctUnavailable) return [];
  let r;
  try {
    r = await runSlurmCommand("sacct", ["-n", "-P", "-X", `--jobs=${jobIds.join(",")}`, "-o", "JobID,State,ExitCode"]);
  } catch {
    sacctUnavailable = true;
    return [];
  }
  if (r.code !== 0) {
    if (/accounting storage is disabled|not running a supported accounting_storage/i.test(r.stderr + r.stdout)) sacctUnavailable = true;
    return [];
  }
  return parseSacct(r.stdout);
}

async function exitRecords(job: ArrayJobRef): Promise<Map<number, ExitRecord>> {
  const records = new Map<number, ExitRecord>();
  let names: string[];
  try {
    names = await readdir(job.logDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return records;
    throw e;
  }
  const prefix = `${job.jobName}-${job.jobId}_`;
  await Promise.all(
    names
      .filter((n) => n.startsWith(prefix) && n.endsWith(".exit"))
      .map(async (n) => {
        const taskId = Number(n.slice(prefix.length, -".exit".length));
        if (!Number.isInteger(taskId)) return;
        let text: string;
        try {
          text = await readFile(taskExitPath(job, taskId), "utf8");
        } catch {
          return; // renamed away or unreadable this instant; the next poll sees it
        }
        const record = parseExitRecord(text);
        if (record && record.token === job.token) records.set(taskId, record);
      }),
  );
  return records;
}

const key = (jobId: string, taskId: number) => `${jobId}_${taskId}`;

/** The state of every task of the given array jobs, ordered by job then task. */
export async function jobTaskStates(jobs: ArrayJobRef[]): Promise<ArrayTaskStatus[]> {
  // squeue first: a task writes its exit record before it leaves the queue, so reading in this
  // order can never miss a task that finishes in between.
  const queued = new Map<string, QueuedTask>();
  for (const t of await queuedTasks(jobs.map((j) => j.jobId))) queued.set(key(t.arrayJobId, t.taskId), t);
  const records = await Promise.all(jobs.map(exitRecords));

  const unknown = new Set<string>();
  for (const [i, job] of jobs.entries()) {
    for (let task = 0; task < job.arraySize; task++) {
      if (!queued.has(key(job.jobId, task)) && !records[i]!.has(task)) unknown.add(job.jobId);
    }
  }
  const accounted = new Map<string, AccountedTask>();
  for (const t of await accountedTasks([...unknown])) accounted.set(key(t.arrayJobId, t.taskId), t);

  const out: ArrayTaskStatus[] = [];
  for (const [i, job] of jobs.entries()) {
    for (let taskId = 0; taskId < job.arraySize; taskId++) {
      const base = { jobId: job.jobId, jobName: job.jobName, taskId, logPath: taskLogPath(job, taskId) };
      const q = queued.get(key(job.jobId, taskId));
      const record = records[i]!.get(taskId);
      const a = accounted.get(key(job.jobId, taskId));
      const slurmState = q?.slurmState ?? a?.slurmState;
      const reason = q && q.reason && q.reason !== "None" ? q.reason : undefined;
      // A task Slurm requeued after its node failed may have left the exit record of the killed
      // attempt: while squeue has the task pending or running again, the record is not its outcome.
      // (COMPLETING is the normal moment between a task's record and its end.)
      const superseded = record !== undefined && q !== undefined && q.slurmState !== "COMPLETING" && !isFinal(taskStateFromSlurm(q.slurmState));
      if (record && !superseded) {
        let state: TaskState = record.code === 0 ? "completed" : "failed";
        if (state === "failed" && slurmState && taskStateFromSlurm(slurmState) === "cancelled") state = "cancelled";
        out.push({ ...base, state, slurmState, exitCode: record.code, reason });
      } else if (slurmState) {
        out.push({ ...base, state: taskStateFromSlurm(slurmState), slurmState, exitCode: a?.exitCode, reason });
      } else {
        out.push({
          ...base,
          state: "failed",
          reason:
            "Slurm no longer lists this task and it left no exit record: it was cancelled, ran out of time or lost its node " +
            `(or ${job.logDir} is not shared with the compute nodes)`,
        });
      }
    }
  }
  return out;
}

export interface SlurmProgress {
  total: number;
  pending: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
  tasks: ArrayTaskStatus[];
}

export function summarizeTasks(tasks: ArrayTaskStatus[]): SlurmProgress {
  const p: SlurmProgress = { total: tasks.length, pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, tasks };
  for (const t of tasks) p[t.state]++;
  return p;
}
