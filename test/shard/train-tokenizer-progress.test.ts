import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { korpipe } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";

describe("korpipe train-tokenizer, said out loud", () => {
  it("shows the merge phase's progress up to the vocabulary size", () => {
    const dir = tmpDir();
    const out = path.join(dir, "tok.json");
    const corpus = path.join(dir, "corpus.txt");
    const words = ["도서관", "독서", "모임", "참가자", "소개", "이야기", "서울", "작은", "좋아하는", "책을"];
    writeFileSync(corpus, Array.from({ length: 300 }, (_, i) => `${words[i % 10]} ${words[(i * 3) % 10]} ${words[(i * 7) % 10]} 문장 ${i}`).join("\n") + "\n");
    const r = korpipe(["train-tokenizer", corpus, "-o", out, "--vocab-size", "340"], { env: { KORPIPE_PROGRESS_SECONDS: "0" } });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("train-tokenizer: learning merges"));
    expect(lines.length).toBeGreaterThan(10);
    expect(lines[lines.length - 1]).toBe("train-tokenizer: learning merges, vocabulary 340 / 340 (100%)");
  });

  it("says in --help that --vocab-size is required", () => {
    expect(korpipe(["train-tokenizer", "--help"]).stdout).toMatch(/--vocab-size <n>\s+\(required\)/);
  });
});
