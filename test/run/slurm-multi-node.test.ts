import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KORPIPE, korpipe, ROOT } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";
import { SAMPLE_PIPELINE_OUTPUTS, samplePipeline } from "../helpers/sample-pipeline.js";
import { CLUSTER_ENV, clusterControl, heldJob, jobCompletions, multiNodeClusterAnswers } from "../helpers/slurm-multi-node.js";
import { until } from "../helpers/until.js";
import { jobTaskStates, submitArrayJob, waitForJobs } from "../../src/run/slurm/index.js";
import { taskExitPath } from "../../src/run/slurm/batch-script.js";

// CI starts the cluster (.ci/slurm-multi-node-setup.sh), so there one that does not answer is a failure.
const run = multiNodeClusterAnswers() || process.env.CI === "true";

/** korpipe run in the background, its stderr collected. */
function startRun(args: string[]) {
  const child = spawn(process.execPath, [KORPIPE, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...CLUSTER_ENV, KORPIPE_PROGRESS_SECONDS: "3600" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return { exited, stderr: () => stderr };
}

const submittedJobs = (stderr: string) => new Map([...stderr.matchAll(/submitted (\S+) as Slurm job (\d+)/g)].map((m) => [m[2]!, m[1]!]));

describe.skipIf(!run)("korpipe run --executor slurm on two nodes, one of which crashes", () => {
  // Whatever happens in a test, the next one (or the next CI step) finds both nodes up and no hold set.
  afterAll(() => {
    clusterControl("release", "korpipe-n2");
    clusterControl("start");
  });

  it(
    "runs tasks on both nodes; when a node dies mid-phase Slurm requeues its task, korpipe waits, and the outputs equal a local run's",
    { timeout: 400_000 },
    async () => {
      expect(multiNodeClusterAnswers(), "both nodes of .ci/slurm-multi-node-setup.sh answer").toBe(true);
      const local = tmpDir();
      // Four bands: four dedup-pairs tasks instead of 21, each a scheduling round on these 1-CPU nodes.
      const fewBands = { bands: 4, rows: 8 };
      expect(korpipe(["run", samplePipeline(local, fewBands), "--tasks", "3"]).status).toBe(3);

      // The first finalize task that korpipe-n2 is given stops there, launched but not done:
      // a point in the middle of a phase that timing cannot move.
      clusterControl("hold", "korpipe-n2", "korpipe-finalize");
      const dir = tmpDir("korpipe-multi-");
      const r = startRun(["run", samplePipeline(dir, fewBands), "--tasks", "3", "--executor", "slurm"]);
      await until("a finalize task held on korpipe-n2", () => heldJob("korpipe-n2") !== undefined);
      const held = heldJob("korpipe-n2")!;
      clusterControl("crash-node", "korpipe-n2");

      const code = await r.exited;
      expect(code, r.stderr()).toBe(3);
      for (const f of SAMPLE_PIPELINE_OUTPUTS) {
        expect(readFileSync(path.join(dir, "out", f)).equals(readFileSync(path.join(local, "out", f))), f).toBe(true);
      }

      const ours = submittedJobs(r.stderr());
      expect([...ours.values()]).toContain("finalize");
      const records = jobCompletions().filter((j) => ours.has(j.arrayJobId));
      // Work was shared: each node finished tasks before the crash.
      const nodesThatFinished = new Set(records.filter((j) => j.state === "COMPLETED").map((j) => j.node));
      expect([...nodesThatFinished].sort()).toEqual(["korpipe-n1", "korpipe-n2"]);
      // The held task failed with its node, and the same array task then completed elsewhere.
      const lost = records.find((j) => j.jobId === held);
      expect(lost).toMatchObject({ name: "korpipe-finalize", state: "NODE_FAIL", node: "korpipe-n2" });
      expect(records.filter((j) => j.arrayJobId === lost!.arrayJobId && j.arrayTaskId === lost!.arrayTaskId).map((j) => [j.state, j.node])).toEqual([
        ["NODE_FAIL", "korpipe-n2"],
        ["COMPLETED", "korpipe-n1"],
      ]);
      expect(korpipe(["status", path.join(dir, "out")]).stdout).toContain("all tasks done");
    },
  );

  it("counts a task that runs again after a requeue as running, not by the exit record its killed attempt left", { timeout: 120_000 }, async () => {
    clusterControl("start");
    const dir = tmpDir("korpipe-requeue-");
    clusterControl("hold", "korpipe-n2", "korpipe-test-requeued");
    // The library calls Slurm's clients with this process's environment.
    const defaultConf = process.env.SLURM_CONF;
    process.env.SLURM_CONF = CLUSTER_ENV.SLURM_CONF;
    try {
      const job = await submitArrayJob({ jobName: "korpipe-test-requeued", argv: ["true"], arraySize: 2, logDir: dir, cwd: dir });
      await until("a task held on korpipe-n2", () => heldJob("korpipe-n2") !== undefined);
      // The other task runs `true` on korpipe-n1 and ends; only then is "the running one" the held one.
      let states = await jobTaskStates([job]);
      for (const end = Date.now() + 60_000; !states.some((t) => t.state === "completed") && Date.now() < end; ) {
        await new Promise((r) => setTimeout(r, 300));
        states = await jobTaskStates([job]);
      }
      const heldTask = states.find((t) => t.state === "running" && t.slurmState === "RUNNING");
      expect(heldTask).toBeDefined();
      // What an attempt killed between writing its record and Slurm hearing of its end leaves behind.
      writeFileSync(taskExitPath(job, heldTask!.taskId), `0 ${job.token}\n`);
      expect((await jobTaskStates([job])).find((t) => t.taskId === heldTask!.taskId)!.state).toBe("running");
      clusterControl("release", "korpipe-n2");
      const final = await waitForJobs([job], { pollMs: 300 });
      expect(final.map((t) => t.state)).toEqual(["completed", "completed"]);
    } finally {
      if (defaultConf === undefined) delete process.env.SLURM_CONF;
      else process.env.SLURM_CONF = defaultConf;
    }
  });
});
