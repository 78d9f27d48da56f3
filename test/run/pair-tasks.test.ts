import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { korpipe } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";
import { FULL_STAGES, samplePipeline } from "../helpers/pipeline-run.js";
import { pairTaskBands, PAIR_TASK_TARGET_BYTES } from "../../src/run/phases/dedup-phases.js";
import { parsePipelineConfig } from "../../src/run/plan/config.js";

const dedup = (extra: Record<string, unknown> = {}) => {
  const cfg = parsePipelineConfig({ inputs: ["x"], output: "o", stages: [{ stage: "dedup", ...extra }] });
  return cfg.stages[0] as Extract<(typeof cfg.stages)[number], { stage: "dedup" }>;
};

describe("dedup-pairs tasks", () => {
  it("groups the 20 bands and the exact band into 3 tasks for 300 MB of input", () => {
    const groups = pairTaskBands({ totalBytes: 300e6 }, dedup());
    expect(groups.map((g) => g.length)).toEqual([7, 7, 7]);
    expect(groups.flat()).toEqual([...Array.from({ length: 20 }, (_, i) => i), "exact"]);
  });

  it("gives every band its own task once each task covers the target input anyway", () => {
    expect(pairTaskBands({ totalBytes: PAIR_TASK_TARGET_BYTES }, dedup())).toHaveLength(21);
    expect(pairTaskBands({ totalBytes: 1.2e12 }, dedup())).toHaveLength(21);
    expect(pairTaskBands({ totalBytes: 1e3 }, dedup())).toHaveLength(1);
  });

  it("merges the bands in at least as many tasks as the run has prepare tasks, so that every core merges", () => {
    const fourTasks = { totalBytes: 100e6, tasks: [["a"], ["b"], ["c"], ["d"]] };
    const groups = pairTaskBands(fourTasks, dedup());
    expect(groups).toHaveLength(4);
    expect(groups.flat()).toEqual([...Array.from({ length: 20 }, (_, i) => i), "exact"]);
    // By size alone 100 MB would merge 20 bands in one task.
    expect(pairTaskBands({ totalBytes: 100e6 }, dedup())).toHaveLength(2);
  });

  it("takes dedup.bandsPerTask as given, the last task holding the rest", () => {
    expect(pairTaskBands({ totalBytes: 300e6 }, dedup({ bandsPerTask: 4 })).map((g) => g.length)).toEqual([4, 4, 4, 4, 4, 1]);
    expect(pairTaskBands({ totalBytes: 300e6 }, dedup({ exactOnly: true, bandsPerTask: 4 }))).toEqual([["exact"]]);
  });

  it("finds the same duplicates however the bands are grouped", () => {
    const grouped = tmpDir();
    const single = tmpDir();
    const withBands = (perTask: number) => FULL_STAGES.map((s) => (s.stage === "dedup" ? { ...s, bandsPerTask: perTask } : s));
    expect(korpipe(["run", samplePipeline(grouped, { stages: withBands(4) }), "--tasks", "2"]).status).toBe(3);
    expect(korpipe(["run", samplePipeline(single, { stages: withBands(1) }), "--tasks", "2"]).status).toBe(3);
    expect(korpipe(["status", path.join(grouped, "out")]).stdout).toMatch(/dedup-pairs\s+6\/6 done/);
    expect(korpipe(["status", path.join(single, "out")]).stdout).toMatch(/dedup-pairs\s+21\/21 done/);
    for (const f of ["duplicates.jsonl", "corpus_text_document.bin"]) {
      expect(readFileSync(path.join(grouped, "out", f)).equals(readFileSync(path.join(single, "out", f))), f).toBe(true);
    }
  }, 120_000);
});
