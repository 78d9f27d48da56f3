import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { korpipe } from "../helpers/cli.js";
import { Rng, koreanWords, koreanText, substituteWords } from "./synthetic-korean.js";

let dir: string;
let small: string[];
let large: string;

const writeJsonl = (file: string, records: object[]) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
};

/** Two small files with exact and near copies of the first in the second. */
function writeSmallCorpus(): string[] {
  const a: object[] = [];
  const b: object[] = [];
  for (let i = 0; i < 300; i++) {
    const text = koreanText(10_000 + i, 80);
    a.push({ id: `a${i}`, text, source: "blog" });
    if (i % 10 === 0) b.push({ id: `b-exact${i}`, text, source: "news" });
    if (i % 10 === 1) b.push({ id: `b-near${i}`, text: substituteWords(text, 1, i), source: "news" });
    if (i % 10 === 2) b.push({ id: `b-own${i}`, text: koreanText(20_000 + i, 80), source: "news" });
  }
  const files = [path.join(dir, "small", "a.jsonl"), path.join(dir, "small", "b.jsonl")];
  writeJsonl(files[0]!, a);
  writeJsonl(files[1]!, b);
  return files;
}

/** About 7 MB of short documents: enough bucket records to pass a 16 MiB budget. */
function writeLargeCorpus(): string {
  const rng = new Rng(77);
  const records: object[] = [];
  const texts: string[] = [];
  for (let i = 0; i < 42_000; i++) {
    let text: string;
    if (i > 100 && i % 9 === 0) text = texts[rng.int(texts.length)]!;
    else if (i > 100 && i % 9 === 1) {
      const words = texts[rng.int(texts.length)]!.split(" ");
      words[rng.int(words.length)] = "또한";
      text = words.join(" ");
    } else text = koreanWords(rng, 18).join(" ");
    texts.push(text);
    records.push({ id: `L${i}`, text });
  }
  const file = path.join(dir, "large", "corpus.jsonl");
  writeJsonl(file, records);
  return file;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "korpipe-dedup-cli-"));
  small = writeSmallCorpus();
  large = writeLargeCorpus();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (file: string) => readFileSync(file, "utf8");
const lines = (file: string) => read(file).split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const statsOf = (out: string) => JSON.parse(read(path.join(out, "stats.json"))) as {
  identity_holds: boolean;
  stages: { name: string; docs_in: number; docs_out: number; duplicates: number }[];
  sections: { dedup: Record<string, unknown> & { settings: Record<string, unknown> } };
};

/** Everything a run wrote that must not depend on workers or memory: outputs, duplicates, dedup counts. */
function results(out: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of readdirSync(out, { recursive: true }) as string[]) {
    if (f.endsWith(".jsonl") && !f.startsWith(".korpipe")) files[f] = read(path.join(out, f));
  }
  const { sort_spills, settings, ...counts } = statsOf(out).sections.dedup;
  const { memory_mb, ...rest } = settings;
  files["dedup-section"] = JSON.stringify({ counts, rest });
  return files;
}

