import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { KORPIPE, korpipe } from "../helpers/cli.js";
import { until } from "../helpers/until.js";
import { tmpDir } from "../helpers/tmp.js";
import { samplePipeline } from "../helpers/sample-pipeline.js";
import { sampleInputs } from "../../src/run/plan/sample.js";
import { projectWallSeconds } from "../../src/run/plan/estimate.js";

interface PlanJson {
  inputBytes: number;
  phases: { name: string; tasks: number; coreHours: number; sampleCpuSeconds: number }[];
  sample?: { inputBytes: number; documents: number };
  documents?: number;
  documentsKept?: number;
  tokens?: number;
  outputs: { name: string; bytes: number }[];
  peakDiskBytes?: number;
  clusterMemoryBytes?: number;
  wallSeconds: { name: string; seconds: number }[];
}

function plan(args: string[]): PlanJson {
  const r = korpipe(["plan", ...args, "--json"]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as PlanJson;
}

/** A JSONL corpus of `n` Korean documents of similar length, each distinct. */
function corpus(file: string, n: number): void {
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ id: `d${i}`, text: `문서 ${i}번의 본문입니다. ${"한국어 문장이 이어집니다 ".repeat(20)}${i * 7919}` }));
  const text = lines.join("\n") + "\n";
  writeFileSync(file, file.endsWith(".gz") ? gzipSync(text) : text);
}

function corpusConfig(dir: string, input: string): string {
  const file = path.join(dir, "pipeline.json");
  writeFileSync(file, JSON.stringify({ inputs: [input], output: path.join(dir, "out"), stages: [{ stage: "normalize" }, { stage: "dedup" }] }));
  return file;
}

