import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { korpipe } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";
import { SAMPLE_PIPELINE_OUTPUTS, samplePipeline } from "../helpers/sample-pipeline.js";

function hasSlurm(): boolean {
  try {
    execFileSync("sinfo", ["-h"], { stdio: "ignore", timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

// CI installs a single-node Slurm (.ci/slurm-setup.sh), so there a missing Slurm is a failure, not a skip.
const run = hasSlurm() || process.env.CI === "true";

describe.skipIf(!run)("korpipe run --executor slurm", () => {
  it("runs every phase as a Slurm array job and writes the same shards as a local run", { timeout: 300_000 }, () => {
    const local = tmpDir();
    const slurm = tmpDir("korpipe-slurm-");
    expect(korpipe(["run", samplePipeline(local), "--tasks", "3"]).status).toBe(3);
    const r = korpipe(["run", samplePipeline(slurm), "--tasks", "3", "--executor", "slurm"]);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/submitted prepare as Slurm job \d+ \(3 task\(s\)\)/);
    for (const f of SAMPLE_PIPELINE_OUTPUTS) {
      expect(readFileSync(path.join(slurm, "out", f)).equals(readFileSync(path.join(local, "out", f))), f).toBe(true);
    }
    const status = korpipe(["status", path.join(slurm, "out")]);
    expect(status.stdout).toContain("all tasks done");
    // A rerun finds nothing missing and submits nothing.
    const again = korpipe(["run", samplePipeline(slurm), "--tasks", "3", "--executor", "slurm"]);
    expect(again.stderr).toContain("every task is already done");
  });

  it("rebuilds an intermediate file deleted after a kill, redoing as many producing tasks as it takes", { timeout: 300_000 }, () => {
    const local = tmpDir();
    const slurm = tmpDir("korpipe-slurm-");
    expect(korpipe(["run", samplePipeline(local), "--tasks", "3"]).status).toBe(3);
    const killed = korpipe(["run", samplePipeline(slurm), "--tasks", "3", "--executor", "slurm"], { env: { KORPIPE_TEST_KILL_AT: "finalize:0:0" } });
    expect(killed.status).toBe(1);
    expect(killed.stderr).toMatch(/korpipe-finalize\) task 0 failed/);
    // Finalize task 0's removal list is what it still needs; everything that made it was released.
    rmSync(path.join(slurm, "out", ".korpipe", "work", "dedup", "clusters", "task-00000.removals.bin"));
    const r = korpipe(["run", samplePipeline(slurm), "--tasks", "3", "--executor", "slurm"]);
    expect(r.status, r.stderr).toBe(3);
    // clusters, then pairs, then each prepare task whose band files pairs reads: more rounds than a fixed 3 attempts.
    expect(r.stderr.match(/rebuilding missing or damaged intermediate files: redoing/g)!.length).toBeGreaterThan(3);
    expect(r.stderr).toContain("redoing dedup-clusters task 0");
    for (const f of SAMPLE_PIPELINE_OUTPUTS) {
      expect(readFileSync(path.join(slurm, "out", f)).equals(readFileSync(path.join(local, "out", f))), f).toBe(true);
    }
  });
});
