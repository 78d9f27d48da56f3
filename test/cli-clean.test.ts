import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { RunStatsJSON } from "../src/stats/run-stats.js";
import { sumFiltered } from "../src/stats/stage-stats.js";
import { korpipe } from "./helpers/cli.js";
import { tmpDir } from "./helpers/tmp.js";

const longKorean = (n: number) => `${n}번째 문서는 충분히 긴 한국어 문장으로 이루어져 있어서 품질 필터를 통과해야 합니다. 내용이 조금씩 다릅니다.`;

function corpus(dir: string): string {
  const input = path.join(dir, "in");
  const good = Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: `g${i}`, text: longKorean(i), site: "example" }));
  const lines = [...good, "{broken json", JSON.stringify({ id: "nt" }), JSON.stringify({ id: "short", text: "짧음" })];
  mkdirSync(input);
  writeFileSync(path.join(input, "a.jsonl"), lines.join("\n") + "\n");
  writeFileSync(path.join(input, "b.jsonl.gz"), gzipSync(good.slice(0, 5).join("\n") + "\n"));
  return input;
}

function stats(out: string): RunStatsJSON {
  return JSON.parse(readFileSync(path.join(out, "stats.json"), "utf8")) as RunStatsJSON;
}

describe("korpipe clean", () => {
  it("accounts for every input record: in = kept + filtered + rejected, per stage and per file", () => {
    const dir = tmpDir();
    const input = corpus(dir);
    const out = path.join(dir, "out");
    const r = korpipe(["clean", input, "-o", out]);
    expect(r.status).toBe(3); // finished, with rejects
    const s = stats(out);
    expect(s.identity_holds).toBe(true);
    expect(s.totals).toMatchObject({ docs_in: 28, docs_out: 25, rejected: 2, filtered: { too_short: 1 } });
    expect(s.totals.docs_in).toBe(s.totals.docs_out + sumFiltered(s.totals) + s.totals.duplicates + s.totals.rejected);
    expect(s.stages.map((x) => x.name)).toEqual(["read", "normalize", "filter"]);
    for (const stage of s.stages) {
      expect(stage.docs_in).toBe(stage.docs_out + sumFiltered(stage) + stage.duplicates + stage.rejected);
      for (const [file, c] of Object.entries(stage.files)) {
        expect(c.docs_in, `${stage.name} ${file}`).toBe(c.docs_out + sumFiltered(c) + c.duplicates + c.rejected);
      }
    }
    const rejects = readFileSync(path.join(out, "rejects.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(rejects.map((x) => [path.basename(x.file), x.line, x.reason])).toEqual([
      ["a.jsonl", 21, "malformed_json"],
      ["a.jsonl", 22, "missing_text"],
    ]);
    const filtered = readFileSync(path.join(out, "filtered.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(filtered).toEqual([{ stage: "filter", id: "short", file: path.join(input, "a.jsonl"), line: 23, reason: "too_short" }]);
    const kept = readFileSync(path.join(out, "a.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(kept[0]).toEqual({ id: "g0", site: "example", text: longKorean(0) });
    expect(readFileSync(path.join(out, "b.jsonl"), "utf8").trim().split("\n")).toHaveLength(5);
    expect(r.stderr).toContain("korpipe clean: 28 docs in");
  });

  it("exits 0 when nothing was rejected", () => {
    const dir = tmpDir();
    const f = path.join(dir, "ok.jsonl");
    writeFileSync(f, JSON.stringify({ text: longKorean(1) }) + "\n");
    const r = korpipe(["clean", f, "-o", path.join(dir, "out")]);
    expect(r.status).toBe(0);
    expect(stats(path.join(dir, "out")).totals.docs_out).toBe(1);
  });

  it("never prints or records document text in logs and stats", () => {
    const dir = tmpDir();
    const secret = "비밀번호는 절대로 로그에 나오면 안 되는 문장입니다 900101-1234567";
    const f = path.join(dir, "s.jsonl");
    writeFileSync(f, [JSON.stringify({ text: secret + " " + longKorean(2) }), `{"text": "${secret}`, JSON.stringify({ text: "짧은 " + secret.slice(0, 3) })].join("\n"));
    const out = path.join(dir, "out");
    const r = korpipe(["clean", f, "-o", out]);
    for (const file of ["stats.json", "rejects.jsonl", "filtered.jsonl"]) {
      expect(readFileSync(path.join(out, file), "utf8"), file).not.toContain("900101");
    }
    expect(r.stderr).not.toContain("900101");
    expect(r.stdout).not.toContain("900101");
  });

  it("gives one-line errors with a hint for unknown flags and missing inputs (exit 1)", () => {
    const dir = tmpDir();
    const bad = korpipe(["clean", "x.jsonl", "-o", dir, "--no-such-flag"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/unknown option '--no-such-flag'/);
    const missing = korpipe(["clean", path.join(dir, "nope.jsonl"), "-o", path.join(dir, "out")]);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe(`korpipe: error: ${path.join(dir, "nope.jsonl")}: no such file or directory`);
    const noOutput = korpipe(["clean", "samples/corpus"]);
    expect(noOutput.status).toBe(1);
    expect(noOutput.stderr).toMatch(/-o, --output <dir>/);
  });

  it("logs progress lines when stderr is not a terminal", () => {
    const dir = tmpDir();
    const f = path.join(dir, "many.jsonl");
    writeFileSync(f, Array.from({ length: 3000 }, (_, i) => JSON.stringify({ text: longKorean(i) })).join("\n"));
    const r = korpipe(["clean", f, "-o", path.join(dir, "out")], { env: { KORPIPE_PROGRESS_SECONDS: "0.000001" } });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/process \d+\/\d+ tasks: [\d,]+ docs \| [\d.]+ MB \| [\d.]+% \| (?:ETA \S+|finishing) \| [\d,]+ docs\/s \| [\d.]+ MB\/s/);
  });
});
