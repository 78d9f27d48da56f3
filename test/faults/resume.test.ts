/**
 * Kills at fixed points (KORPIPE_TEST_KILL_AT=PHASE:TASK:DOCS, never a fraction of a timed run), damaged and
 * missing state, changed inputs and a second run on the same output: the same command finishes
 * with outputs identical to an uninterrupted run, or refuses in one line whose advice works.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { korpipe, ROOT } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";
import { allFiles, idsIn, phoneOf, records, sorted, writeDataDir, writePipeline } from "./corpus.js";

const TOKENIZER = path.join(ROOT, "samples/tokenizer.json");
const RUN_OUTPUTS = ["corpus_text_document.bin", "corpus_text_document.idx", "duplicates.jsonl", "rejects.jsonl", "filtered.jsonl"];
const errorLines = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("korpipe: error:"));
const temporaryFiles = (dir: string) => allFiles(dir).filter((f) => f.endsWith(".tmp"));

/** data/a.jsonl (20 records) and data/b.jsonl (25): with tasks: 2, task 0 reads a, task 1 reads b (neither is big enough to be cut). */
function runSetup(): { dir: string; data: string; config: string; out: string } {
  const dir = tmpDir();
  const data = writeDataDir(dir, { "a.jsonl": records("a", 20), "b.jsonl": records("b", 25, 20) });
  const stages = [{ stage: "normalize" }, { stage: "scrub" }, { stage: "dedup" }, { stage: "tokenize", tokenizer: TOKENIZER }];
  const { config, out } = writePipeline(dir, [data], stages, { tasks: 2 });
  return { dir, data, config, out };
}

function runOutputs(out: string): Record<string, string> {
  return Object.fromEntries(RUN_OUTPUTS.map((f) => [f, readFileSync(path.join(out, f)).toString("base64")]));
}

/** What an uninterrupted run of runSetup() writes (computed once). */
let reference: Record<string, string> | undefined;
function referenceOutputs(): Record<string, string> {
  if (!reference) {
    const { config, out } = runSetup();
    expect(korpipe(["run", config, "--workers", "1", "--no-progress"]).status).toBe(0);
    reference = runOutputs(out);
  }
  return reference;
}

/** Runs korpipe run with one worker, killed as task 1 of prepare passes its 2nd document (task 0 is done by then). */
function runKilledInPrepare(config: string): void {
  const r = korpipe(["run", config, "--workers", "1", "--no-progress"], { env: { KORPIPE_TEST_KILL_AT: "prepare:1:2" } });
  expect(r.status).toBe(null); // SIGKILL
}

describe("killed standalone commands", () => {
  it.each(["clean", "scrub", "dedup"])("%s: the .tmp files of a killed run are removed at the next start, which writes every record once", (command) => {
    const dir = tmpDir();
    const data = writeDataDir(dir, { "a.jsonl": records("a", 30), "b.jsonl": records("b", 30, 30) });
    const out = path.join(dir, "out");
    // One worker: task 0 is done when task 1 of the phase that writes the outputs is killed mid-way.
    const killAt = `${command === "dedup" ? "finalize" : "process"}:1:5`;
    const killed = korpipe([command, data, "-o", out, "--no-progress", "--workers", "1"], { env: { KORPIPE_TEST_KILL_AT: killAt } });
    expect(killed.status).toBe(null);
    expect(temporaryFiles(out).length).toBeGreaterThan(0);
    expect(existsSync(path.join(out, "stats.json"))).toBe(false);
    const again = korpipe([command, data, "-o", out, "--no-progress"]);
    expect(again.status, again.stderr).toBe(0);
    expect(temporaryFiles(out)).toEqual([]);
    const dups = command === "dedup" ? idsIn([path.join(out, "duplicates.jsonl")]) : [];
    expect(sorted([...idsIn([path.join(out, "a.jsonl"), path.join(out, "b.jsonl")]), ...dups])).toEqual(sorted(records("x", 60).map((_, i) => (i < 30 ? `a-${i}` : `b-${i}`))));
  });
});

