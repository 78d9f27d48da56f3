import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { korpipe } from "../helpers/cli.js";
import { tmpDir, collect } from "../helpers/tmp.js";
import { listFiles, SAMPLE_TOKENIZER, samplePipeline, treeBytes } from "../helpers/pipeline-run.js";
import { loadPlan } from "../../src/run/plan/plan.js";
import { releaseIntermediates } from "../../src/run/phases/work-cleanup.js";
import { DocumentDumpWriter, dumpFileName, readDocumentDump } from "../../src/io/document-dump.js";
import type { Document } from "../../src/types.js";

const OUTPUTS = ["corpus_text_document.bin", "corpus_text_document.idx", "duplicates.jsonl", "rejects.jsonl", "filtered.jsonl"];
const outputs = (out: string) => Object.fromEntries(OUTPUTS.map((f) => [f, readFileSync(path.join(out, f)).toString("base64")]));

describe("the work directory of korpipe run", () => {
  it("keeps only the plan and completion markers after a finished run, and a rerun says all done", () => {
    const dir = tmpDir();
    const config = samplePipeline(dir);
    expect(korpipe(["run", config, "--tasks", "3", "--workers", "2"]).status).toBe(3);
    const out = path.join(dir, "out");
    const left = listFiles(path.join(out, ".korpipe"));
    expect(left.filter((f) => f !== "plan.json" && !f.startsWith("done/"))).toEqual([]);
    const before = outputs(out);
    const again = korpipe(["run", config, "--tasks", "3", "--workers", "2"]);
    expect(again.status, again.stderr).toBe(3);
    for (const phase of ["prepare", "dedup-pairs", "dedup-clusters", "finalize", "report"]) expect(again.stderr).toMatch(new RegExp(`${phase}: all \\d+ task\\(s\\) already done`));
    expect(outputs(out)).toEqual(before);
    expect(korpipe(["status", out]).stdout).toContain("all tasks done");
  });

  it("keeps every intermediate with --keep-work, and the outputs do not change", () => {
    const kept = tmpDir();
    const cleaned = tmpDir();
    expect(korpipe(["run", samplePipeline(kept), "--tasks", "3", "--keep-work"]).status).toBe(3);
    expect(korpipe(["run", samplePipeline(cleaned), "--tasks", "3"]).status).toBe(3);
    const work = listFiles(path.join(kept, "out", ".korpipe", "work"));
    expect(work).toContain("prepared/task-00002.docs.zst");
    expect(work).toContain("dedup/tasks/task-00000/band-019.bin");
    expect(work).toContain("dedup/pairs/exact.bin");
    expect(work).toContain("shards/task-00001_text_document.bin");
    expect(outputs(path.join(kept, "out"))).toEqual(outputs(path.join(cleaned, "out")));
  });

  it("accepts keepWork in the config as well", () => {
    const dir = tmpDir();
    expect(korpipe(["run", samplePipeline(dir, { keepWork: true }), "--tasks", "2"]).status).toBe(3);
    expect(existsSync(path.join(dir, "out", ".korpipe", "work", "prepared", "task-00001.docs.zst"))).toBe(true);
  });

  it("deletes a file as soon as every task that reads it is done, and nothing earlier", async () => {
    const dir = tmpDir();
    expect(korpipe(["run", samplePipeline(dir), "--tasks", "3", "--keep-work"]).status).toBe(3);
    const out = path.join(dir, "out");
    const work = path.join(out, ".korpipe", "work");
    // Back to the state of a run whose finalize task 1 and report have not finished yet.
    rmSync(path.join(out, ".korpipe", "done", "finalize", "1.json"));
    rmSync(path.join(out, ".korpipe", "done", "report"), { recursive: true });
    const plan = (await loadPlan(out))!;
    await releaseIntermediates({ ...plan, config: { ...plan.config, keepWork: false } });
    const left = listFiles(work);
    expect(left).not.toContain("prepared/task-00000.docs.zst"); // finalize 0 is done
    expect(left).toContain("prepared/task-00001.docs.zst"); // finalize 1 still needs it
    expect(left).not.toContain("dedup/tasks/task-00001/band-000.bin"); // every dedup-pairs task is done
    expect(left).not.toContain("dedup/tasks/task-00001/shingles.bin"); // clustering is done
    expect(left.some((f) => f.startsWith("dedup/pairs/"))).toBe(false);
    expect(left).toContain("dedup/tasks/task-00000/ids.bin"); // finalize 1 names kept documents of any task
    expect(left).toContain("dedup/clusters/task-00001.removals.bin");
    expect(left).toContain("shards/task-00000_text_document.bin"); // the report merges them
    // The rerun finishes from there with the same outputs, then clears the rest.
    const again = korpipe(["run", samplePipeline(dir), "--tasks", "3"]);
    expect(again.status, again.stderr).toBe(3);
    expect(existsSync(work)).toBe(false);
  });

  it("writes no copy of the documents without a dedup stage: one process phase reads, runs every stage and tokenizes", () => {
    const stages = [{ stage: "normalize" }, { stage: "filter" }, { stage: "scrub" }, { stage: "tokenize", tokenizer: SAMPLE_TOKENIZER }];
    const one = tmpDir();
    const three = tmpDir();
    expect(korpipe(["run", samplePipeline(one, { stages }), "--tasks", "1"]).status).toBe(3);
    const r = korpipe(["run", samplePipeline(three, { stages }), "--tasks", "3", "--keep-work"]);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toContain("process: 3 task(s) done");
    expect(r.stderr).not.toContain("prepare");
    const out = path.join(three, "out");
    expect(listFiles(path.join(out, ".korpipe", "work")).filter((f) => /jsonl(\.zst)?$/.test(f) && !/(rejects|filtered)\.jsonl$/.test(f))).toEqual([]);
    const status = korpipe(["status", out]).stdout;
    expect(status).toMatch(/process\s+3\/3 done/);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8"));
    expect(report.identity_holds).toBe(true);
    expect(report.stages.map((s: { name: string }) => s.name)).toEqual(["read", "normalize", "filter", "scrub", "tokenize"]);
    const files = ["corpus_text_document.bin", "corpus_text_document.idx", "rejects.jsonl", "filtered.jsonl"];
    for (const f of files) expect(readFileSync(path.join(out, f)).equals(readFileSync(path.join(one, "out", f))), f).toBe(true);
  });
});

