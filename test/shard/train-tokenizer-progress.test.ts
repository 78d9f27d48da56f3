import path from "node:path";
import { describe, expect, it } from "vitest";
import { korpipe } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";

describe("korpipe train-tokenizer, said out loud", () => {
  it("shows the merge phase's progress up to the vocabulary size", () => {
    const out = path.join(tmpDir(), "tok.json");
    const r = korpipe(["train-tokenizer", "samples/corpus/news.jsonl", "-o", out, "--vocab-size", "600"], { env: { KORPIPE_PROGRESS_SECONDS: "0" } });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("train-tokenizer: learning merges"));
    expect(lines.length).toBeGreaterThan(10);
    expect(lines[lines.length - 1]).toBe("train-tokenizer: learning merges, vocabulary 600 / 600 (100%)");
  });

  it("says in --help that --vocab-size is required", () => {
    expect(korpipe(["train-tokenizer", "--help"]).stdout).toMatch(/--vocab-size <n>\s+\(required\)/);
  });
});
