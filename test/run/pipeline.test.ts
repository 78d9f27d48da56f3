import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunStatsJSON } from "../../src/stats/run-stats.js";
import { sumFiltered } from "../../src/stats/stage-stats.js";
import { verifyIndexedDataset } from "../../src/shard/indexed-dataset.js";
import { korpipe, ROOT } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";

/** The final outputs a run must reproduce byte for byte (the report holds timings, so it is left out). */
const OUTPUTS = ["corpus_text_document.bin", "corpus_text_document.idx", "duplicates.jsonl", "rejects.jsonl", "filtered.jsonl"];

function writeConfig(dir: string, overrides: Record<string, unknown> = {}): string {
  const config = {
    inputs: [path.join(ROOT, "samples/corpus")],
    output: path.join(dir, "out"),
    read: { jsonPath: "data.*.paragraphs.*.context" },
    stages: [
      { stage: "normalize" },
      { stage: "filter" },
      { stage: "scrub" },
      { stage: "dedup" },
      { stage: "tokenize", tokenizer: path.join(ROOT, "samples/tokenizer.json") },
    ],
    ...overrides,
  };
  const file = path.join(dir, "pipeline.json");
  writeFileSync(file, JSON.stringify(config));
  return file;
}

function outputs(outDir: string): Record<string, string> {
  return Object.fromEntries(OUTPUTS.map((f) => [f, readFileSync(path.join(outDir, f)).toString("base64")]));
}

function report(outDir: string): RunStatsJSON {
  return JSON.parse(readFileSync(path.join(outDir, "report.json"), "utf8")) as RunStatsJSON;
}

