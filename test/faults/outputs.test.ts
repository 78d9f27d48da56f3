/**
 * Outputs never touch inputs and never collide: refusals come before any work, on one line naming
 * what clashes; an output directory is a valid input of the next command (chaining).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { korpipe, ROOT } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";
import { allFiles, filesWithPlantedNumbers, idsIn, records, sorted, writeDataDir, writeJsonl, writePipeline } from "./corpus.js";

const TOKENIZER = path.join(ROOT, "samples/tokenizer.json");

function corpusIn(dir: string, n = 12): string {
  return writeDataDir(dir, { "a.jsonl": records("a", n / 2), "sub/b.jsonl": records("b", n / 2, n / 2) });
}

const errorLine = (stderr: string) => stderr.trim().split("\n").filter((l) => l.startsWith("korpipe: error:"));

describe("outputs never touch inputs", () => {
  it.each(["clean", "scrub", "dedup"])("%s refuses -o equal to an input directory, before writing anything", (command) => {
    const dir = tmpDir();
    const data = corpusIn(dir);
    const before = allFiles(data);
    const r = korpipe([command, data, "-o", data, "--no-progress"]);
    expect(r.status).toBe(1);
    expect(errorLine(r.stderr)).toEqual([
      `korpipe: error: the output ${data} is or contains the input ${data}; korpipe would overwrite or reread its own input: choose an output outside the inputs`,
    ]);
    expect(allFiles(data)).toEqual(before);
  });

  it("refuses an output directory that holds an input file named on the command line", () => {
    const dir = tmpDir();
    const data = corpusIn(dir);
    const r = korpipe(["clean", path.join(data, "sub", "b.jsonl"), "-o", path.join(data, "sub"), "--no-progress"]);
    expect(r.status).toBe(1);
    expect(errorLine(r.stderr)[0]).toContain(`is or contains the input ${path.join(data, "sub", "b.jsonl")}`);
  });

  it("leaves an output directory inside the input directory out of every rerun (kept stays 12, not 24, 36)", () => {
    const dir = tmpDir();
    const data = corpusIn(dir);
    const out = path.join(data, "out");
    for (let i = 0; i < 3; i++) {
      const r = korpipe(["clean", data, "-o", out, "--no-progress"]);
      expect(r.status, r.stderr).toBe(0);
      const stats = JSON.parse(readFileSync(path.join(out, "stats.json"), "utf8"));
      expect(stats.totals.docs_in).toBe(12);
      expect(stats.inputs.some((f: string) => f.includes(`${path.sep}out${path.sep}`))).toBe(false);
    }
  });

  it("run refuses an output directory equal to an input", () => {
    const dir = tmpDir();
    const data = corpusIn(dir);
    const config = path.join(dir, "p.json");
    writeFileSync(config, JSON.stringify({ inputs: [data], output: data, stages: [{ stage: "normalize" }] }));
    const r = korpipe(["run", config, "--no-progress"]);
    expect(r.status).toBe(1);
    expect(errorLine(r.stderr)[0]).toContain("is or contains the input");
    expect(existsSync(path.join(data, ".korpipe"))).toBe(false);
  });
});

describe("output names are planned", () => {
  it("run refuses x.jsonl and x.ndjson in separate tasks, naming both, before any task runs", () => {
    const dir = tmpDir();
    const data = writeDataDir(dir, { "x.jsonl": records("x", 4), "x.ndjson": records("y", 4, 4) });
    const { config, out } = writePipeline(dir, [data], [{ stage: "normalize" }], { tasks: 2 });
    for (const workers of ["1", "2"]) {
      const r = korpipe(["run", config, "--workers", workers, "--no-progress"]);
      expect(r.status).toBe(1);
      expect(errorLine(r.stderr)).toEqual([
        `korpipe: error: ${path.join(data, "x.jsonl")} and ${path.join(data, "x.ndjson")} would both be written to ${path.join(out, "data", "x.jsonl")}; rename one of them or run them separately`,
      ]);
      expect(existsSync(path.join(out, "data"))).toBe(false);
    }
  });

  it("clean refuses an input that would be written over its own filtered.jsonl", () => {
    const dir = tmpDir();
    const data = writeDataDir(dir, { "filtered.jsonl": records("f", 3) });
    const r = korpipe(["clean", data, "-o", path.join(dir, "out"), "--no-progress"]);
    expect(r.status).toBe(1);
    expect(errorLine(r.stderr)).toEqual([
      `korpipe: error: ${path.join(data, "filtered.jsonl")} would be written to ${path.join(dir, "out", "filtered.jsonl")}, where korpipe writes its own filtered.jsonl; rename the input or put it in a subdirectory`,
    ]);
  });
});

describe("chaining: an output directory is the next command's input", () => {
  it("clean → scrub → dedup → tokenize reads only documents, never stats.json, rejects or filtered lists", () => {
    const dir = tmpDir();
    const data = corpusIn(dir, 20);
    writeJsonl(path.join(data, "broken.jsonl"), ["{not json", ...records("c", 2, 20)]);
    const A = path.join(dir, "A");
    const B = path.join(dir, "B");
    const C = path.join(dir, "C");
    expect(korpipe(["clean", data, "-o", A, "--no-progress"]).status).toBe(3);
    const s = korpipe(["scrub", A, "-o", B, "--no-progress"]);
    expect(s.status, s.stderr).toBe(0); // nothing of A's side files was read as a broken record
    const d = korpipe(["dedup", B, "-o", C, "--no-progress"]);
    expect(d.status, d.stderr).toBe(0);
    const dataFiles = (root: string) => allFiles(root).filter((f) => f.endsWith(".jsonl") && !["stats.json", "rejects.jsonl", "filtered.jsonl", "duplicates.jsonl"].includes(path.basename(f)));
    const removed = idsIn([path.join(C, "duplicates.jsonl")]);
    expect(sorted([...idsIn(dataFiles(C)), ...removed])).toEqual(sorted([...records("a", 10), ...records("b", 10, 10), ...records("c", 2, 20)].map((r) => r.id)));
    // .korpipe holds the plan and task markers (korpipe status C), never documents.
    expect(readdirSync(C).sort()).toEqual([".korpipe", "a.jsonl", "broken.jsonl", "duplicates.jsonl", "filtered.jsonl", "rejects.jsonl", "report.html", "stats.json", "sub"]);
    expect(filesWithPlantedNumbers(C, 22)).toEqual([]);
    const t = korpipe(["tokenize", C, "-o", path.join(dir, "T", "ko"), "--tokenizer", TOKENIZER, "--no-progress"]);
    expect(t.status, t.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, "T", "ko.report", "stats.json"), "utf8")).totals.docs_out).toBe(22 - removed.length);
  });

  it("a run's output directory feeds korpipe clean with its data/ files only", () => {
    const dir = tmpDir();
    const data = corpusIn(dir);
    const config = path.join(dir, "p.json");
    const out = path.join(dir, "out");
    writeFileSync(config, JSON.stringify({ inputs: [data], output: out, stages: [{ stage: "normalize" }, { stage: "scrub" }], tasks: 2 }));
    expect(korpipe(["run", config, "--no-progress"]).status).toBe(0);
    const r = korpipe(["clean", out, "-o", path.join(dir, "again"), "--no-progress"]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, "again", "stats.json"), "utf8")).totals.docs_in).toBe(12);
  });
});