describe("korpipe plan", () => {
  it("lists the tasks of every phase that korpipe run would run, without measuring when --sample-mb is 0", () => {
    const dir = tmpDir();
    const p = plan([samplePipeline(dir), "--tasks", "3", "--sample-mb", "0"]);
    expect(p.phases.map((x) => x.name)).toEqual(["prepare", "dedup-pairs", "dedup-clusters", "finalize", "report"]);
    expect(p.phases.find((x) => x.name === "prepare")!.tasks).toBe(3);
    expect(p.phases.find((x) => x.name === "finalize")!.tasks).toBe(3);
    expect(p.sample).toBeUndefined();
    // Exactly the tasks a run then makes (dedup-pairs groups bands, so the count depends on the input size).
    expect(korpipe(["run", samplePipeline(dir), "--tasks", "3"]).status).toBe(3);
    for (const phase of p.phases.filter((x) => x.name !== "report")) {
      expect(readdirSync(path.join(dir, "out", ".korpipe", "done", phase.name)).length, phase.name).toBe(phase.tasks);
    }
  });

  it("predicts exactly what a run does when the sample is the whole input: documents, kept, tokens, shard size", () => {
    const dir = tmpDir();
    const config = samplePipeline(dir);
    const p = plan([config, "--tasks", "3", "--sample-mb", "50"]);
    expect(existsSync(path.join(dir, "out")), "plan writes nothing into the output directory").toBe(false);
    expect(korpipe(["run", config, "--tasks", "3"]).status).toBe(3);
    const report = JSON.parse(readFileSync(path.join(dir, "out", "report.json"), "utf8"));
    expect(p.sample!.inputBytes).toBe(p.inputBytes);
    expect(p.documents).toBe(report.totals.docs_in);
    expect(p.documentsKept).toBe(report.totals.docs_out);
    expect(p.tokens).toBe(report.sections.tokenize.tokens);
    const bin = p.outputs.find((o) => o.name === "corpus_text_document.bin")!;
    expect(bin.bytes).toBe(statSync(path.join(dir, "out", "corpus_text_document.bin")).size);
    expect(p.clusterMemoryBytes).toBe(4 * report.totals.docs_in);
    expect(p.phases.every((x) => x.coreHours > 0)).toBe(true);
  });

  it("scales a sample of part of the input by bytes, for plain and gzip-compressed JSONL alike", () => {
    for (const name of ["big.jsonl", "big.jsonl.gz"]) {
      const dir = tmpDir();
      const input = path.join(dir, name);
      corpus(input, 6000);
      const p = plan([corpusConfig(dir, input), "--sample-mb", "0.2"]);
      expect(p.sample!.inputBytes, name).toBeLessThan(p.inputBytes / 2);
      expect(p.documents! / 6000, name).toBeGreaterThan(0.9);
      expect(p.documents! / 6000, name).toBeLessThan(1.1);
    }
  });

  it("projects onto --input-size: twice the input, twice the documents and CPU", () => {
    const dir = tmpDir();
    const input = path.join(dir, "c.jsonl");
    corpus(input, 500);
    const size = statSync(input).size;
    const p = plan([corpusConfig(dir, input), "--sample-mb", "10", "--input-size", String(2 * size)]);
    expect(p.inputBytes).toBe(2 * size);
    expect(p.documents).toBe(1000);
    const sampleCpu = p.phases.reduce((a, x) => a + x.sampleCpuSeconds, 0);
    expect(p.phases.reduce((a, x) => a + x.coreHours, 0) * 3600).toBeCloseTo(2 * sampleCpu, 6);
  });

  it("removes its copy of the sample when interrupted, as after finishing", async () => {
    const dir = tmpDir();
    const scratch = path.join(dir, "tmp");
    mkdirSync(scratch);
    const child = spawn(process.execPath, [KORPIPE, "plan", samplePipeline(dir)], { env: { ...process.env, TMPDIR: scratch }, stdio: "ignore" });
    const exited = once(child, "exit");
    // Interrupted once the sample is copied and its run has begun.
    await until("the sample run to start", () => readdirSync(scratch).some((d) => existsSync(path.join(scratch, d, "out"))), 60_000);
    child.kill("SIGINT");
    await exited;
    expect(readdirSync(scratch)).toEqual([]);
  });

  it("projects wall time onto more nodes as fewer rounds of tasks", () => {
    const estimate = { inputBytes: 1, files: 1, intermediates: [], outputs: [], phases: [
      { name: "prepare", tasks: 8, sampleCpuSeconds: 1, coreHours: 8 },
      { name: "dedup-clusters", tasks: 1, sampleCpuSeconds: 1, coreHours: 1 },
    ] };
    const hours = (nodes: number) => projectWallSeconds(estimate, nodes, 2).map((w) => w.seconds / 3600);
    expect(hours(1)).toEqual([4, 1]); // 8 one-hour tasks on 2 cores: 4 rounds; one task: one core
    expect(hours(4)).toEqual([1, 1]);
    expect(hours(8)).toEqual([1, 1]); // more cores than tasks do not help
  });
});

describe("the input sample", () => {
  it("takes whole records from files spread over the input list, and stands for the bytes it read", async () => {
    const dir = tmpDir();
    const files = ["a.jsonl", "b.jsonl.gz", "c.jsonl"].map((f) => path.join(dir, f));
    for (const f of files) corpus(f, 2000);
    const sample = await sampleInputs(files, 90_000, path.join(dir, "sample"), {});
    expect(sample.files).toHaveLength(3);
    for (const f of sample.files) {
      const lines = readFileSync(f, "utf8").split("\n");
      expect(lines.pop()).toBe("");
      for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    }
    expect(readdirSync(path.join(dir, "sample")).sort()).toEqual(["00-a.jsonl", "01-b.jsonl", "02-c.jsonl"]);
    // The plain files' share is their own bytes; the compressed one's is much smaller than what it gave.
    const plain = statSync(sample.files[0]!).size + statSync(sample.files[2]!).size;
    expect(sample.inputBytes).toBeGreaterThan(plain);
    expect(sample.inputBytes).toBeLessThan(plain + statSync(sample.files[1]!).size / 2);
  });

  it("leaves out a nested JSON file too big to take whole, and says so", async () => {
    const dir = tmpDir();
    const big = path.join(dir, "big.json");
    writeFileSync(big, JSON.stringify({ data: Array.from({ length: 3000 }, (_, i) => ({ text: `문서 ${i} `.repeat(20) })) }));
    const sample = await sampleInputs([big], 10_000, path.join(dir, "sample"), { jsonPath: "data.*.text" });
    expect(sample.files).toEqual([]);
    expect(sample.skipped).toEqual([big]);
  });
});

