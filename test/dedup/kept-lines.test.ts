import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { decompress } from "zstd-napi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { korpipe } from "../helpers/cli.js";
import { koreanText } from "./synthetic-korean.js";

let dir: string;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "korpipe-kept-lines-"));
});

/**
 * Input lines as a user might have written them, each with what `korpipe dedup` must do with it:
 * keep it byte for byte, drop it (duplicate, reject, blank), or keep it with the derived id added.
 */
function corpusLines(): { line: string; fate: "keep" | "drop" | "derived-id" | "bare-string" }[] {
  const t = (seed: number) => koreanText(seed, 40);
  return [
    { line: `{"text": "${t(1)}", "id": "spaced", "meta" : {"b": 2, "a": 1}}`, fate: "keep" },
    { line: `{"id":"escaped","text":${JSON.stringify(t(2)).replace(/[가-힣]/, (c) => `\\u${c.charCodeAt(0).toString(16)}`)}}`, fate: "keep" },
    { line: `{"id":"crlf","text":"${t(3)}"}\r`, fate: "keep" },
    { line: ``, fate: "drop" },
    { line: `{"id":"broken","text":"${t(4)}"`, fate: "drop" },
    { line: `{"id":"no-text","body":"${t(5)}"}`, fate: "drop" },
    { line: `{"id":"copy","text":"${t(1)}"}`, fate: "drop" },
    { line: `  {"text":"${t(6)}","lang":"ko"}`, fate: "derived-id" },
    { line: JSON.stringify(t(7)), fate: "bare-string" },
    { line: `{"id":"dup-keys","text":"${t(8)}","text":"${t(9)}"}`, fate: "keep" },
    { line: `{"id":"last","text":"${t(10)}"}`, fate: "keep" },
  ];
}

/** The output korpipe must write for `corpusLines()` read from `file` (as named on the command line). */
function expectedOutput(file: string): string {
  return corpusLines()
    .map(({ line, fate }, i) => {
      const no = i + 1;
      if (fate === "keep") return line.replace(/\r$/, "") + (line.endsWith("\r") ? "\r\n" : "\n");
      if (fate === "derived-id") return line.replace("{", `{"id":${JSON.stringify(`${file}:${no}`)},`) + "\n";
      if (fate === "bare-string") return JSON.stringify({ id: `${file}:${no}`, text: JSON.parse(line) }) + "\n";
      return "";
    })
    .join("");
}

const BOM = "\ufeff";
const inputText = () => BOM + corpusLines().map((l) => l.line).join("\n"); // no newline after the last line

describe("korpipe dedup output", () => {
  it("keeps every kept record byte for byte as the input had it, and adds the derived id only where a record had none", () => {
    const input = path.join(dir, "plain", "docs.jsonl");
    mkdirSync(path.dirname(input), { recursive: true });
    writeFileSync(input, inputText());
    const out = path.join(dir, "plain-out");
    const r = korpipe(["dedup", input, "-o", out, "--no-progress"]);
    expect(r.status, r.stderr).toBe(3); // rejected lines make the exit status say so
    expect(readFileSync(path.join(out, "docs.jsonl"), "utf8")).toBe(expectedOutput(input));
    const dups = readFileSync(path.join(out, "duplicates.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(dups).toEqual([{ id: "copy", duplicate_of: "spaced", similarity_estimate: 1, kind: "exact" }]);
    const rejects = readFileSync(path.join(out, "rejects.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l).line);
    expect(rejects).toEqual([5, 6]);
  });

  it("writes the same records from a gzip input, into a zstd output", () => {
    const input = path.join(dir, "gz", "docs.jsonl.gz");
    mkdirSync(path.dirname(input), { recursive: true });
    writeFileSync(input, gzipSync(Buffer.from(inputText())));
    const out = path.join(dir, "gz-out");
    expect(korpipe(["dedup", input, "-o", out, "--compression", "zstd", "--no-progress"]).status).toBe(3);
    expect(decompress(readFileSync(path.join(out, "docs.jsonl.zst"))).toString("utf8")).toBe(expectedOutput(input));
  });

  it("re-serializes every kept record when one input is not JSONL, however the files share tasks", () => {
    const input = path.join(dir, "mixed");
    mkdirSync(input, { recursive: true });
    const records = [0, 1, 2].map((i) => ({ id: `m${i}`, text: koreanText(500 + i, 30), source: "web" }));
    writeFileSync(path.join(input, "a.jsonl"), records.map((r) => `{"text": ${JSON.stringify(r.text)}, "id": "${r.id}", "source": "web"}`).join("\n") + "\n");
    writeFileSync(path.join(input, "b.txt"), koreanText(900, 30) + "\n");
    for (const tasks of ["1", "2"]) {
      const out = path.join(dir, `mixed-out-${tasks}`);
      expect(korpipe(["dedup", input, "-o", out, "--tasks", tasks, "--no-progress"]).status).toBe(0);
      // The record writer's form: its fields in order, the text last.
      expect(readFileSync(path.join(out, "a.jsonl"), "utf8")).toBe(records.map((r) => JSON.stringify({ id: r.id, source: r.source, text: r.text }) + "\n").join(""));
    }
  });

  it("joins the slices of a big file that tasks copied apart into the file one task writes", () => {
    const records: string[] = [];
    for (let i = 0; i < 400; i++) {
      // Every fourth record repeats an earlier one; every seventh has no id of its own.
      const text = koreanText(1000 + (i % 4 === 3 ? i - 3 : i), 30);
      records.push(i % 7 === 0 ? `{"text": "${text}"}` : `{"id": "r${i}", "text": "${text}"}`);
    }
    const input = path.join(dir, "big", "docs.jsonl");
    mkdirSync(path.dirname(input), { recursive: true });
    writeFileSync(input, records.join("\n") + "\n");
    const sliced = path.join(dir, "sliced-out");
    const whole = path.join(dir, "whole-out");
    expect(korpipe(["dedup", input, "-o", sliced, "--tasks", "4", "--no-progress"]).status).toBe(0);
    expect(korpipe(["dedup", input, "-o", whole, "--tasks", "1", "--no-progress"]).status).toBe(0);
    expect(readdirSync(sliced).filter((f) => f.endsWith(".jsonl") && f.includes("part"))).toEqual([]);
    const kept = readFileSync(path.join(sliced, "docs.jsonl"), "utf8");
    expect(kept).toBe(readFileSync(path.join(whole, "docs.jsonl"), "utf8"));
    expect(kept.split("\n").filter(Boolean)).toHaveLength(300);
    expect(kept).toContain(`{"id":${JSON.stringify(`${input}:15`)},"text": "`);
  });
});
