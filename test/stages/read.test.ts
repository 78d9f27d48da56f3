import { writeFileSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { compress as zstdCompress } from "zstd-napi";
import { describe, expect, it } from "vitest";
import { readDocuments, resolveInputs, InputError } from "../../src/stages/read.js";
import { StageStats } from "../../src/stats/stage-stats.js";
import type { Reject } from "../../src/types.js";
import type { UnreadableFile } from "../../src/stats/run-stats.js";
import { collect, tmpDir } from "../helpers/tmp.js";

const records = [
  { id: "a1", text: "첫 번째 문서입니다.", url: "https://example.kr/1", tags: ["뉴스"] },
  { id: "a2", text: "두 번째 문서입니다.\n두 줄입니다.", nested: { score: 0.5 } },
];
const jsonl = records.map((r) => JSON.stringify(r)).join("\n") + "\n";

function read(files: string[], extra: Parameters<typeof readDocuments>[1] = {}) {
  const rejects: Reject[] = [];
  const unreadable: UnreadableFile[] = [];
  const stats = new StageStats("read");
  const docs = collect(readDocuments(files, { ...extra, stats, onReject: (r) => rejects.push(r), onUnreadable: (u) => unreadable.push(u) }));
  return docs.then((d) => ({ docs: d, rejects, unreadable, stats: stats.toJSON() }));
}

describe("readDocuments", () => {
  it("reads .jsonl, keeping every non-text field as meta", async () => {
    const dir = tmpDir();
    const f = path.join(dir, "a.jsonl");
    writeFileSync(f, jsonl);
    const { docs } = await read([f]);
    expect(docs.map((d) => d.id)).toEqual(["a1", "a2"]);
    expect(docs[0]!.text).toBe("첫 번째 문서입니다.");
    expect(docs[0]!.meta).toEqual({ id: "a1", url: "https://example.kr/1", tags: ["뉴스"] });
    expect(docs[1]!.source).toEqual({ file: f, line: 2 });
  });

  it("reads .jsonl.gz and .jsonl.zst the same as plain .jsonl", async () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir, "a.jsonl.gz"), gzipSync(jsonl));
    writeFileSync(path.join(dir, "b.jsonl.zst"), zstdCompress(Buffer.from(jsonl)));
    writeFileSync(path.join(dir, "c.json.gz"), gzipSync(jsonl));
    for (const name of ["a.jsonl.gz", "b.jsonl.zst", "c.json.gz"]) {
      const { docs } = await read([path.join(dir, name)]);
      expect(docs.map((d) => d.text), name).toEqual(records.map((r) => r.text));
    }
  });

  it("derives ids from file and line when the id field is missing, and honours --text-key/--id-key", async () => {
    const dir = tmpDir();
    const f = path.join(dir, "posts.jsonl");
    writeFileSync(f, ['{"body":"본문 하나","pid":7}', "", '{"body":"본문 둘"}'].join("\n"));
    const { docs } = await read([f], { textKey: "body", idKey: "pid" });
    expect(docs.map((d) => d.id)).toEqual(["7", `${f}:3`]);
    expect(docs.map((d) => d.text)).toEqual(["본문 하나", "본문 둘"]);
  });

  it("reads .txt one document per non-empty line, or per blank-line-separated paragraph", async () => {
    const dir = tmpDir();
    const f = path.join(dir, "book.txt");
    writeFileSync(f, "첫 줄\r\n둘째 줄\n\n셋째 문단\n넷째 줄\n");
    const lines = await read([f]);
    expect(lines.docs.map((d) => [d.text, d.source!.line])).toEqual([
      ["첫 줄", 1],
      ["둘째 줄", 2],
      ["셋째 문단", 4],
      ["넷째 줄", 5],
    ]);
    const paras = await read([f], { txtMode: "paragraph" });
    expect(paras.docs.map((d) => [d.text, d.source!.line])).toEqual([
      ["첫 줄\n둘째 줄", 1],
      ["셋째 문단\n넷째 줄", 4],
    ]);
  });

  it("streams values out of a nested .json file with a path selector", async () => {
    const dir = tmpDir();
    const f = path.join(dir, "squad.json");
    const data = {
      version: "1",
      data: [
        { title: "가", paragraphs: [{ context: "문단 가-1", qas: [{ question: "질문?" }] }, { context: "문단 가-2" }] },
        { title: "나", paragraphs: [{ context: "문단 나-1" }] },
      ],
    };
    writeFileSync(f, JSON.stringify(data));
    const { docs } = await read([f], { jsonPath: "data.*.paragraphs.*.context" });
    expect(docs.map((d) => d.text)).toEqual(["문단 가-1", "문단 가-2", "문단 나-1"]);
    expect(docs.map((d) => d.id)).toEqual([`${f}:1`, `${f}:2`, `${f}:3`]);
    const titles = await read([f], { jsonPath: "data.*", textKey: "title" });
    expect(titles.docs.map((d) => d.text)).toEqual(["가", "나"]);
    expect(titles.docs[0]!.meta.paragraphs).toEqual(data.data[0]!.paragraphs);
  });

  it("rejects each bad record with file, line and reason, and goes on", async () => {
    const dir = tmpDir();
    const f = path.join(dir, "bad.jsonl");
    const lines = [
      Buffer.from('{"id":"ok1","text":"정상 문서"}\n'),
      Buffer.from('{"id":"cut","text":"닫히지 않은\n'),
      Buffer.from('{"id":"nt","title":"본문 없음"}\n'),
      Buffer.from('{"id":"num","text":12345}\n'),
      Buffer.concat([Buffer.from('{"id":"bin","text":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]),
      Buffer.from(`{"id":"big","text":"${"가".repeat(40)}"}\n`),
      Buffer.from('["an","array"]\n'),
      Buffer.from('{"id":"ok2","text":"또 정상 문서"}\n'),
    ];
    writeFileSync(f, Buffer.concat(lines));
    const { docs, rejects, stats } = await read([f], { maxDocBytes: 100 });
    expect(docs.map((d) => d.id)).toEqual(["ok1", "ok2"]);
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [2, "malformed_json"],
      [3, "missing_text"],
      [4, "non_string_text"],
      [5, "invalid_utf8"],
      [6, "over_max_doc_bytes"],
      [7, "missing_text"],
    ]);
    expect(rejects.every((r) => r.file === f && r.raw === undefined)).toBe(true);
    expect(stats.docs_in).toBe(8);
    expect(stats.rejected).toBe(6);
    expect(stats.docs_out).toBe(2);
  });

  it("includes the raw line in a reject only when asked to", async () => {
    const dir = tmpDir();
    const f = path.join(dir, "bad.jsonl");
    writeFileSync(f, '{"text": 주민번호 900101-1234567\n');
    const quiet = await read([f]);
    expect(JSON.stringify(quiet.rejects)).not.toContain("900101");
    const loud = await read([f], { keepRejectedText: true });
    expect(loud.rejects[0]!.raw).toBe('{"text": 주민번호 900101-1234567');
  });

  it("never keeps an over-long line in memory and rejects it", async () => {
    const dir = tmpDir();
    const f = path.join(dir, "long.txt");
    writeFileSync(f, "짧은 줄\n" + "가".repeat(5000) + "\n끝 줄\n");
    const { docs, rejects } = await read([f], { maxDocBytes: 1000 });
    expect(docs.map((d) => d.text)).toEqual(["짧은 줄", "끝 줄"]);
    expect(rejects).toEqual([{ file: f, line: 2, reason: "over_max_doc_bytes" }]);
  });

  it("reports a truncated .gz or .zst by name with the documents read before the damage, and reads the next file", async () => {
    const dir = tmpDir();
    const many = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `d${i}`, text: `문서 ${i} `.repeat(20) })).join("\n") + "\n";
    const gz = gzipSync(many);
    const zst = zstdCompress(Buffer.from(many));
    writeFileSync(path.join(dir, "a.jsonl.gz"), gz.subarray(0, Math.floor(gz.length / 2)));
    writeFileSync(path.join(dir, "b.jsonl.zst"), zst.subarray(0, Math.floor(zst.length / 2)));
    writeFileSync(path.join(dir, "c.jsonl"), jsonl);
    const files = await resolveInputs([dir]);
    const { docs, unreadable, rejects, stats } = await read(files);
    expect(unreadable.map((u) => path.basename(u.file))).toEqual(["a.jsonl.gz", "b.jsonl.zst"]);
    for (const u of unreadable) {
      expect(u.docs_read).toBeGreaterThan(0);
      expect(u.docs_read).toBeLessThan(3000);
    }
    expect(rejects.filter((r) => r.reason === "unreadable_file")).toHaveLength(2);
    expect(docs.slice(-2).map((d) => d.id)).toEqual(["a1", "a2"]);
    expect(stats.docs_in).toBe(stats.docs_out + stats.rejected);
  });
});

