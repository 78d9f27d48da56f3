/**
 * Input oddities every real dump has, through every command that reads a corpus: each input record
 * ends in exactly one place (written, filtered, a duplicate, or rejected with file, line and
 * reason), none twice, and no reject or log line quotes a personal number.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { korpipe, ROOT } from "../helpers/cli.js";
import { allFiles, filesWithPlantedNumbers, idsIn, phoneOf, readJsonl, records, sorted, textOf, writeJsonl } from "./corpus.js";
import { tmpdir } from "node:os";

interface RejectLine {
  file: string;
  line: number;
  reason: string;
  detail?: string;
}

let dir: string;
let corpus: string;
/** Ids of the records that are sound and must come out somewhere. */
let goodIds: string[];
/** (file, line, reason) of every record that must be rejected. */
let wantRejects: string[];

const SIDE = ["stats.json", "rejects.jsonl", "filtered.jsonl", "duplicates.jsonl"];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "korpipe-faults-"));
  corpus = path.join(dir, "corpus");
  mkdirSync(path.join(corpus, "sub"), { recursive: true });
  goodIds = [];
  wantRejects = [];
  const good = (recs: { id: string }[]) => goodIds.push(...recs.map((r) => r.id));

  // A UTF-8 byte order mark before the first record.
  const bom = records("bom", 3);
  writeFileSync(path.join(corpus, "bom.jsonl"), "\uFEFF" + bom.map((r) => JSON.stringify(r)).join("\n") + "\n");
  good(bom);

  // Lone surrogates, deep nesting, a number too large, broken JSON holding a phone number.
  const odd = records("odd", 6, 10);
  const deep = '{"d":'.repeat(5000) + "1" + "}".repeat(5000);
  writeJsonl(path.join(corpus, "odd.jsonl"), [
    odd[0]!,
    JSON.stringify({ id: "odd-lone", text: odd[1]!.text }).replace("번째", "번째\\ud800"),
    odd[2]!,
    `{"id":"odd-deep","text":${JSON.stringify(odd[3]!.text)},"meta":${deep}}`,
    `{"id":"odd-big","text":${JSON.stringify(odd[4]!.text)},"score":1e999}`,
    `{"id":"odd-broken","text":"전화 ${phoneOf(15)} 로`,
    odd[5]!,
  ]);
  good([odd[0]!, odd[2]!, odd[5]!]);
  wantRejects.push("odd.jsonl:2:invalid_text", "odd.jsonl:4:nesting_too_deep", "odd.jsonl:5:number_out_of_range", "odd.jsonl:6:malformed_json");

  // Two gzip members, then garbage: both members' documents are kept, the garbage is one reject.
  const gz = records("gz", 4, 20);
  const member = (recs: typeof gz) => gzipSync(recs.map((r) => JSON.stringify(r) + "\n").join(""));
  writeFileSync(path.join(corpus, "sub", "members.jsonl.gz"), Buffer.concat([member(gz.slice(0, 2)), member(gz.slice(2)), Buffer.from("\0\0not gzip at all")]));
  good(gz);
  wantRejects.push("members.jsonl.gz:0:unreadable_file");

  // Old Mac line ends in .txt: three documents, not one.
  writeFileSync(path.join(corpus, "mac.txt"), [textOf(30), textOf(31), textOf(32)].join("\r") + "\r\n");

  // A symlink loop and a second path to a file: read once, no hang.
  symlinkSync("..", path.join(corpus, "sub", "up"));
  symlinkSync(".", path.join(corpus, "self"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rejectsOf(out: string): string[] {
  return readJsonl<RejectLine>(path.join(out, "rejects.jsonl")).map((r) => `${path.basename(r.file)}:${r.line}:${r.reason}`);
}

function outputIds(out: string): string[] {
  const data = allFiles(out).filter((f) => f.endsWith(".jsonl") && !SIDE.includes(path.basename(f)) && !f.includes(`${path.sep}.`));
  return idsIn(data);
}

describe.each(["clean", "scrub", "dedup"])("korpipe %s on a corpus of real-dump oddities", (command) => {
  it("puts every record in exactly one place and rejects the broken ones with file, line and reason", () => {
    const out = path.join(dir, `out-${command}`);
    const extra = command === "clean" ? ["--min-chars", "1", "--min-hangul-ratio", "0"] : [];
    const r = korpipe([command, corpus, "-o", out, "--no-progress", ...extra], { cwd: ROOT });
    expect(r.status, r.stderr).toBe(3);
    const kept = outputIds(out);
    const filtered = readJsonl<{ id: string }>(path.join(out, "filtered.jsonl")).map((f) => f.id);
    const dups = command === "dedup" ? readJsonl<{ id: string }>(path.join(out, "duplicates.jsonl")).map((d) => d.id) : [];
    const placed = [...kept, ...filtered, ...dups];
    const macIds = placed.filter((id) => id.includes("mac.txt"));
    expect(sorted(macIds.map((id) => id.split(":").pop()!))).toEqual(["1", "2", "3"]);
    expect(sorted(placed.filter((id) => !id.includes("mac.txt")))).toEqual(sorted(goodIds));
    expect(sorted(rejectsOf(out))).toEqual(sorted(wantRejects));
    const gzReject = readJsonl<RejectLine>(path.join(out, "rejects.jsonl")).find((x) => x.reason === "unreadable_file")!;
    expect(gzReject.detail).toMatch(/trailing data after the gzip members at compressed byte \d+/);
    expect(r.stderr).toContain("symbolic link loop");
    expect(r.stderr).not.toContain(phoneOf(15));
    expect(readJsonl(path.join(out, "rejects.jsonl")).map((x) => JSON.stringify(x)).join("\n")).not.toContain(phoneOf(15));
  });
});

describe("korpipe tokenize and run on the same corpus", () => {
  it("tokenize counts every record as a document or a reject", () => {
    const prefix = path.join(dir, "tok", "ko");
    const r = korpipe(["tokenize", corpus, "-o", prefix, "--tokenizer", path.join(ROOT, "samples/tokenizer.json"), "--no-progress"]);
    expect(r.status, r.stderr).toBe(3);
    const stats = JSON.parse(readFileSync(`${prefix}.report/stats.json`, "utf8"));
    expect(stats.identity_holds).toBe(true);
    expect(stats.totals.docs_out).toBe(goodIds.length + 3);
    expect(sorted(rejectsOf(`${prefix}.report`))).toEqual(sorted(wantRejects));
  });

  it("run accounts for every record and its report holds no personal number", () => {
    const out = path.join(dir, "run-out");
    const config = path.join(dir, "run.json");
    writeFileSync(
      config,
      JSON.stringify({
        inputs: [corpus],
        output: out,
        stages: [{ stage: "normalize" }, { stage: "scrub" }, { stage: "dedup" }, { stage: "tokenize", tokenizer: path.join(ROOT, "samples/tokenizer.json") }],
      }),
    );
    const r = korpipe(["run", config, "--tasks", "3", "--workers", "2", "--no-progress"]);
    expect(r.status, r.stderr).toBe(3);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8"));
    expect(report.identity_holds).toBe(true);
    expect(report.totals.docs_in).toBe(goodIds.length + 3 + wantRejects.length);
    expect(sorted(rejectsOf(out))).toEqual(sorted(wantRejects));
    // Scrub ran before dedup, so no file of the run, work directory included, holds a planted number.
    expect(filesWithPlantedNumbers(out, 40)).toEqual([]);
  });
});