describe("korpipe run resumes from damaged or missing state", () => {
  it("rebuilds a damaged intermediate dump by redoing the task that wrote it, never quoting its text", () => {
    const { config, out } = runSetup();
    runKilledInPrepare(config);
    const dump = allFiles(path.join(out, ".korpipe")).find((f) => /prepared[/\\]task-00000\./.test(f))!;
    expect(dump).toBeDefined();
    writeFileSync(dump, `{"id":"a-0","text":"전화 ${phoneOf(0)} 로 연락`); // cut short mid-record
    const r = korpipe(["run", config, "--workers", "1", "--no-progress"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("rebuilding missing or damaged intermediate files: redoing prepare task 0");
    expect(r.stderr).not.toContain(phoneOf(0));
    expect(runOutputs(out)).toEqual(referenceOutputs());
  }, 180_000);

  it("rebuilds a deleted intermediate the same way", () => {
    const { config, out } = runSetup();
    runKilledInPrepare(config);
    const dump = allFiles(path.join(out, ".korpipe")).find((f) => /prepared[/\\]task-00000\./.test(f))!;
    rmSync(dump);
    const r = korpipe(["run", config, "--workers", "2", "--no-progress"]);
    expect(r.status, r.stderr).toBe(0);
    expect(runOutputs(out)).toEqual(referenceOutputs());
  }, 180_000);

  it("takes an empty completion marker as not done: status says work remains and the rerun finishes it", () => {
    const { config, out } = runSetup();
    runKilledInPrepare(config);
    truncateSync(path.join(out, ".korpipe", "done", "prepare", "0.json"), 0);
    const status = korpipe(["status", out]);
    expect(status.status).toBe(2);
    expect(status.stdout + status.stderr).toContain("work remains");
    const r = korpipe(["run", config, "--workers", "1", "--no-progress"]);
    expect(r.status, r.stderr).toBe(0);
    expect(runOutputs(out)).toEqual(referenceOutputs());
    expect(korpipe(["status", out]).status).toBe(0);
  }, 180_000);
});

describe("changed inputs", () => {
  it("notices an input edited without changing its size, and --force starts over", () => {
    const { data, config, out } = runSetup();
    expect(korpipe(["run", config, "--no-progress"]).status).toBe(0);
    const file = path.join(data, "a.jsonl");
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace("a-0", "a-9")); // same size
    const r = korpipe(["run", config, "--no-progress"]);
    expect(r.status).toBe(1);
    expect(errorLines(r.stderr)).toEqual([
      `korpipe: error: ${out} holds a run over inputs that changed since (${file} was modified); add --force to start over there, or choose another output directory`,
    ]);
    const forced = korpipe(["run", config, "--force", "--no-progress"]);
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(path.join(out, "duplicates.jsonl"), "utf8") + readFileSync(path.join(out, "report.json"), "utf8")).not.toContain('"a-0"');
  }, 180_000);

  it("with --verify-inputs notices an edit that kept both size and modification time", () => {
    const { data, config, out } = runSetup();
    expect(korpipe(["run", config, "--verify-inputs", "--no-progress"]).status).toBe(0);
    const file = path.join(data, "b.jsonl");
    const before = statSync(file);
    writeFileSync(file, readFileSync(file, "utf8").replace("b-25", "b-XX"));
    utimesSync(file, before.atime, before.mtime);
    const r = korpipe(["run", config, "--verify-inputs", "--no-progress"]);
    expect(r.status).toBe(1);
    expect(errorLines(r.stderr)[0]).toContain(`${out} holds a run over inputs that changed since (${file} changed content)`);
  }, 180_000);
});

describe("one korpipe per output directory", () => {
  it("refuses a second command while a live process holds the lock, naming it", () => {
    const dir = tmpDir();
    const data = writeDataDir(dir, { "a.jsonl": records("a", 4) });
    const out = path.join(dir, "out");
    mkdirSync(out);
    const since = new Date().toISOString();
    writeFileSync(path.join(out, ".korpipe.lock"), JSON.stringify({ host: os.hostname(), pid: process.pid, command: "run", since }));
    const r = korpipe(["clean", data, "-o", out, "--no-progress"]);
    expect(r.status).toBe(1);
    expect(errorLines(r.stderr)).toEqual([
      `korpipe: error: ${out} is in use by korpipe run (pid ${process.pid} on ${os.hostname()}, since ${since}); ` +
        `wait for it to finish, or if that process is gone for good, delete ${path.join(out, ".korpipe.lock")} and rerun`,
    ]);
    expect(existsSync(path.join(out, "a.jsonl"))).toBe(false);
  });

  it("takes over a lock left by a dead process on this host", () => {
    const { config, out } = runSetup();
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, ".korpipe.lock"), JSON.stringify({ host: os.hostname(), pid: Number(dead.stdout), command: "run", since: "earlier" }));
    const r = korpipe(["run", config, "--no-progress"]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(path.join(out, ".korpipe.lock"))).toBe(false);
  }, 180_000);
});
