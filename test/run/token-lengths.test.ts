import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { summarizeTokenLengths } from "../../src/run/report/index.js";
import { runPipeline } from "../../src/run/run-pipeline.js";
import { DatasetWriter, readIndexedDataset } from "../../src/shard/indexed-dataset.js";
import { ROOT } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";

/** Writes a dataset whose documents have the given token counts. */
function dataset(file: string, lengths: number[]): string {
  const w = new DatasetWriter(file, "uint16", 1 << 16);
  const ids = new Uint16Array(lengths.reduce((a, b) => Math.max(a, b), 0)).fill(7);
  for (const n of lengths) w.append(ids.subarray(0, n));
  w.finish();
  return file;
}

/** Nearest rank, computed the plain way: sort every length and index. */
function nearestRank(all: number[], p: number): number {
  const sorted = [...all].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
}

describe("token lengths read from the written .idx", () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  // Mostly short documents and a tail beyond every context length, over two shards.
  const first = Array.from({ length: 700 }, () => 1 + Math.floor(2 ** (rand() * 14)));
  const second = Array.from({ length: 333 }, () => 1 + Math.floor(2 ** (rand() * 13.5)));

  it("gives exact nearest-rank percentiles and shares beyond 2,048, 4,096 and 8,192 tokens over a list of datasets", () => {
    const dir = tmpDir();
    const paths = [dataset(path.join(dir, "a_text_document"), first), dataset(path.join(dir, "b_text_document"), second)];
    const all = [...first, ...second];
    const s = summarizeTokenLengths(paths)!;
    expect(s.datasets).toBe(2);
    expect(s.documents).toBe(all.length);
    expect(s.tokens).toBe(all.reduce((a, b) => a + b, 0));
    expect([s.p50, s.p90, s.p99]).toEqual([nearestRank(all, 50), nearestRank(all, 90), nearestRank(all, 99)]);
    expect([s.min, s.max]).toEqual([Math.min(...all), Math.max(...all)]);
    for (const limit of [2048, 4096, 8192]) {
      expect(s.longer_than[String(limit)]).toBe(all.filter((n) => n > limit).length);
      expect(s.longer_than[String(limit)]).toBeGreaterThan(0);
    }
  });

  it("agrees with the dataset reader on a dataset larger than one read chunk", () => {
    const dir = tmpDir();
    const lengths = Array.from({ length: (1 << 20) + 5 }, (_, i) => 1 + (i % 9));
    const p = dataset(path.join(dir, "big_text_document"), lengths);
    const s = summarizeTokenLengths([p])!;
    const sizes = [...readIndexedDataset(p).sizes];
    expect(s.documents).toBe(sizes.length);
    expect(s.tokens).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(s.max).toBe(9);
  });

  it("has nothing to say about datasets without documents", () => {
    expect(summarizeTokenLengths([dataset(path.join(tmpDir(), "e_text_document"), [])])).toBeUndefined();
  });

  it("refuses a damaged index, naming the file", () => {
    const p = dataset(path.join(tmpDir(), "d_text_document"), [3, 4, 5]);
    const idx = readFileSync(`${p}.idx`);
    writeFileSync(`${p}.idx`, idx.subarray(0, idx.length - 3));
    expect(() => summarizeTokenLengths([p])).toThrow(`${p}.idx`);
  });
});

describe("a run's report.json and report.html", () => {
  it("carry the tokenizer, the exact token total, token-length percentiles measured on the shards and the config used", async () => {
    const dir = tmpDir();
    const input = path.join(dir, "in.jsonl");
    const docs = Array.from({ length: 30 }, (_, i) => ({ id: `d${i}`, text: `${i}번째 문서입니다. ${"한국어 말뭉치의 문장이 이어집니다. ".repeat(1 + (i % 9) * 3)}` }));
    writeFileSync(input, docs.map((d) => JSON.stringify(d)).join("\n") + "\n");
    const out = path.join(dir, "out");
    const tokenizer = path.join(ROOT, "samples/tokenizer.json");
    const config = { inputs: [input], output: out, stages: [{ stage: "normalize" }, { stage: "tokenize", tokenizer }] };
    await runPipeline(config, { workers: 1 });

    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8"));
    const sizes = [...readIndexedDataset(path.join(out, "corpus_text_document")).sizes];
    expect(report.sections.token_lengths).toMatchObject({
      documents: sizes.length,
      tokens: sizes.reduce((a, b) => a + b, 0),
      p50: nearestRank(sizes, 50),
      p99: nearestRank(sizes, 99),
      max: Math.max(...sizes),
    });
    expect(report.sections.tokenize.tokenizer).toBe(tokenizer);
    expect(report.sections.config.stages.map((s: { stage: string }) => s.stage)).toEqual(["normalize", "tokenize"]);

    const html = readFileSync(path.join(out, "report.html"), "utf8");
    const total = sizes.reduce((a, b) => a + b, 0).toLocaleString("en-US");
    expect(html).toContain(`<th scope="row">tokens</th><td title="including ${sizes.length} end-of-document tokens">${total}</td>`);
    expect(html).toContain(`${nearestRank(sizes, 50)} / ${nearestRank(sizes, 90)} / ${nearestRank(sizes, 99)} / ${Math.max(...sizes)} tokens`);
    expect(html).not.toContain("말뭉치");
  });
});
