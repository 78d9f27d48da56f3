/**
 * What state each array task is in, from the three places that know: squeue (jobs still in
 * the controller, including finished ones for MinJobAge seconds), sacct (when accounting
 * storage exists) and the exit records the batch script writes. Parsing is kept apart from
 * running the commands so the rules can be tested on recorded output.
 */

export type TaskState = "pending" | "running" | "completed" | "failed" | "cancelled";

export interface ArrayTaskStatus {
  jobId: string;
  jobName: string;
  taskId: number;
  state: TaskState;
  /** Slurm's own word for it (PENDING, RUNNING, TIMEOUT, ...) when Slurm still knows the task. */
  slurmState?: string;
  /** Set once the task has finished and its exit code is known. */
  exitCode?: number;
  /** Why a task waits or ended (Slurm's reason, e.g. Dependency, DependencyNeverSatisfied). */
  reason?: string;
  logPath: string;
}

export function isFinal(state: TaskState): boolean {
  return state === "completed" || state === "failed" || state === "cancelled";
}

/** Maps a Slurm job state (squeue %T or sacct State, e.g. "CANCELLED by 0") to ours. */
export function taskStateFromSlurm(slurmState: string): TaskState {
  const s = slurmState.trim().split(/\s+/)[0]!.replace(/\+$/, "").toUpperCase();
  switch (s) {
    case "PENDING":
    case "REQUEUED":
    case "REQUEUE_HOLD":
    case "REQUEUE_FED":
    case "RESV_DEL_HOLD":
      return "pending";
    case "RUNNING":
    case "CONFIGURING":
    case "COMPLETING":
    case "SUSPENDED":
    case "STOPPED":
    case "SIGNALING":
    case "STAGE_OUT":
    case "RESIZING":
      return "running";
    case "COMPLETED":
      return "completed";
    case "CANCELLED":
      return "cancelled";
    default:
      // FAILED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY, BOOT_FAIL, DEADLINE, PREEMPTED, SPECIAL_EXIT, ...
      return "failed";
  }
}

export interface QueuedTask {
  arrayJobId: string;
  taskId: number;
  slurmState: string;
  reason: string;
}

/**
 * Parses `squeue -h -r --states=all -o '%F|%K|%T|%r'` (with -r every array task has its own
 * line, %F is the array job id, %K the task id or N/A for a job that is not an array).
 */
export function parseSqueue(text: string): QueuedTask[] {
  const out: QueuedTask[] = [];
  for (const line of text.split("\n")) {
    const [arrayJobId, task, slurmState, reason] = line.trim().split("|");
    if (!arrayJobId || !task || !slurmState) continue;
    const taskId = task === "N/A" ? 0 : Number.parseInt(task, 10);
    if (!Number.isInteger(taskId)) continue;
    out.push({ arrayJobId, taskId, slurmState, reason: reason ?? "" });
  }
  return out;
}

export interface AccountedTask {
  arrayJobId: string;
  taskId: number;
  slurmState: string;
  exitCode?: number;
}

/**
 * Parses `sacct -n -P -X -o JobID,State,ExitCode`. Array tasks are `123_4`; tasks that never
 * started appear as a range `123_[5-7,9]`, expanded here.
 */
export function parseSacct(text: string): AccountedTask[] {
  const out: AccountedTask[] = [];
  for (const line of text.split("\n")) {
    const [jobField, slurmState, exit] = line.trim().split("|");
    if (!jobField || !slurmState) continue;
    const m = /^(\d+)(?:_(\d+|\[[^\]]*\]))?$/.exec(jobField);
    if (!m) continue;
    const codeMatch = exit ? /^(\d+):/.exec(exit) : null;
    const exitCode = codeMatch ? Number(codeMatch[1]) : undefined;
    for (const taskId of expandTaskIds(m[2] ?? "0")) out.push({ arrayJobId: m[1]!, taskId, slurmState, exitCode });
  }
  return out;
}

/** "4" → [4]; "[0-2,5]" → [0,1,2,5]; a `%limit` suffix ("[0-9%2]") is ignored. */
export function expandTaskIds(spec: string): number[] {
  const body = spec.replace(/^\[/, "").replace(/\]$/, "").replace(/%\d+$/, "");
  const ids: number[] = [];
  for (const part of body.split(",")) {
    const r = /^(\d+)(?:-(\d+))?(?::(\d+))?$/.exec(part);
    if (!r) continue;
    const from = Number(r[1]);
    const to = r[2] === undefined ? from : Number(r[2]);
    const step = r[3] === undefined ? 1 : Number(r[3]);
    for (let i = from; i <= to; i += step) ids.push(i);
  }
  return ids;
}
