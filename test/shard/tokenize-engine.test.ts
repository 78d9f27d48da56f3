/**
 * `korpipe tokenize` as a pipeline on the run engine: tasks over slices of the input, resume after
 * a kill with the same dataset, `korpipe status` on the report directory, refusal of a different
 * run there, and the dataset written beside the prefix, never inside the report directory.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunStatsJSON } from "../../src/stats/run-stats.js";
import type { ShardManifest } from "../../src/run/phases/sharded-output.js";
import { gzipSync } from "node:zlib";
import { coresPerTask } from "../../src/run/local/local-executor.js";
import { korpipe } from "../helpers/cli.js";
import { koreanDocs, writeTestTokenizer } from "./korean-text.js";

let dir: string;
let tok: string;
let input: string;

const bytesOf = (prefix: string, key = "text") => ["bin", "idx"].map((ext) => readFileSync(`${prefix}_${key}_document.${ext}`));
const statsOf = (reportDir: string) => JSON.parse(readFileSync(path.join(reportDir, "stats.json"), "utf8")) as RunStatsJSON;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "korpipe-tokenize-"));
  tok = await writeTestTokenizer(dir);
  input = path.join(dir, "in.jsonl");
  writeFileSync(input, koreanDocs(400).map((d, i) => JSON.stringify({ id: d.id, text: d.text, title: `제목 ${i}` })).join("\n") + "\n");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("korpipe tokenize on the run engine", () => {
  it("writes the same dataset for 1 and 4 tasks and any worker count, in input order", () => {
    const one = path.join(dir, "one", "ko");
    const four = path.join(dir, "four", "ko");
    expect(korpipe(["tokenize", input, "-o", one, "--tokenizer", tok, "--tasks", "1", "--workers", "1"]).status).toBe(0);
    const r = korpipe(["tokenize", input, "-o", four, "--tokenizer", tok, "--tasks", "4", "--workers", "2"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/korpipe tokenize: 1 file\(s\), .* 4 task\(s\), 2 worker\(s\)/);
    expect(bytesOf(four)).toEqual(bytesOf(one));
    const stats = statsOf(`${four}.report`);
    expect(stats.command).toBe("tokenize");
    expect(stats.sections.tokenize).toMatchObject({ documents: 400, empty_documents: 0, bytes_per_token: expect.any(Number) });
    // Bytes per token over the whole corpus, not one task's.
    expect(stats.sections.tokenize.bytes_per_token).toBe(statsOf(`${one}.report`).sections.tokenize.bytes_per_token);
    // Nothing of the run's own state is left beside the dataset, and no intermediate stays in the report directory.
    expect(readdirSync(path.dirname(four)).sort()).toEqual(["ko.report", "ko_text_document.bin", "ko_text_document.idx", "ko_text_document.json"]);
    expect(existsSync(path.join(`${four}.report`, ".korpipe", "work"))).toBe(false);
  });

  it("gives a phase's idle workers to its tasks: one big compressed file still encodes on every worker, with the same bytes", () => {
    expect(coresPerTask(2, 1)).toBe(2);
    expect(coresPerTask(8, 3)).toBe(2);
    expect(coresPerTask(2, 4)).toBe(1);
    expect(coresPerTask(1, 1)).toBe(1);
    const gz = path.join(dir, "in.jsonl.gz");
    writeFileSync(gz, gzipSync(readFileSync(input)));
    const single = path.join(dir, "gz-1", "ko");
    const pooled = path.join(dir, "gz-2", "ko");
    expect(korpipe(["tokenize", gz, "-o", single, "--tokenizer", tok, "--workers", "1"]).status).toBe(0);
    const r = korpipe(["tokenize", gz, "-o", pooled, "--tokenizer", tok, "--workers", "2", "--batch-size", "16"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 task\(s\), 2 worker\(s\)/);
    expect(bytesOf(pooled)).toEqual(bytesOf(single));
    expect(statsOf(`${pooled}.report`).sections.tokenize.encode_threads).toBe(2);
    expect(statsOf(`${single}.report`).sections.tokenize.encode_threads).toBe(1);
  });

  it("resumes after a kill mid-task with the same dataset, and status tells how far it got", () => {
    const whole = path.join(dir, "whole", "ko");
    expect(korpipe(["tokenize", input, "-o", whole, "--tokenizer", tok, "--tasks", "3"]).status).toBe(0);
    const prefix = path.join(dir, "killed", "ko");
    const killed = korpipe(["tokenize", input, "-o", prefix, "--tokenizer", tok, "--tasks", "3", "--workers", "1"], { env: { KORPIPE_TEST_KILL_AT: "process:1:30" } });
    expect(killed.status, killed.stderr).toBe(null); // SIGKILLed
    expect(existsSync(`${prefix}_text_document.idx`)).toBe(false);
    const status = korpipe(["status", `${prefix}.report`]);
    expect(status.stdout).toMatch(/process\s+1\/3 done/);
    expect(status.status).toBe(2);
    // A merge killed half-way leaves temporary files beside the prefix: the rerun clears them.
    const stale = path.join(path.dirname(prefix), ".ko_text_document.bin.123-0-1-abcd1234.tmp");
    writeFileSync(stale, "partial");
    const r = korpipe(["tokenize", input, "-o", prefix, "--tokenizer", tok, "--tasks", "3"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("process: 1 of 3 task(s) already done, running the other 2");
    expect(existsSync(stale)).toBe(false);
    expect(bytesOf(prefix)).toEqual(bytesOf(whole));
    expect(statsOf(`${prefix}.report`).stages.find((s) => s.name === "tokenize")).toMatchObject({ docs_in: 400, docs_out: 400 });
  });

  it("refuses to resume with a changed tokenizer.json (its finished tasks used the old one), resumes with the old one back", async () => {
    const own = path.join(dir, "own-tokenizer");
    const file = await writeTestTokenizer(mkdtempSync(path.join(dir, "tok-")));
    const original = readFileSync(file);
    const prefix = path.join(own, "ko");
    const killed = korpipe(["tokenize", input, "-o", prefix, "--tokenizer", file, "--tasks", "3", "--workers", "1"], { env: { KORPIPE_TEST_KILL_AT: "process:1:30" } });
    expect(killed.status).toBe(null);
    writeFileSync(file, readFileSync(await writeTestTokenizer(mkdtempSync(path.join(dir, "tok-")), undefined, 300)));
    const refused = korpipe(["tokenize", input, "-o", prefix, "--tokenizer", file, "--tasks", "3"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/made with another version of the tokenizer .*tokenizer\.json .*--force/);
    writeFileSync(file, original);
    const resumed = korpipe(["tokenize", input, "-o", prefix, "--tokenizer", file, "--tasks", "3"]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain("1 of 3 task(s) already done");
  });

  it("refuses another config over the same report directory until --force", () => {
    const prefix = path.join(dir, "changed", "ko");
    expect(korpipe(["tokenize", input, "-o", prefix, "--tokenizer", tok]).status).toBe(0);
    const refused = korpipe(["tokenize", input, "-o", prefix, "--tokenizer", tok, "--no-eod"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/ko\.report holds a run with a different config.*--force/);
    const forced = korpipe(["tokenize", input, "-o", prefix, "--tokenizer", tok, "--no-eod", "--force"]);
    expect(forced.status, forced.stderr).toBe(0);
    expect(statsOf(`${prefix}.report`).sections.tokenize).toMatchObject({ eod_id: null, documents: 400 });
  });

  it("numbers the tasks' shards in input order under the key's name, listed in a manifest", () => {
    const prefix = path.join(dir, "sharded", "ko");
    const r = korpipe(["tokenize", input, "-o", prefix, "--tokenizer", tok, "--json-keys", "title", "--shard-tokens", "400", "--tasks", "2"]);
    expect(r.status, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(`${prefix}_title_shards.json`, "utf8")) as ShardManifest;
    expect(manifest.shards.length).toBeGreaterThan(2);
    expect(manifest.shards.map((s) => s.path)).toEqual(manifest.shards.map((_, i) => `ko-${String(i).padStart(5, "0")}_title_document`));
    expect(manifest.documents).toBe(400);
    for (const s of manifest.shards) expect(r.stderr).toContain(`wrote ${path.relative(process.cwd(), path.join(path.dirname(prefix), s.path))}.bin/.idx: ${s.documents} documents`);
    expect(statsOf(`${prefix}_title.report`).sections.tokenize).toMatchObject({ json_key: "title", documents: 400 });
  });

  it("gives each key its own report directory under --report-dir when there are several", () => {
    const prefix = path.join(dir, "keys", "ko");
    const reports = path.join(dir, "keys-reports");
    const r = korpipe(["tokenize", input, "-o", prefix, "--tokenizer", tok, "--json-keys", "text", "title", "--report-dir", reports]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(reports).sort()).toEqual(["text", "title"]);
    expect(statsOf(path.join(reports, "title")).sections.tokenize).toMatchObject({ json_key: "title" });
    expect(existsSync(`${prefix}_title_document.idx`) && existsSync(`${prefix}_text_document.idx`)).toBe(true);
  });
});
