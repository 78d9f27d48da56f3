import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import {
  cancelJobs,
  jobTaskStates,
  slurmAvailable,
  SlurmJobFailedError,
  submitArrayJob,
  summarizeTasks,
  waitForJobs,
  type ArrayJobRef,
} from "../../src/run/slurm/index.js";
import { renderBatchScript, shellQuote, taskExitPath, parseExitRecord } from "../../src/run/slurm/batch-script.js";
import { maxCpusPerTask, parseSinfoNodes } from "../../src/run/slurm/commands.js";
import { KORPIPE_BIN, withRequeue } from "../../src/run/slurm/executor.js";
import { expandTaskIds, parseSacct, parseSqueue, taskStateFromSlurm } from "../../src/run/slurm/task-states.js";

// Installed commands are not enough: the tests need a controller that answers. CI starts one
// (.ci/slurm-setup.sh), so there a Slurm that does not answer is a failure, not a skip.
const runSlurmTests = (await slurmAvailable()) || process.env.CI === "true";

const tmpDirs: string[] = [];
function tmp(prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), `korpipe-${prefix}-`));
  tmpDirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

describe("the batch script", () => {
  it("quotes arguments so bash passes them through unchanged", () => {
    const words = ["plain", "with space", "it's", `"double"`, "$HOME", "`date`", "a\\b", "new\nline", "", "한국어 문서"];
    const echoed = execFileSync("bash", ["-c", `printf '%s\\0' ${words.map(shellQuote).join(" ")}`]).toString("utf8");
    expect(echoed.split("\0").slice(0, -1)).toEqual(words);
  });

  it("runs the command in cwd with the task id and env, and records the exit code with its token, whatever the paths contain", () => {
    const dir = tmp("script");
    const logDir = path.join(dir, `logs "$HOME" it's`);
    execFileSync("mkdir", ["-p", logDir]);
    const script = renderBatchScript({
      jobName: "unit",
      argv: ["/bin/sh", "-c", 'echo "$SLURM_ARRAY_TASK_ID $GREETING" > "out-$SLURM_ARRAY_TASK_ID"; exit 4'],
      arraySize: 3,
      logDir,
      cwd: dir,
      env: { GREETING: "it's fine" },
      token: "abc123",
    });
    writeFileSync(path.join(dir, "job.sh"), script);
    let status = 0;
    try {
      execFileSync("bash", [path.join(dir, "job.sh")], {
        env: { ...process.env, SLURM_ARRAY_JOB_ID: "77", SLURM_ARRAY_TASK_ID: "2" },
        stdio: "ignore",
      });
    } catch (e) {
      status = (e as { status: number }).status;
    }
    expect(status).toBe(4);
    expect(readFileSync(path.join(dir, "out-2"), "utf8")).toBe("2 it's fine\n");
    const record = readFileSync(taskExitPath({ jobId: "77", jobName: "unit", logDir }, 2), "utf8");
    expect(parseExitRecord(record)).toEqual({ code: 4, token: "abc123" });
  });

  it("refuses environment variable names a shell cannot set", () => {
    expect(() =>
      renderBatchScript({ jobName: "x", argv: ["true"], arraySize: 1, logDir: "/l", cwd: "/", env: { "A-B": "1" }, token: "a" }),
    ).toThrow(/A-B/);
  });

  it("ignores a truncated exit record", () => {
    expect(parseExitRecord("")).toBeUndefined();
    expect(parseExitRecord("0")).toBeUndefined();
    expect(parseExitRecord("0 beef\n")).toEqual({ code: 0, token: "beef" });
  });
});

describe("reading Slurm's answers", () => {
  it("reads one line per array task from squeue -r, a plain job as task 0", () => {
    expect(parseSqueue("12|0|COMPLETED|None\n12|1|FAILED|NonZeroExitCode\n12|2|PENDING|Resources\n20|N/A|RUNNING|None\n")).toEqual([
      { arrayJobId: "12", taskId: 0, slurmState: "COMPLETED", reason: "None" },
      { arrayJobId: "12", taskId: 1, slurmState: "FAILED", reason: "NonZeroExitCode" },
      { arrayJobId: "12", taskId: 2, slurmState: "PENDING", reason: "Resources" },
      { arrayJobId: "20", taskId: 0, slurmState: "RUNNING", reason: "None" },
    ]);
  });

  it("expands sacct's ranges of tasks that never started and keeps exit codes", () => {
    expect(parseSacct("7_0|COMPLETED|0:0\n7_1|FAILED|3:0\n7_[2-4,6]|CANCELLED by 0|0:0\n")).toEqual([
      { arrayJobId: "7", taskId: 0, slurmState: "COMPLETED", exitCode: 0 },
      { arrayJobId: "7", taskId: 1, slurmState: "FAILED", exitCode: 3 },
      ...[2, 3, 4, 6].map((taskId) => ({ arrayJobId: "7", taskId, slurmState: "CANCELLED by 0", exitCode: 0 })),
    ]);
    expect(expandTaskIds("[0-9:3%2]")).toEqual([0, 3, 6, 9]);
  });

  it("maps Slurm's states onto pending, running, completed, failed and cancelled", () => {
    expect(taskStateFromSlurm("PENDING")).toBe("pending");
    expect(taskStateFromSlurm("COMPLETING")).toBe("running");
    expect(taskStateFromSlurm("COMPLETED")).toBe("completed");
    expect(taskStateFromSlurm("CANCELLED by 1000")).toBe("cancelled");
    for (const s of ["FAILED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL"]) expect(taskStateFromSlurm(s)).toBe("failed");
  });

  it("allows as many CPUs per task as the partition's largest node has", () => {
    const nodes = parseSinfoNodes("a|8|cpu*\nb|32|cpu*\nc|64|gpu\n");
    expect(maxCpusPerTask(nodes)).toBe(32);
    expect(maxCpusPerTask(nodes, "gpu")).toBe(64);
    expect(() => maxCpusPerTask(nodes, "nope")).toThrow(/partition "nope".*cpu, gpu/);
  });
});