describe("document dumps between prepare and finalize", () => {
  const docs: Document[] = Array.from({ length: 3000 }, (_, i) => ({
    id: `d${i}`,
    text: `${i}번째 문서입니다. 서울의 날씨는 맑고 바람이 조금 붑니다. `.repeat(1 + (i % 7)),
    meta: { n: i, tags: ["뉴스"] },
  }));

  it("reads back every document of a zstd dump unchanged, in order, from fewer bytes than uncompressed", async () => {
    const dir = tmpDir();
    const plain = new DocumentDumpWriter(path.join(dir, "a.docs"));
    const packed = new DocumentDumpWriter(path.join(dir, "a.docs.zst"), { compression: "zstd" });
    for (const d of docs) {
      plain.add(d);
      packed.add(d);
    }
    plain.commit();
    packed.commit();
    expect(await collect(readDocumentDump(path.join(dir, "a.docs.zst")))).toEqual(await collect(readDocumentDump(path.join(dir, "a.docs"))));
    expect(await collect(readDocumentDump(path.join(dir, "a.docs.zst")))).toStrictEqual(docs);
    expect(packed.bytes).toBeLessThan(plain.bytes / 3);
    expect(treeBytes(dir)).toBe(packed.bytes + plain.bytes);
  });

  it("reads back documents larger than a read chunk, emoji, lone surrogates in text and meta, and a source, unchanged", async () => {
    const dir = tmpDir();
    const odd: Document[] = [
      { id: "big", text: "가나다라마바사 ".repeat(400_000), meta: {}, source: { file: "in/a.jsonl", line: 7 } },
      { id: "small", text: "👍🏽 줄바꿈\n\"따옴표\" \\ 끝", meta: { odd: "\ud800", nested: { a: [1, null, "x"] } } },
      { id: "empty", text: "", meta: { n: 1 } },
      // A stage may leave a lone surrogate (UTF-8 cannot hold one): it must come back as it was.
      { id: "lone", text: "앞\ud800뒤 \udc00", meta: {} },
    ];
    for (const compression of ["none", "zstd"] as const) {
      const file = dumpFileName(path.join(dir, "d"), compression);
      const w = new DocumentDumpWriter(file, { compression });
      for (const d of odd) w.add(d);
      w.commit();
      expect(await collect(readDocumentDump(file))).toStrictEqual(odd);
    }
  });

  it("refuses a dump cut short, naming the file and saying to rerun", async () => {
    const dir = tmpDir();
    const file = dumpFileName(path.join(dir, "cut"), "none");
    const w = new DocumentDumpWriter(file);
    for (const d of docs.slice(0, 10)) w.add(d);
    w.commit();
    const whole = readFileSync(file);
    writeFileSync(file, whole.subarray(0, whole.length - 5));
    await expect(collect(readDocumentDump(file))).rejects.toThrow(`${file}: damaged intermediate file (cut short in record 10); rerun with --force`);
  });
});
