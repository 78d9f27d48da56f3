import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { korpipe } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";
import { samplePipeline, SAMPLE_TOKENIZER } from "../helpers/pipeline-run.js";
import { readIndexedDataset, verifyIndexedDataset } from "../../src/shard/indexed-dataset.js";
import type { ShardManifest } from "../../src/run/phases/sharded-output.js";

const SHARD_TOKENS = 4000;
const sharded = (dir: string, extra: Record<string, unknown> = {}) =>
  samplePipeline(dir, {
    stages: [{ stage: "normalize" }, { stage: "filter" }, { stage: "scrub" }, { stage: "dedup" }, { stage: "tokenize", tokenizer: SAMPLE_TOKENIZER, shardTokens: SHARD_TOKENS }],
    ...extra,
  });

/** Every file the run leaves in OUTPUT except the report (it holds timings), as base64. */
function outputFiles(out: string): Record<string, string> {
  const names = readdirSync(out).filter((f) => !f.startsWith(".") && !f.startsWith("report."));
  return Object.fromEntries(names.sort().map((f) => [f, readFileSync(path.join(out, f)).toString("base64")]));
}

const manifestOf = (out: string) => JSON.parse(readFileSync(path.join(out, "corpus_shards.json"), "utf8")) as ShardManifest;

describe("korpipe run with tokenize.shardTokens", () => {
  it("writes numbered shards within the token limit and a manifest GPT-NeoX takes as train_data_paths/weights", () => {
    const dir = tmpDir();
    const r = korpipe(["run", sharded(dir), "--tasks", "3"]);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toContain("corpus_shards.json");
    const out = path.join(dir, "out");
    const m = manifestOf(out);
    expect(m.shards.length).toBeGreaterThan(3);
    expect(m.train_data_paths).toEqual(m.shards.map((_, i) => `corpus-${String(i).padStart(5, "0")}_text_document`));
    for (const [i, s] of m.shards.entries()) {
      const dataset = path.join(out, m.train_data_paths[i]!);
      expect(verifyIndexedDataset(dataset)).toEqual([]);
      const found = readIndexedDataset(dataset);
      expect({ documents: found.documents, tokens: found.tokens }).toEqual({ documents: s.documents, tokens: s.tokens });
      expect(s.documents).toBeGreaterThan(0);
      // A shard passes the limit only when it holds one document longer than the limit.
      if (s.documents > 1) expect(s.tokens).toBeLessThanOrEqual(SHARD_TOKENS);
      expect(m.train_data_weights[i]).toBeCloseTo(s.tokens / m.tokens, 12);
    }
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8"));
    expect(m.documents).toBe(report.totals.docs_out);
    expect(m.tokens).toBe(m.shards.reduce((a, s) => a + s.tokens, 0));
    expect(existsSync(path.join(out, "corpus_text_document.bin"))).toBe(false);
  }, 120_000);

  it("holds the same documents, in the same order, as the single merged dataset", () => {
    const one = tmpDir();
    const many = tmpDir();
    expect(korpipe(["run", samplePipeline(one), "--tasks", "3"]).status).toBe(3);
    expect(korpipe(["run", sharded(many), "--tasks", "3"]).status).toBe(3);
    const bins = manifestOf(path.join(many, "out")).train_data_paths.map((p) => readFileSync(path.join(many, "out", `${p}.bin`)));
    expect(Buffer.concat(bins).equals(readFileSync(path.join(one, "out", "corpus_text_document.bin")))).toBe(true);
  }, 120_000);

  it("gives byte-identical shards and manifest with 1 and 2 workers and after a kill in finalize", () => {
    const a = tmpDir();
    const b = tmpDir();
    expect(korpipe(["run", sharded(a), "--tasks", "4", "--workers", "1"]).status).toBe(3);
    expect(korpipe(["run", sharded(b), "--tasks", "4", "--workers", "2"]).status).toBe(3);
    const want = outputFiles(path.join(a, "out"));
    expect(outputFiles(path.join(b, "out"))).toEqual(want);
    // Killed mid-task in finalize (task 2, after 5 documents), then resumed with another worker count.
    const dir = tmpDir();
    const config = sharded(dir);
    const killed = korpipe(["run", config, "--tasks", "4", "--workers", "1"], { env: { KORPIPE_TEST_KILL_AT: "finalize:2:5" } });
    expect(killed.status, killed.stderr).toBe(null);
    expect(existsSync(path.join(dir, "out", "corpus_shards.json"))).toBe(false);
    const again = korpipe(["run", config, "--tasks", "4", "--workers", "2"]);
    expect(again.status, again.stderr).toBe(3);
    expect(outputFiles(path.join(dir, "out"))).toEqual(want);
  }, 240_000);

  it("finishes a report phase that stopped after numbering the shards with the same files", () => {
    const dir = tmpDir();
    const config = sharded(dir);
    expect(korpipe(["run", config, "--tasks", "3", "--keep-work"]).status).toBe(3);
    const out = path.join(dir, "out");
    const want = outputFiles(out);
    // Every shard already has its final name; only the report's completion marker is missing.
    rmSync(path.join(out, ".korpipe", "done", "report"), { recursive: true });
    const again = korpipe(["run", config, "--tasks", "3"]);
    expect(again.status, again.stderr).toBe(3);
    expect(again.stderr).toContain("report: 1 task(s) done");
    expect(outputFiles(out)).toEqual(want);
  }, 120_000);

  it("removes numbered shards an earlier, longer run left under the same prefix", () => {
    const dir = tmpDir();
    expect(korpipe(["run", sharded(dir), "--tasks", "3"]).status).toBe(3);
    const before = manifestOf(path.join(dir, "out")).shards.length;
    const fewer = samplePipeline(dir, {
      stages: [{ stage: "normalize" }, { stage: "tokenize", tokenizer: SAMPLE_TOKENIZER, shardTokens: SHARD_TOKENS * 4 }],
    });
    expect(korpipe(["run", fewer, "--tasks", "3", "--force"]).status).toBe(3);
    const m = manifestOf(path.join(dir, "out"));
    expect(m.shards.length).toBeLessThan(before);
    const onDisk = readdirSync(path.join(dir, "out")).filter((f) => f.endsWith(".idx")).sort();
    expect(onDisk).toEqual(m.train_data_paths.map((p) => `${p}.idx`));
  }, 120_000);
});
