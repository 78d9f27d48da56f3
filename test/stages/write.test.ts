import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { decompress as zstdDecompress } from "zstd-napi";
import { describe, expect, it } from "vitest";
import { outputPathFor, planOutputs, writeDocuments } from "../../src/stages/write.js";
import type { Document } from "../../src/types.js";
import { tmpDir } from "../helpers/tmp.js";

function doc(file: string, line: number, text: string, meta: Record<string, unknown> = {}): Document {
  return { id: `${file}:${line}`, text, meta, source: { file, line } };
}

async function* from(docs: Document[], failAfter?: number): AsyncGenerator<Document> {
  let n = 0;
  for (const d of docs) {
    if (failAfter !== undefined && n++ === failAfter) throw new Error("upstream failed");
    yield d;
  }
}

describe("writeDocuments", () => {
  it("mirrors input names under the output directory, one JSONL record per document, other fields unchanged", async () => {
    const out = tmpDir();
    const inputs = ["data/a.jsonl", "data/sub/b.txt.gz", "data/c.json"];
    const docs = [
      doc("data/a.jsonl", 1, "가", { id: "a1", url: "u", n: [1, 2] }),
      doc("data/sub/b.txt.gz", 1, "나"),
    ];
    const result = await writeDocuments(from(docs), { outputDir: out, inputs });
    expect(result.files.map((f) => path.relative(out, f)).sort()).toEqual(["a.jsonl", "c.jsonl", path.join("sub", "b.jsonl")]);
    expect(readFileSync(path.join(out, "a.jsonl"), "utf8")).toBe('{"id":"a1","url":"u","n":[1,2],"text":"가"}\n');
    expect(readFileSync(path.join(out, "sub/b.jsonl"), "utf8")).toBe('{"id":"data/sub/b.txt.gz:1","text":"나"}\n');
    expect(readFileSync(path.join(out, "c.jsonl"), "utf8")).toBe(""); // every input gets its output, even when empty
  });

  it("compresses with gzip or zstd", async () => {
    for (const compression of ["gzip", "zstd"] as const) {
      const out = tmpDir();
      await writeDocuments(from([doc("in/a.jsonl", 1, "압축")]), { outputDir: out, inputs: ["in/a.jsonl"], compression });
      const name = compression === "gzip" ? "a.jsonl.gz" : "a.jsonl.zst";
      const raw = readFileSync(path.join(out, name));
      const text = (compression === "gzip" ? gunzipSync(raw) : zstdDecompress(raw)).toString("utf8");
      expect(text).toBe('{"id":"in/a.jsonl:1","text":"압축"}\n');
    }
  });

  it("leaves no file that looks finished when the run fails midway", async () => {
    const out = tmpDir();
    const docs = Array.from({ length: 10 }, (_, i) => doc("in/a.jsonl", i + 1, `문서 ${i}`));
    await expect(writeDocuments(from(docs, 5), { outputDir: out, inputs: ["in/a.jsonl"] })).rejects.toThrow("upstream failed");
    expect(readdirSync(out)).toEqual([]);
  });

  it("writes under a temporary name until the file is complete", async () => {
    const out = tmpDir();
    let seenWhileWriting: string[] = [];
    async function* slow(): AsyncGenerator<Document> {
      yield doc("in/a.jsonl", 1, "하나");
      seenWhileWriting = readdirSync(out);
      yield doc("in/a.jsonl", 2, "둘");
    }
    await writeDocuments(slow(), { outputDir: out, inputs: ["in/a.jsonl"] });
    expect(seenWhileWriting.some((f) => f === "a.jsonl")).toBe(false);
    expect(seenWhileWriting.some((f) => f.endsWith(".tmp"))).toBe(true);
    expect(existsSync(path.join(out, "a.jsonl"))).toBe(true);
  });

  it("refuses two inputs that would overwrite each other's output", () => {
    expect(() => planOutputs(["d/a.jsonl", "d/a.txt"], { outputDir: "o" })).toThrow(/both be written to/);
  });

  it("names outputs after inputs, keeping subdirectories and adding the compression suffix", () => {
    expect(outputPathFor("/x/in/sub/k.jsonl.zst", { outputDir: "/o", baseDir: "/x/in", compression: "gzip" })).toBe("/o/sub/k.jsonl.gz");
  });
});
