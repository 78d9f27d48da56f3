/**
 * Submitting array jobs (and cancelling them): the batch script goes into the log directory,
 * the request is checked against what the cluster can give before sbatch sees it.
 */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { checkJobName, logPattern, renderBatchScript, scriptPath, type ArrayJobRef } from "./batch-script.js";
import { listNodes, maxArraySize, maxCpusPerTask, runSlurmCommand, runSlurmCommandOrThrow } from "./commands.js";
import { queuedTasks } from "./status.js";

export interface ArrayJobSpec {
  /** Letters, digits, '.', '_', '-'; names the job in squeue and its files in logDir. */
  jobName: string;
  /** The command every array task runs; it tells tasks apart by SLURM_ARRAY_TASK_ID (0-based). */
  argv: string[];
  arraySize: number;
  /** Job ids that must all finish successfully first (--dependency=afterok:…). */
  dependsOn?: string[];
  partition?: string;
  /** Lowered to the largest node's CPU count when higher, since Slurm would wait forever. */
  cpusPerTask?: number;
  /** Slurm's --time format, e.g. "2:00:00" or "1-0". */
  time?: string;
  /** Further sbatch arguments, e.g. ["--account=lab", "--qos=low"]. */
  extraArgs?: string[];
  /** Must be on a file system the compute nodes share; created if missing. */
  logDir: string;
  /** Working directory of every task. */
  cwd: string;
  /** Variables set for the tasks on top of the submitting environment (sbatch exports it). */
  env?: Record<string, string>;
  /** Where adjustments (such as a lowered cpusPerTask) are reported; default: stderr. */
  onNotice?: (message: string) => void;
}

export interface SubmittedArrayJob extends ArrayJobRef {
  /** The batch script written into logDir. */
  script: string;
  /** What was requested after checking it against the partition's nodes. */
  cpusPerTask: number;
}

/** Arguments that korpipe sets itself; passing them through extraArgs would break its bookkeeping. */
const RESERVED_ARGS: Record<string, string> = {
  "--array": "arraySize",
  "-a": "arraySize",
  "--output": "logDir",
  "-o": "logDir",
  "--error": "logDir",
  "-e": "logDir",
  "--wrap": "argv",
  "--chdir": "cwd",
  "-D": "cwd",
  "--cpus-per-task": "cpusPerTask",
  "-c": "cpusPerTask",
  "--dependency": "dependsOn",
  "-d": "dependsOn",
  "--parsable": "(always set)",
};

function checkExtraArgs(extraArgs: string[]): void {
  for (const arg of extraArgs) {
    const flag = arg.startsWith("--") ? arg.split("=")[0]! : arg.slice(0, 2);
    const instead = RESERVED_ARGS[flag];
    if (instead) throw new Error(`extra sbatch argument "${arg}" is set by korpipe itself; use ${instead} instead`);
  }
}

const defaultNotice = (message: string) => process.stderr.write(`korpipe: ${message}\n`);

/** Submits one array job of `arraySize` tasks (indices 0 … arraySize-1) and returns how to follow it. */
export async function submitArrayJob(spec: ArrayJobSpec): Promise<SubmittedArrayJob> {
  checkJobName(spec.jobName);
  const notice = spec.onNotice ?? defaultNotice;
  if (!Number.isInteger(spec.arraySize) || spec.arraySize < 1) {
    throw new Error(`a Slurm array job needs at least one task (arraySize was ${spec.arraySize})`);
  }
  checkExtraArgs(spec.extraArgs ?? []);
  let cpusPerTask = spec.cpusPerTask ?? 1;
  if (!Number.isInteger(cpusPerTask) || cpusPerTask < 1) throw new Error(`cpusPerTask must be a positive integer (was ${cpusPerTask})`);
  const dependsOn = spec.dependsOn ?? [];
  for (const id of dependsOn) if (!/^\d+$/.test(id)) throw new Error(`dependency "${id}" is not a Slurm job id`);
  if (spec.argv.length === 0) throw new Error("a Slurm array job needs a command (argv is empty)");

  const limit = await maxArraySize();
  if (spec.arraySize > limit) {
    throw new Error(
      `${spec.arraySize} tasks exceed this cluster's MaxArraySize of ${limit}; use fewer tasks or ask the admins to raise it`,
    );
  }
  const maxCpus = maxCpusPerTask(await listNodes(), spec.partition);
  if (cpusPerTask > maxCpus) {
    notice(
      `asking Slurm for ${maxCpus} CPUs per task instead of ${cpusPerTask}: no node in ` +
        `${spec.partition ? `partition "${spec.partition}"` : "the default partition"} has more, and the job would wait forever`,
    );
    cpusPerTask = maxCpus;
  }

  await checkDependenciesKnown(dependsOn);

  const logDir = path.resolve(spec.logDir);
  const cwd = path.resolve(spec.cwd);
  await mkdir(logDir, { recursive: true });
  const token = randomBytes(6).toString("hex");
  const script = scriptPath(logDir, spec.jobName, token);
  await writeFile(
    script,
    renderBatchScript({ jobName: spec.jobName, argv: spec.argv, arraySize: spec.arraySize, logDir, cwd, env: spec.env, token }),
    { mode: 0o755 },
  );

  const args = [
    "--parsable",
    `--job-name=${spec.jobName}`,
    `--array=0-${spec.arraySize - 1}`,
    `--output=${logPattern(logDir, spec.jobName)}`,
    `--chdir=${cwd}`,
    `--cpus-per-task=${cpusPerTask}`,
  ];
  if (spec.partition) args.push(`--partition=${spec.partition}`);
  if (spec.time) args.push(`--time=${spec.time}`);
  if (dependsOn.length > 0) {
    // Without kill-on-invalid-dep a job whose dependency failed stays pending forever.
    args.push(`--dependency=afterok:${dependsOn.join(":")}`, "--kill-on-invalid-dep=yes");
  }
  args.push(...(spec.extraArgs ?? []), script);

  const out = await runSlurmCommandOrThrow("sbatch", args);
  // --parsable prints "jobid" or "jobid;cluster".
  const jobId = out.trim().split("\n").pop()!.split(";")[0]!.trim();
  if (!/^\d+$/.test(jobId)) throw new Error(`sbatch answered "${out.trim()}" instead of a job id`);
  return { jobId, jobName: spec.jobName, arraySize: spec.arraySize, logDir, token, script, cpusPerTask };
}

/**
 * Slurm treats a dependency on a job it no longer lists as satisfied, whether that job
 * succeeded or not; refuse rather than run a phase on missing inputs.
 */
async function checkDependenciesKnown(jobIds: string[]): Promise<void> {
  if (jobIds.length === 0) return;
  const known = new Set((await queuedTasks(jobIds)).map((t) => t.arrayJobId));
  const missing = jobIds.filter((id) => !known.has(id));
  if (missing.length > 0) {
    throw new Error(
      `Slurm no longer lists job(s) ${missing.join(", ")}, so it would count them as succeeded; ` +
        `check that their tasks finished (korpipe status) and submit without depending on them`,
    );
  }
}

/** Cancels the given jobs (all their tasks); jobs that already ended are not an error. */
export async function cancelJobs(jobIds: string[]): Promise<void> {
  if (jobIds.length === 0) return;
  const r = await runSlurmCommand("scancel", jobIds);
  if (r.code === 0) return;
  const errors = r.stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !/already completing or completed|Invalid job id/i.test(l));
  if (errors.length > 0) throw new Error(`scancel failed: ${errors.join(" / ")}`);
}