describe("resolveInputs", () => {
  it("expands directories and globs into one sorted list without repeats", async () => {
    const dir = tmpDir();
    mkdirSync(path.join(dir, "sub"));
    for (const name of ["b.jsonl", "a.txt", "sub/c.jsonl.gz", "notes.md"]) writeFileSync(path.join(dir, name), "");
    const all = await resolveInputs([dir, path.join(dir, "*.jsonl")]);
    expect(all.map((f) => path.relative(dir, f))).toEqual(["a.txt", "b.jsonl", path.join("sub", "c.jsonl.gz")]);
  });

  it("says which input matched nothing", async () => {
    const dir = tmpDir();
    await expect(resolveInputs([path.join(dir, "missing.jsonl")])).rejects.toThrow(/missing\.jsonl: no such file or directory/);
    await expect(resolveInputs([path.join(dir, "*.zst")])).rejects.toBeInstanceOf(InputError);
  });

  it("reads the bundled KorQuAD-style sample in bounded pieces (the selector matches only contexts)", async () => {
    const f = path.resolve("samples/corpus/wiki.json");
    const { docs } = await read([f], { jsonPath: "data.*.paragraphs.*.context" });
    const raw = JSON.parse(readFileSync(f, "utf8")) as { data: { paragraphs: { context: string }[] }[] };
    expect(docs.map((d) => d.text)).toEqual(raw.data.flatMap((a) => a.paragraphs.map((p) => p.context)));
  });
});