describe("korpipe's array jobs", () => {
  it("ask Slurm to requeue a task whose node failed, unless the user said otherwise", () => {
    expect(withRequeue(["--account=lab"])).toEqual(["--requeue", "--account=lab"]);
    expect(withRequeue(["--no-requeue"])).toEqual(["--no-requeue"]);
    expect(withRequeue(["--requeue", "--qos=low"])).toEqual(["--requeue", "--qos=low"]);
  });

  it("run the korpipe executable of this installation (found without a cluster; a wrong path fails every task)", () => {
    expect(KORPIPE_BIN).toBe(path.join(ROOT, "bin", "korpipe"));
    expect(existsSync(KORPIPE_BIN)).toBe(true);
  });
});

describe("submitting, checked before anything reaches Slurm", () => {
  const base = { jobName: "x", argv: ["true"], arraySize: 1, logDir: "/tmp", cwd: "/tmp" };
  it("refuses sbatch arguments korpipe sets itself", async () => {
    await expect(submitArrayJob({ ...base, extraArgs: ["--array=0-9"] })).rejects.toThrow(/arraySize/);
    await expect(submitArrayJob({ ...base, extraArgs: ["-c", "4"] })).rejects.toThrow(/cpusPerTask/);
  });
  it("refuses job names that cannot name a file", async () => {
    await expect(submitArrayJob({ ...base, jobName: "a/b" })).rejects.toThrow(/job name/);
  });
  it("refuses an empty array", async () => {
    await expect(submitArrayJob({ ...base, arraySize: 0 })).rejects.toThrow(/at least one task/);
  });
});

