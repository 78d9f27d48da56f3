/**
 * Bounded memory on hostile sizes: a 600 MB string under --json-path is measured and rejected while
 * streaming, never built (before: 1.09 GB RSS, and 600 MB of ASCII lost the rest of the file with
 * "Invalid string length"). Peak RSS is the child process's own, from process.resourceUsage().
 */
import { spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";
import { readJsonl } from "./corpus.js";

/** Runs the CLI in a child that reports its own peak RSS (bytes) on exit. */
function korpipeWithPeakRss(args: string[]): { status: number | null; stderr: string; peakBytes: number } {
  const main = pathToFileURL(path.join(ROOT, "dist", "cli", "main.js")).href;
  const script =
    `process.on("exit", () => process.stderr.write("PEAK_RSS_KB " + process.resourceUsage().maxRSS + "\\n"));` +
    `const { main } = await import(${JSON.stringify(main)}); await main(["node", "korpipe", ...${JSON.stringify(args)}]);`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", cwd: ROOT, env: { ...process.env, KORPIPE_PROGRESS_SECONDS: "3600" } });
  const kb = Number(/PEAK_RSS_KB (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { status: r.status, stderr: r.stderr, peakBytes: kb * 1024 };
}

describe("memory stays bounded", () => {
  it("rejects a 600 MB string under --json-path while streaming, keeps the rest of the file, peak RSS under 1.5 GB", () => {
    const dir = tmpDir();
    const file = path.join(dir, "long.json");
    const fd = openSync(file, "w");
    writeSync(fd, '{"data":[{"paragraphs":[{"context":"');
    const mb = Buffer.alloc(1 << 20, "A");
    for (let i = 0; i < 600; i++) writeSync(fd, mb);
    writeSync(fd, '"},{"context":"긴 문서 뒤의 정상적인 한국어 문단입니다. 끝까지 읽혀야 합니다."}]}]}');
    closeSync(fd);
    const out = path.join(dir, "out");
    const r = korpipeWithPeakRss(["clean", file, "--json-path", "data.*.paragraphs.*.context", "-o", out, "--min-chars", "1", "--no-progress"]);
    expect(r.status, r.stderr).toBe(3);
    expect(r.peakBytes).toBeGreaterThan(0);
    expect(r.peakBytes).toBeLessThan(1.5 * 1024 ** 3);
    const rejects = readJsonl<{ line: number; reason: string }>(path.join(out, "rejects.jsonl"));
    expect(rejects.map((x) => `${x.line}:${x.reason}`)).toEqual(["1:over_max_doc_bytes"]);
    expect(readJsonl<{ text: string }>(path.join(out, "long.jsonl")).map((d) => d.text)).toEqual(["긴 문서 뒤의 정상적인 한국어 문단입니다. 끝까지 읽혀야 합니다."]);
    expect(readFileSync(path.join(out, "stats.json"), "utf8")).not.toContain("AAAA");
  }, 300_000);
});
