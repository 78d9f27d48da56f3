import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunStatsJSON } from "../../src/stats/run-stats.js";
import { korpipe, ROOT } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";

const FIXTURES = path.join(ROOT, "test/fixtures/pii");

describe("korpipe scrub", () => {
  it("writes scrubbed JSONL with meta kept, and counts per type in stats.json without values", () => {
    const dir = tmpDir();
    const input = path.join(dir, "in.jsonl");
    const docs = [
      { id: "a", text: "문의 010-1234-5678, 입금 계좌: 12345678901234 (하나은행)", site: "x" },
      { id: "b", text: "주민등록번호 900101-1234568 기재" },
      { id: "c", text: "숫자 없는 문서" },
    ];
    writeFileSync(input, docs.map((d) => JSON.stringify(d)).join("\n") + "\n{broken\n");
    const out = path.join(dir, "out");
    const r = korpipe(["scrub", input, "-o", out, "--privacy-tokens", "polyglot-ko"]);
    expect(r.status).toBe(3); // finished, with one reject
    const lines = readFileSync(path.join(out, "in.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((d) => d.text)).toEqual(["문의 <|tel|>, 입금 계좌: <|acc|> (하나은행)", "주민등록번호 <|rrn|> 기재", "숫자 없는 문서"]);
    expect(lines[0].site).toBe("x");
    const statsText = readFileSync(path.join(out, "stats.json"), "utf8");
    const stats = JSON.parse(statsText) as RunStatsJSON;
    expect(stats.identity_holds).toBe(true);
    const scrub = stats.stages.find((s) => s.name === "scrub")!;
    expect(scrub.counters).toMatchObject({ "pii.rrn": 1, "pii.tell": 1, "pii.acc": 1 });
    for (const value of ["1234-5678", "12345678901234", "900101"]) {
      expect(statsText).not.toContain(value);
      expect(r.stderr).not.toContain(value);
    }
  });

  it("explains a --privacy-tokens list it cannot read", () => {
    const dir = tmpDir();
    const input = path.join(dir, "in.jsonl");
    writeFileSync(input, JSON.stringify({ text: "x" }) + "\n");
    const r = korpipe(["scrub", input, "-o", path.join(dir, "out"), "--privacy-tokens", "phone=<|p|>"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("rrn=<|rrn|>,tell=<|tell|>,acc=<|acc|>");
  });
});

describe("korpipe eval-pii", () => {
  it("reports recall, precision and exact match per type on the project's fixtures and passes their bar", () => {
    const files = ["positives.jsonl", "negatives.jsonl", "clean.jsonl", "evasions.jsonl"].map((f) => path.join(FIXTURES, f));
    const r = korpipe(["eval-pii", ...files, "--min-recall", "0.995", "--fail-on-destroyed"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^rrn\s+\d+\s+\d+\s+100\.00%/m);
    expect(r.stdout).toMatch(/^tell\s+\d+\s+\d+\s+100\.00%/m);
    expect(r.stdout).toMatch(/^acc\s+\d+\s+\d+\s+100\.00%/m);
    expect(r.stdout).toMatch(/destroyed 0/);
  });

  it("exits 1 when a type's recall falls below --min-recall, naming the case by position only", () => {
    const dir = tmpDir();
    const file = path.join(dir, "cases.jsonl");
    const cases = [
      { text: "문의 010-1234-5678", expected: "문의 <|tell|>" },
      // Labelled as a phone number, which the policy does not replace (an 010 number has 10 or 11 digits).
      { text: "문의 010-12-3456", expected: "문의 <|tell|>", note: "short mobile" },
    ];
    writeFileSync(file, cases.map((c) => JSON.stringify(c)).join("\n") + "\n");
    const r = korpipe(["eval-pii", file, "--min-recall", "0.9"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("cases.jsonl:2 short mobile");
    expect(r.stdout).not.toContain("010-12-3456");
    expect(r.stderr).toContain("tell recall 50.00% is below 90.00%");
  });

  it("rejects a fixture line without text and expected, naming file and line", () => {
    const dir = tmpDir();
    const file = path.join(dir, "bad.jsonl");
    writeFileSync(file, JSON.stringify({ text: "a", expected: "a" }) + "\n" + JSON.stringify({ text: "b" }) + "\n");
    const r = korpipe(["eval-pii", file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("bad.jsonl:2");
  });

  it("runs the fixtures shipped in the npm package with --builtin, from an unpacked install", () => {
    const dir = tmpDir();
    const pack = spawnSync("npm", ["pack", "--pack-destination", dir, "--silent"], { cwd: ROOT, encoding: "utf8" });
    expect(pack.status, pack.stderr).toBe(0);
    const tarball = path.join(dir, pack.stdout.trim().split("\n").pop()!);
    expect(spawnSync("tar", ["xzf", tarball, "-C", dir]).status).toBe(0);
    const installed = path.join(dir, "package");
    // Dependencies as an install would have them; the package itself comes only from the tarball.
    symlinkSync(path.join(ROOT, "node_modules"), path.join(installed, "node_modules"));
    expect(existsSync(path.join(installed, "test/fixtures/pii/disguised.jsonl"))).toBe(true);
    const r = spawnSync(process.execPath, [path.join(installed, "bin/korpipe"), "eval-pii", "--builtin", "--min-recall", "0.995", "--fail-on-destroyed"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^words\s+\d+/m);
    expect(r.stdout).toMatch(/^tables\s+\d+/m);
    expect(r.stdout).toMatch(/cases (\d{4}|[4-9]\d\d),/);
  });

  it("asks for fixture files or --builtin when given neither", () => {
    const r = korpipe(["eval-pii"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--builtin");
  });
});