describe("korpipe dedup", () => {
  it("writes the kept documents, duplicates.jsonl and a stats.json that accounts for every document", () => {
    const out = path.join(dir, "out-basic");
    const r = korpipe(["dedup", ...small, "-o", out, "--workers", "0"]);
    expect(r.stderr).toContain("dedup      390 in | 330 out | 60 duplicates");
    expect(r.status).toBe(0);
    const kept = lines(path.join(out, "b.jsonl"));
    expect(kept.map((d) => d.id)).toEqual(Array.from({ length: 30 }, (_, i) => `b-own${i * 10 + 2}`));
    expect(kept[0]).toMatchObject({ source: "news" });
    expect(lines(path.join(out, "a.jsonl"))).toHaveLength(300);
    const dups = lines(path.join(out, "duplicates.jsonl"));
    expect(dups).toHaveLength(60);
    expect(dups[0]).toEqual({ id: "b-exact0", duplicate_of: "a0", similarity_estimate: 1, kind: "exact" });
    expect(dups[1]).toMatchObject({ id: "b-near1", duplicate_of: "a1", kind: "near" });
    expect(dups[1]!.similarity_estimate as number).toBeGreaterThan(0.8);
    const stats = statsOf(out);
    expect(stats.identity_holds).toBe(true);
    expect(stats.stages.map((s) => [s.name, s.docs_in, s.docs_out, s.duplicates])).toEqual([
      ["read", 390, 390, 0],
      ["dedup", 390, 330, 60],
    ]);
    expect(stats.sections.dedup).toMatchObject({ clusters: 60, removed: 60, removed_exact: 30, removed_near: 30, cluster_size_histogram: { "2": 60 } });
    // Intermediate files go once the run is done; the plan and task markers stay for status and reruns.
    expect(existsSync(path.join(out, ".korpipe", "work"))).toBe(false);
    expect(existsSync(path.join(out, ".korpipe", "plan.json"))).toBe(true);
  });

  it("gives byte-identical results with 1 and 2 worker threads", () => {
    const one = path.join(dir, "out-w1");
    const two = path.join(dir, "out-w2");
    expect(korpipe(["dedup", large, "-o", one, "--workers", "1"]).status).toBe(0);
    expect(korpipe(["dedup", large, "-o", two, "--workers", "2"]).status).toBe(0);
    const a = results(one);
    expect(Object.keys(a).sort()).toEqual(["corpus.jsonl", "dedup-section", "duplicates.jsonl", "filtered.jsonl", "rejects.jsonl"]);
    expect(lines(path.join(one, "duplicates.jsonl")).length).toBeGreaterThan(5000);
    expect(results(two)).toEqual(a);
  });

  it("with --memory-mb 16 spills to disk and gives the same result as with the default", () => {
    const spilled = path.join(dir, "out-m16");
    const roomy = path.join(dir, "out-m1024");
    // One task holds every bucket record: enough to pass a 16 MiB budget.
    expect(korpipe(["dedup", large, "-o", spilled, "--memory-mb", "16", "--tasks", "1"]).status).toBe(0);
    expect(korpipe(["dedup", large, "-o", roomy, "--tasks", "1"]).status).toBe(0);
    expect(statsOf(spilled).sections.dedup.sort_spills).toBeGreaterThan(0);
    expect(statsOf(roomy).sections.dedup.sort_spills).toBe(0);
    expect(results(spilled)).toEqual(results(roomy));
  });

  it("after a kill, the same command resumes from the finished tasks and gives the uninterrupted result", () => {
    const whole = path.join(dir, "out-uninterrupted");
    expect(korpipe(["dedup", ...small, "-o", whole, "--tasks", "3"]).status).toBe(0);
    const out = path.join(dir, "out-killed");
    const killed = korpipe(["dedup", ...small, "-o", out, "--tasks", "3", "--workers", "1"], { env: { KORPIPE_TEST_KILL_AT: "finalize:1:20" } });
    expect(killed.status, killed.stderr).toBe(null); // SIGKILLed
    expect(existsSync(path.join(out, "stats.json"))).toBe(false);
    const status = korpipe(["status", out]);
    expect(status.stdout).toMatch(/prepare\s+3\/3 done/);
    expect(status.status).toBe(2);
    const r = korpipe(["dedup", ...small, "-o", out, "--tasks", "3"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("prepare: all 3 task(s) already done");
    expect(results(out)).toEqual(results(whole));
    expect(statsOf(out).stages[0]).toMatchObject({ name: "read", docs_in: 390 });
  });

  it("rebuilds a damaged intermediate file on resume by redoing the task that wrote it", () => {
    const out = path.join(dir, "out-damaged");
    const work = path.join(dir, "work-damaged");
    const killed = korpipe(["dedup", ...small, "-o", out, "--work-dir", work, "--tasks", "2", "--workers", "1"], { env: { KORPIPE_TEST_KILL_AT: "finalize:0:0" } });
    expect(killed.status, killed.stderr).toBe(null); // SIGKILLed
    const signatures = path.join(work, "dedup", "tasks", "task-00001", "sigs.bin");
    const bytes = readFileSync(signatures);
    bytes[bytes.length - 30] ^= 0xff;
    writeFileSync(signatures, bytes);
    const r = korpipe(["dedup", ...small, "-o", out, "--work-dir", work, "--tasks", "2"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("rebuilding missing or damaged intermediate files");
    expect(statsOf(out).sections.dedup.removed).toBe(60);
    expect(existsSync(work)).toBe(false);
  });

  it("refuses to resume over inputs that changed, and starts over with --force", () => {
    const input = path.join(dir, "changing", "a.jsonl");
    mkdirSync(path.dirname(input), { recursive: true });
    writeFileSync(input, read(small[0]!));
    const out = path.join(dir, "out-changed");
    expect(korpipe(["dedup", input, "-o", out]).status).toBe(0);
    writeFileSync(input, read(small[0]!) + read(small[1]!));
    const refused = korpipe(["dedup", input, "-o", out]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("holds a run over inputs that changed since");
    const r = korpipe(["dedup", input, "-o", out, "--force"]);
    expect(r.status).toBe(0);
    expect(statsOf(out).sections.dedup.removed).toBe(60);
  });

  it("removes only exact copies with --exact-only", () => {
    const out = path.join(dir, "out-exact");
    expect(korpipe(["dedup", ...small, "-o", out, "--exact-only"]).status).toBe(0);
    expect(lines(path.join(out, "duplicates.jsonl")).map((d) => d.kind)).toEqual(Array(30).fill("exact"));
  });

  it("explains the bands, rows and S-curve in --help", () => {
    const r = korpipe(["dedup", "--help"]);
    expect(r.stdout).toContain("20 bands x 8 rows = 160 permutations");
    expect(r.stdout).toMatch(/P\(candidate\)\s+0\.\d{3}/);
    expect(r.stdout).toContain("--memory-mb <n>");
  });

  it("rejects a malformed --shingle with a one-line error", () => {
    const r = korpipe(["dedup", ...small, "-o", path.join(dir, "out-bad"), "--shingle", "token:5"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("expected word:N or char:N");
  });
});
