import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { verifyIndexedDataset } from "../../src/shard/indexed-dataset.js";
import { runPipeline } from "../../src/run/run-pipeline.js";
import { ConfigError } from "../../src/run/plan/config.js";
import { korpipe, ROOT } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";

function corpus(dir: string, files = 1, gzip = false): string {
  const inDir = path.join(dir, "in");
  for (let f = 0; f < files; f++) {
    const lines = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({ id: `f${f}-${i}`, text: `${f}번 파일의 ${i}번째 문서입니다. 한국어 말뭉치를 준비하는 과정에서 문서마다 다른 내용이 필요합니다 ${i * 7 + f}.` }),
    );
    const body = lines.join("\n") + "\n";
    if (gzip) writeFileSync(`${inDir}-${f}.jsonl.gz`, gzipSync(body));
    else writeFileSync(`${inDir}-${f}.jsonl`, body);
  }
  return dir;
}

describe("pipeline configs in YAML", () => {
  it("runs a .yaml config exactly as the same config in JSON", () => {
    const dir = corpus(tmpDir());
    const yaml = [
      "# the same pipeline, written by hand",
      "inputs:",
      `  - ${path.join(dir, "in-0.jsonl")}`,
      `output: ${path.join(dir, "out-yaml")}`,
      "stages:",
      "  - stage: normalize",
      "  - stage: filter",
      "    minChars: 10",
      "  - stage: tokenize",
      `    tokenizer: ${path.join(ROOT, "samples/tokenizer.json")}`,
    ].join("\n");
    writeFileSync(path.join(dir, "p.yaml"), yaml);
    const json = {
      inputs: [path.join(dir, "in-0.jsonl")],
      output: path.join(dir, "out-json"),
      stages: [{ stage: "normalize" }, { stage: "filter", minChars: 10 }, { stage: "tokenize", tokenizer: path.join(ROOT, "samples/tokenizer.json") }],
    };
    writeFileSync(path.join(dir, "p.json"), JSON.stringify(json));
    expect(korpipe(["run", path.join(dir, "p.yaml")]).status).toBe(0);
    expect(korpipe(["run", path.join(dir, "p.json")]).status).toBe(0);
    const bin = (out: string) => readFileSync(path.join(dir, out, "corpus_text_document.bin"));
    expect(bin("out-yaml").equals(bin("out-json"))).toBe(true);
  });

  it("names the line of a YAML syntax error without quoting the file", () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir, "bad.yml"), "inputs:\n  - a.jsonl\noutput: out\nstages: [ {stage: normalize\n");
    const r = korpipe(["run", path.join(dir, "bad.yml")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad\.yml: not valid YAML at line \d+, column \d+/);
    expect(r.stderr).not.toContain("stage: normalize");
  });

  it("validates YAML like JSON, naming the key", () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir, "p.yaml"), "inputs: [a.jsonl]\noutput: out\nstages:\n  - stage: filter\n    minChars: many\n");
    const r = korpipe(["run", path.join(dir, "p.yaml")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/stages\[0\]\.minChars: Expected number/);
  });
});

describe("korpipe run's plan, said out loud", () => {
  it("prints the real defaults: the default privacy tokens, LSH bands and rows, and the task count", () => {
    const cfg = JSON.parse(korpipe(["run", "--print-config"]).stdout);
    expect(cfg.stages[2]).toEqual({ stage: "scrub", privacyTokens: "default" });
    expect(cfg.stages[3]).toMatchObject({ stage: "dedup", bands: 20, rows: 8 });
    expect(cfg.tasks).toBeGreaterThan(0);
  });

  it("says why fewer tasks were made than asked for", () => {
    const dir = corpus(tmpDir(), 2, true);
    writeFileSync(path.join(dir, "p.json"), JSON.stringify({ inputs: [path.join(dir, "in-0.jsonl.gz"), path.join(dir, "in-1.jsonl.gz")], output: path.join(dir, "out"), stages: [{ stage: "normalize" }], tasks: 8 }));
    const r = korpipe(["run", path.join(dir, "p.json")]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("8 tasks asked for, 2 made");
  });
});

describe("runPipeline, the one-call library API", () => {
  it("runs a config object to shards and returns the run's statistics", async () => {
    const dir = corpus(tmpDir());
    const out = path.join(dir, "out");
    const stats = await runPipeline({
      inputs: [path.join(dir, "in-0.jsonl")],
      output: out,
      stages: [{ stage: "normalize" }, { stage: "scrub" }, { stage: "tokenize", tokenizer: path.join(ROOT, "samples/tokenizer.json") }],
    }, { workers: 1 });
    expect(stats.identity_holds).toBe(true);
    expect(stats.totals.docs_out).toBe(12);
    expect(verifyIndexedDataset(path.join(out, "corpus_text_document"))).toEqual([]);
  });

  it("throws a ConfigError naming the key for a bad config", async () => {
    await expect(runPipeline({ inputs: ["x"], output: "y", stages: [{ stage: "filter", minChars: -1 }] })).rejects.toThrow(ConfigError);
    await expect(runPipeline({ inputs: ["x"], output: "y", stages: [{ stage: "filter", minChars: -1 }] })).rejects.toThrow(/stages\[0\]\.minChars/);
  });
});
