/**
 * The batch script every array task runs, and the names of the files it leaves in the log
 * directory. The script records each task's exit code in its own file because squeue forgets
 * finished jobs after MinJobAge and sacct needs accounting storage that many clusters lack;
 * the exit files on the shared file system are the record that always survives.
 */
import path from "node:path";

/** Identifies one submitted array job well enough to find its tasks' logs and exit records later. */
export interface ArrayJobRef {
  jobId: string;
  jobName: string;
  arraySize: number;
  /** Absolute; holds the script, one `.log` and one `.exit` file per task. */
  logDir: string;
  /**
   * Random per submission, written into every exit record, so a record left by an older job
   * that had the same id (a Slurm whose state was reset) is never mistaken for this one's.
   */
  token: string;
}

const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkJobName(name: string): void {
  if (!JOB_NAME.test(name) || name.length > 100) {
    throw new Error(`Slurm job name "${name}" must be letters, digits, '.', '_' or '-' (it names log files)`);
  }
}

/** Single-quotes a word for bash; the only character needing care inside single quotes is `'` itself. */
export function shellQuote(word: string): string {
  if (word.includes("\0")) throw new Error("a command argument contains a NUL byte, which no shell can pass");
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function taskLogPath(job: Pick<ArrayJobRef, "jobId" | "jobName" | "logDir">, taskId: number): string {
  return path.join(job.logDir, `${job.jobName}-${job.jobId}_${taskId}.log`);
}

export function taskExitPath(job: Pick<ArrayJobRef, "jobId" | "jobName" | "logDir">, taskId: number): string {
  return path.join(job.logDir, `${job.jobName}-${job.jobId}_${taskId}.exit`);
}

/** The `--output` pattern matching taskLogPath: %A is the array job id, %a the task id. */
export function logPattern(logDir: string, jobName: string): string {
  // sbatch expands %-sequences anywhere in the name; "%%" is its literal percent sign.
  return path.join(logDir.replace(/%/g, "%%"), `${jobName}-%A_%a.log`);
}

export function scriptPath(logDir: string, jobName: string, token: string): string {
  return path.join(logDir, `${jobName}-${token}.sbatch`);
}

export interface ExitRecord {
  code: number;
  token: string;
}

/** Parses an exit file ("<code> <token>"); undefined for a partial or foreign file. */
export function parseExitRecord(text: string): ExitRecord | undefined {
  const m = /^(-?\d+) ([0-9a-f]+)\n?$/.exec(text);
  if (!m) return undefined;
  return { code: Number(m[1]), token: m[2]! };
}

export function renderBatchScript(args: {
  jobName: string;
  argv: string[];
  arraySize: number;
  logDir: string;
  cwd: string;
  env?: Record<string, string>;
  token: string;
}): string {
  if (args.argv.length === 0) throw new Error("a Slurm array job needs a command (argv is empty)");
  const exports = Object.entries(args.env ?? {}).map(([k, v]) => {
    if (!ENV_NAME.test(k)) throw new Error(`environment variable name "${k}" is not valid in a shell`);
    return `export ${k}=${shellQuote(v)}`;
  });
  const exitPrefix = shellQuote(path.join(args.logDir, `${args.jobName}-`));
  return [
    "#!/bin/bash",
    `# korpipe array job "${args.jobName}": ${args.arraySize} task(s), each reading SLURM_ARRAY_TASK_ID.`,
    "# Written by korpipe and submitted with sbatch; the .exit file records each task's exit code.",
    `cd ${shellQuote(args.cwd)} || exit 1`,
    ...exports,
    `exit_file=${exitPrefix}"\${SLURM_ARRAY_JOB_ID}_\${SLURM_ARRAY_TASK_ID}.exit"`,
    'rm -f "$exit_file"',
    args.argv.map(shellQuote).join(" "),
    "code=$?",
    // Written then renamed, so a reader on a shared file system never sees half a record.
    `printf '%s %s\\n' "$code" ${shellQuote(args.token)} > "$exit_file.tmp" && mv -f "$exit_file.tmp" "$exit_file"`,
    'exit "$code"',
    "",
  ].join("\n");
}
