/**
 * No unscrubbed text at rest and none in messages: configs that would spill raw text between phases
 * are refused with the reason, every scrub stage's tokens are checked against the tokenizer, and no
 * file under an output directory holds a planted personal number.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { korpipe, ROOT } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";
import { allFiles, filesWithPlantedNumbers, records, writeDataDir, writePipeline } from "./corpus.js";

const TOKENIZER = path.join(ROOT, "samples/tokenizer.json");

function setup(stages: unknown[], n = 16): { dir: string; config: string; out: string } {
  const dir = tmpDir();
  const data = writeDataDir(dir, { "a.jsonl": records("a", n) });
  return { dir, ...writePipeline(dir, [data], stages) };
}

const errorLines = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("korpipe: error:"));

describe("no unscrubbed text at rest", () => {
  it("refuses a run that dedups before it scrubs, saying why, before writing anything", () => {
    const { config, out } = setup([{ stage: "normalize" }, { stage: "dedup" }, { stage: "scrub" }]);
    const r = korpipe(["run", config, "--no-progress"]);
    expect(r.status).toBe(1);
    expect(errorLines(r.stderr)).toEqual([
      `korpipe: error: ${config}: stages[2]: scrub comes after dedup, so every document would be stored on disk between phases with its personal information; ` +
        "move the scrub stage before dedup (dedup then compares scrubbed text, which changes only the numbers)",
    ]);
    expect(allFiles(path.dirname(out)).filter((f) => f.startsWith(out))).toEqual([]);
  });

  it("leaves no planted number in any file of a scrub-then-dedup run, work directory and logs included", () => {
    const { config, out } = setup([{ stage: "normalize" }, { stage: "scrub" }, { stage: "dedup" }, { stage: "tokenize", tokenizer: TOKENIZER }]);
    const r = korpipe(["run", config, "--tasks", "2", "--no-progress"]);
    expect(r.status, r.stderr).toBe(0);
    expect(filesWithPlantedNumbers(out, 16)).toEqual([]);
  });

  it("korpipe scrub with gzip output leaves no planted number on disk", () => {
    const { dir } = setup([]);
    const out = path.join(dir, "scrubbed");
    const r = korpipe(["scrub", path.join(dir, "data"), "-o", out, "--compression", "gzip", "--no-progress"]);
    expect(r.status, r.stderr).toBe(0);
    expect(filesWithPlantedNumbers(out, 16)).toEqual([]);
  });
});

describe("the privacy-token check covers what scrub emits", () => {
  it("refuses a scrub stage writing [TEL] even when tokenize names a preset the tokenizer knows", () => {
    const { config } = setup([
      { stage: "scrub", privacyTokens: "tell=[TEL]" },
      { stage: "tokenize", tokenizer: TOKENIZER, privacyTokens: "default" },
    ]);
    const r = korpipe(["run", config, "--no-progress"]);
    expect(r.status).toBe(1);
    const lines = errorLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^korpipe: error: stages\[0\] \(scrub\): .*tell token \[TEL\] is not a special token of this tokenizer/);
  });
});