describe("korpipe run", () => {
  it("runs the sample pipeline end to end: shards, report, and every document accounted for", () => {
    const dir = tmpDir();
    const config = writeConfig(dir);
    const r = korpipe(["run", config, "--tasks", "3", "--workers", "2"]);
    expect(r.status, r.stderr).toBe(3); // the samples hold broken records on purpose
    const out = path.join(dir, "out");
    const rep = report(out);
    expect(rep.identity_holds).toBe(true);
    expect(rep.stages.map((s) => s.name)).toEqual(["read", "normalize", "filter", "scrub", "dedup", "tokenize"]);
    const t = rep.totals;
    expect(t.docs_in).toBe(t.docs_out + sumFiltered(t) + t.duplicates + t.rejected);
    expect(t.rejected).toBe(4);
    expect(t.duplicates).toBeGreaterThanOrEqual(3); // the samples hold 3 exact copies and near copies
    expect(rep.stages.find((s) => s.name === "scrub")!.counters["pii.tell"]).toBeGreaterThan(0);
    expect(verifyIndexedDataset(path.join(out, "corpus_text_document"))).toEqual([]);
    const dups = readFileSync(path.join(out, "duplicates.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(dups.map((d) => d.id)).toContain("news-copy-0003");
    expect(readFileSync(path.join(out, "report.html"), "utf8")).toContain("<svg");
    for (const f of ["report.json", "report.html", "rejects.jsonl"]) {
      expect(readFileSync(path.join(out, f), "utf8"), f).not.toMatch(/010-\d{4}-\d{4}/);
    }
  });

  it("gives byte-identical outputs with 1 and 2 workers", () => {
    const a = tmpDir();
    const b = tmpDir();
    expect(korpipe(["run", writeConfig(a), "--tasks", "4", "--workers", "1"]).status).toBe(3);
    expect(korpipe(["run", writeConfig(b), "--tasks", "4", "--workers", "2"]).status).toBe(3);
    expect(outputs(path.join(b, "out"))).toEqual(outputs(path.join(a, "out")));
  });

  // Eight runs: a quiet machine takes about 30 s, a loaded one several minutes.
  it("resumes after SIGKILL in every phase, mid-task, with outputs identical to an uninterrupted run", { timeout: 600_000 }, () => {
    const clean = tmpDir();
    expect(korpipe(["run", writeConfig(clean), "--tasks", "5", "--workers", "1"]).status).toBe(3);
    const want = outputs(path.join(clean, "out"));

    // PHASE:TASK:DOCS: the run kills itself once that task has passed that many documents (0: as
    // the task starts), a deterministic point wherever the machine's load puts it in time.
    const killPoints = ["prepare:0:3", "prepare:3:1", "dedup-pairs:0:0", "dedup-clusters:0:0", "finalize:0:5", "finalize:4:1"];
    for (const point of killPoints) {
      const dir = tmpDir();
      const config = writeConfig(dir);
      const killed = korpipe(["run", config, "--tasks", "5", "--workers", "1"], { env: { KORPIPE_TEST_KILL_AT: point } });
      expect(killed.status, `killed at ${point}: ${killed.stderr}`).toBe(null);
      expect(existsSync(path.join(dir, "out", "report.json")), `${point}: not finished before the kill`).toBe(false);
      const again = korpipe(["run", config, "--tasks", "5", "--workers", "2"]);
      expect(again.status, again.stderr).toBe(3);
      expect(outputs(path.join(dir, "out")), `resumed after a kill at ${point}`).toEqual(want);
    }
  });

  it("spreads one big file over several tasks, with the same shards as one task", () => {
    const dir = tmpDir();
    const big = path.join(dir, "big.jsonl");
    const lines = readFileSync(path.join(ROOT, "samples/corpus/news.jsonl"), "utf8").trim().split("\n");
    writeFileSync(big, [...lines, ...lines.slice(0, 40)].join("\n") + "\n");
    const one = tmpDir();
    const three = tmpDir();
    expect(korpipe(["run", writeConfig(one, { inputs: [big] }), "--tasks", "1"]).status).toBe(3);
    const r = korpipe(["run", writeConfig(three, { inputs: [big] }), "--tasks", "3"]);
    expect(r.stderr).toContain("1 file(s), 0.1 MB, 3 task(s)");
    expect(outputs(path.join(three, "out"))).toEqual(outputs(path.join(one, "out")));
    // Without tokenize, each task writes its part of the file.
    const jsonl = tmpDir();
    expect(korpipe(["run", writeConfig(jsonl, { inputs: [big], stages: [{ stage: "normalize" }] }), "--tasks", "3"]).status).toBe(3);
    expect(readdirSync(path.join(jsonl, "out", "data")).sort()).toEqual(["big.part-00000.jsonl", "big.part-00001.jsonl", "big.part-00002.jsonl"]);
  });

  it("refuses to resume into an output directory made by a different config unless --force", () => {
    const dir = tmpDir();
    const config = writeConfig(dir);
    expect(korpipe(["run", config, "--tasks", "2"]).status).toBe(3);
    const changed = writeConfig(dir, { compression: "gzip", stages: [{ stage: "normalize" }] });
    const r = korpipe(["run", changed, "--tasks", "2"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/different config.*--force/);
    const forced = korpipe(["run", changed, "--tasks", "2", "--force"]);
    expect(forced.status, forced.stderr).toBe(3);
    expect(existsSync(path.join(dir, "out", "data", "news.jsonl.gz"))).toBe(true);
  });

  it("names the config key that is wrong", () => {
    const dir = tmpDir();
    const config = writeConfig(dir, { stages: [{ stage: "normalize" }, { stage: "filter", minChars: "many" }] });
    const r = korpipe(["run", config]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/stages\[1\]\.minChars: Expected number/);
    const unknown = writeConfig(dir, { stages: [{ stage: "normalise" }] });
    expect(korpipe(["run", unknown]).stderr).toMatch(/stages\[0\]\.stage/);
    const typo = writeConfig(dir, { ouput: "x" });
    expect(korpipe(["run", typo]).stderr).toMatch(/unknown key\(s\) "ouput"/);
  });

  it("checks the privacy tokens against the tokenizer before any work starts", () => {
    const dir = tmpDir();
    const config = writeConfig(dir, {
      stages: [{ stage: "scrub", privacyTokens: "rrn=<|rrn|>,tell=<|phone|>,acc=<|acc|>" }, { stage: "tokenize", tokenizer: path.join(ROOT, "samples/tokenizer.json") }],
    });
    const r = korpipe(["run", config]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("<|phone|>");
    expect(existsSync(path.join(dir, "out", ".korpipe", "done"))).toBe(false);
  });

  it("prints an example config with the defaults", () => {
    const r = korpipe(["run", "--print-config"]);
    expect(r.status).toBe(0);
    const cfg = JSON.parse(r.stdout);
    expect(cfg.stages.map((s: { stage: string }) => s.stage)).toEqual(["normalize", "filter", "scrub", "dedup", "tokenize"]);
    expect(cfg.stages[1]).toMatchObject({ stage: "filter", preset: "korean-web", minChars: 50 });
    // What it prints is a valid config that means the same thing.
    const dir = tmpDir();
    writeFileSync(path.join(dir, "printed.json"), JSON.stringify({ ...cfg, inputs: [path.join(dir, "none.jsonl")] }));
    writeFileSync(path.join(dir, "none.jsonl"), "");
    expect(korpipe(["run", path.join(dir, "printed.json"), "--tasks", "1"], { cwd: dir }).stderr).not.toMatch(/stages\[/);
  });

  it("reports per-phase task state with korpipe status", () => {
    const dir = tmpDir();
    const config = writeConfig(dir);
    korpipe(["run", config, "--tasks", "2"]);
    const r = korpipe(["status", path.join(dir, "out")]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/prepare\s+2\/2 done/);
    expect(r.stdout).toContain("all tasks done");
  });
});