// Jobs here queue behind whatever else the suite runs on the same small cluster (korpipe run's
// own array jobs, in parallel test files): the time limit covers that wait, not the jobs' work.
describe.skipIf(!runSlurmTests)("on a real Slurm (install with .ci/slurm-setup.sh)", { timeout: 300_000 }, () => {
  const poll = { pollMs: 300 };

  it("finds Slurm installed and its controller answering", async () => {
    expect(await slurmAvailable()).toBe(true);
  });

  it("runs every task of an array job, each seeing its own SLURM_ARRAY_TASK_ID and logging where it says", async () => {
    const dir = tmp("array");
    const job = await submitArrayJob({
      jobName: "korpipe-test-array",
      argv: ["/bin/sh", "-c", 'echo "task $SLURM_ARRAY_TASK_ID" > "$OUT/$SLURM_ARRAY_TASK_ID.txt"'],
      arraySize: 3,
      logDir: path.join(dir, "logs 100%"), // sbatch would expand a bare % in --output
      cwd: dir,
      env: { OUT: dir },
    });
    const tasks = await waitForJobs([job], poll);
    expect(tasks.map((t) => [t.taskId, t.state, t.exitCode])).toEqual([
      [0, "completed", 0],
      [1, "completed", 0],
      [2, "completed", 0],
    ]);
    expect(readdirSync(dir).filter((f) => f.endsWith(".txt")).sort()).toEqual(["0.txt", "1.txt", "2.txt"]);
    expect(readFileSync(path.join(dir, "2.txt"), "utf8")).toBe("task 2\n");
    expect(tasks[1]!.logPath).toBe(path.join(dir, "logs 100%", `korpipe-test-array-${job.jobId}_1.log`));
    expect(existsSync(tasks[1]!.logPath)).toBe(true);
  });

  it("starts a dependent job only after every task of the job it depends on succeeded", async () => {
    const dir = tmp("dep");
    const first = await submitArrayJob({
      jobName: "korpipe-test-first",
      argv: ["/bin/sh", "-c", 'sleep 1; touch "$OUT/first-$SLURM_ARRAY_TASK_ID"'],
      arraySize: 3,
      logDir: path.join(dir, "logs"),
      cwd: dir,
      env: { OUT: dir },
    });
    const second = await submitArrayJob({
      jobName: "korpipe-test-second",
      // Records how many of the first job's outputs existed when this task started.
      argv: ["/bin/sh", "-c", 'ls "$OUT" | grep -c "^first-" > "$OUT/second-$SLURM_ARRAY_TASK_ID.seen"'],
      arraySize: 2,
      dependsOn: [first.jobId],
      logDir: path.join(dir, "logs"),
      cwd: dir,
      env: { OUT: dir },
    });
    const tasks = await waitForJobs([first, second], poll);
    expect(summarizeTasks(tasks)).toMatchObject({ total: 5, completed: 5 });
    expect(readFileSync(path.join(dir, "second-0.seen"), "utf8").trim()).toBe("3");
    expect(readFileSync(path.join(dir, "second-1.seen"), "utf8").trim()).toBe("3");
  });

  it("reports a failed task with its exit code and log path, and cancels the jobs that depended on it", async () => {
    const dir = tmp("fail");
    const failing = await submitArrayJob({
      jobName: "korpipe-test-fail",
      argv: ["/bin/sh", "-c", 'if [ "$SLURM_ARRAY_TASK_ID" = 1 ]; then echo "cannot open shard 1" >&2; exit 3; fi'],
      arraySize: 3,
      logDir: path.join(dir, "logs"),
      cwd: dir,
    });
    const after = await submitArrayJob({
      jobName: "korpipe-test-after",
      argv: ["/bin/sh", "-c", 'touch "$OUT/should-not-exist"'],
      arraySize: 1,
      dependsOn: [failing.jobId],
      logDir: path.join(dir, "logs"),
      cwd: dir,
      env: { OUT: dir },
    });
    const progress: number[] = [];
    const error = await waitForJobs([failing, after], { ...poll, onProgress: (p) => progress.push(p.total) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlurmJobFailedError);
    const failure = error as SlurmJobFailedError;
    const logPath = path.join(dir, "logs", `korpipe-test-fail-${failing.jobId}_1.log`);
    expect(failure.message).toContain(logPath);
    expect(failure.message).toContain("exit code 3");
    expect(failure.message).toContain("cannot open shard 1");
    expect(failure.failed[0]).toMatchObject({ jobId: failing.jobId, taskId: 1, state: "failed", exitCode: 3, logPath });
    expect(failure.tasks.filter((t) => t.jobId === failing.jobId).map((t) => t.state)).toEqual(["completed", "failed", "completed"]);
    expect(failure.tasks.find((t) => t.jobId === after.jobId)).toMatchObject({ state: "cancelled", reason: "DependencyNeverSatisfied" });
    expect(existsSync(path.join(dir, "should-not-exist"))).toBe(false);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((n) => n === 4)).toBe(true);
  });

  it("asks for no more CPUs per task than a node has, and says so", async () => {
    const dir = tmp("cpus");
    const notices: string[] = [];
    const job = await submitArrayJob({
      jobName: "korpipe-test-cpus",
      argv: ["true"],
      arraySize: 1,
      cpusPerTask: 100_000,
      logDir: dir,
      cwd: dir,
      onNotice: (m) => notices.push(m),
    });
    expect(job.cpusPerTask).toBeLessThanOrEqual(os.availableParallelism());
    expect(notices.join("\n")).toMatch(/instead of 100000/);
    expect((await waitForJobs([job], poll))[0]!.state).toBe("completed");
  });

  it("refuses to depend on a job Slurm no longer lists (it would count it as succeeded)", async () => {
    const dir = tmp("gone");
    await expect(
      submitArrayJob({ jobName: "korpipe-test-gone", argv: ["true"], arraySize: 1, dependsOn: ["987654321"], logDir: dir, cwd: dir }),
    ).rejects.toThrow(/no longer lists job\(s\) 987654321/);
  });

  it("cancels running jobs, and waiting then reports them cancelled", async () => {
    const dir = tmp("cancel");
    const job = await submitArrayJob({ jobName: "korpipe-test-cancel", argv: ["sleep", "300"], arraySize: 2, logDir: dir, cwd: dir });
    await cancelJobs([job.jobId]);
    const error = (await waitForJobs([job], poll).catch((e: unknown) => e)) as SlurmJobFailedError;
    expect(error).toBeInstanceOf(SlurmJobFailedError);
    expect(error.tasks.map((t) => t.state)).toEqual(["cancelled", "cancelled"]);
    await cancelJobs([job.jobId]); // already ended: not an error
  });

  it("trusts only exit records written by this submission, and fails tasks Slurm forgot without one", async () => {
    const logDir = tmp("stale");
    const job: ArrayJobRef = { jobId: "987654320", jobName: "gone", arraySize: 2, logDir, token: "feed" };
    writeFileSync(taskExitPath(job, 0), "0 feed\n");
    writeFileSync(taskExitPath(job, 1), "0 0ld0\n"); // an older job that had the same id
    const [t0, t1] = await jobTaskStates([job]);
    expect(t0).toMatchObject({ state: "completed", exitCode: 0 });
    expect(t1!.state).toBe("failed");
    expect(t1!.reason).toMatch(/no longer lists this task/);
  });
});
