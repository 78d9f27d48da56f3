import { readFileSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet";
import { readDocuments, resolveInputs } from "../../src/stages/read.js";
import { parquetRowGroups } from "../../src/io/parquet.js";
import type { Document, Reject } from "../../src/types.js";
import { writeParquetFile, type ParquetCompression } from "../helpers/parquet-writer.js";
import { korpipe } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";

const text = (i: number) => `${i}번째 행의 본문입니다. 파케이 파일에서 읽은 한국어 문서가 빠짐없이 순서대로 나와야 합니다.`;

function rows(n: number, from = 0) {
  return {
    id: Array.from({ length: n }, (_, i) => `row-${from + i}`),
    content: Array.from({ length: n }, (_, i) => text(from + i)),
    url: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? null : `https://example.com/${from + i}`)),
    score: BigInt64Array.from({ length: n }, (_, i) => BigInt(from + i) * 10n),
  };
}

async function read(files: string[], opts: Parameters<typeof readDocuments>[1] = {}) {
  const docs: Document[] = [];
  const rejects: Reject[] = [];
  for await (const d of readDocuments(files, { ...opts, onReject: (r) => rejects.push(r) })) docs.push(d);
  return { docs, rejects };
}

describe("Parquet input", () => {
  for (const compression of ["UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD", "BROTLI", "LZ4_RAW"] as ParquetCompression[]) {
    it(`reads every row of a ${compression} file with several row groups, in order, other columns in meta`, async () => {
      const dir = tmpDir();
      const file = path.join(dir, "train.parquet");
      writeParquetFile(file, rows(250), { compression, rowGroupRows: 64 });
      expect((await parquetRowGroups(file)).map((g) => g.rows)).toEqual([64, 64, 64, 58]);
      const { docs, rejects } = await read([file], { textKey: "content" });
      expect(rejects).toEqual([]);
      expect(docs.map((d) => d.id)).toEqual(Array.from({ length: 250 }, (_, i) => `row-${i}`));
      expect(docs[7]).toEqual({ id: "row-7", text: text(7), meta: { id: "row-7", url: "https://example.com/7", score: 70 }, source: { file, line: 8 } });
      expect(docs[3]!.meta.url).toBe(null);
    });
  }

  it("rejects every row when the text column is missing, naming the columns there are", async () => {
    const dir = tmpDir();
    const file = path.join(dir, "x.parquet");
    writeParquetFile(file, rows(5));
    const { docs, rejects } = await read([file]);
    expect(docs).toEqual([]);
    expect(rejects).toHaveLength(5);
    expect(rejects[0]).toMatchObject({ file, line: 1, reason: "missing_text" });
    expect(rejects[0]!.detail).toContain("Parquet columns are id, content, url, score (choose one with --text-key)");
  });

  it("rejects the rows of a damaged row group with its index, and reads the others", async () => {
    const dir = tmpDir();
    const file = path.join(dir, "damaged.parquet");
    writeParquetFile(file, rows(300), { compression: "ZSTD", rowGroupRows: 100 });
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(file));
    const chunk = meta.row_groups[1]!.columns[1]!.meta_data!; // row group 1, column "content"
    const start = Number(chunk.dictionary_page_offset ?? chunk.data_page_offset);
    const bytes = readFileSync(file);
    bytes.fill(0xa5, start, start + Number(chunk.total_compressed_size));
    writeFileSync(file, bytes);
    const { docs, rejects } = await read([file], { textKey: "content" });
    expect(docs.map((d) => d.id)).toEqual([...Array.from({ length: 100 }, (_, i) => `row-${i}`), ...Array.from({ length: 100 }, (_, i) => `row-${200 + i}`)]);
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ file, line: 101, reason: "unreadable_file" });
    expect(rejects[0]!.detail).toMatch(/^row group 1 \(rows 101-200\) cannot be decoded/);
  });

  it("reports a file that is not Parquet at all as unreadable", async () => {
    const dir = tmpDir();
    const file = path.join(dir, "fake.parquet");
    writeFileSync(file, "this is not parquet at all, just some text bytes");
    const { docs, rejects } = await read([file]);
    expect(docs).toEqual([]);
    expect(rejects[0]).toMatchObject({ file, reason: "unreadable_file" });
    expect(rejects[0]!.detail).toMatch(/not a readable Parquet file/);
  });

  it("finds the shards of a Hugging Face dataset directory", async () => {
    const dir = tmpDir();
    mkdirSync(path.join(dir, "data"));
    for (let s = 0; s < 2; s++) writeParquetFile(path.join(dir, "data", `train-0000${s}-of-00002.parquet`), rows(10, s * 10));
    writeFileSync(path.join(dir, "README.md"), "# dataset card\n");
    expect((await resolveInputs([dir])).map((f) => path.relative(dir, f))).toEqual(["data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet"]);
  });
});

describe("Parquet through the commands", () => {
  it("korpipe clean reads a Parquet dataset directory and writes mirrored JSONL", () => {
    const dir = tmpDir();
    mkdirSync(path.join(dir, "data"));
    writeParquetFile(path.join(dir, "data", "train-00000-of-00001.parquet"), rows(20));
    const out = path.join(dir, "out");
    const r = korpipe(["clean", path.join(dir, "data"), "-o", out, "--text-key", "content", "--min-chars", "10"]);
    expect(r.status, r.stderr).toBe(0);
    const lines = readFileSync(path.join(out, "train-00000-of-00001.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(20);
    expect(lines[1]).toEqual({ id: "row-1", url: "https://example.com/1", score: 10, content: text(1) });
  });

  it("korpipe run splits a big Parquet file across tasks at row-group boundaries, with the same output as one task", () => {
    const dir = tmpDir();
    const file = path.join(dir, "big.parquet");
    writeParquetFile(file, rows(600), { compression: "GZIP", rowGroupRows: 50 });
    const run = (name: string, tasks: number) => {
      const cfg = path.join(dir, `${name}.json`);
      writeFileSync(cfg, JSON.stringify({ inputs: [file], output: path.join(dir, name), read: { textKey: "content" }, stages: [{ stage: "normalize" }] }));
      const r = korpipe(["run", cfg, "--tasks", String(tasks), "--workers", "2"]);
      expect(r.status, r.stderr).toBe(0);
      const data = path.join(dir, name, "data");
      return readdirSync(data).sort().map((f) => readFileSync(path.join(data, f), "utf8")).join("");
    };
    const one = run("one", 1);
    const four = run("four", 4);
    expect(readdirSync(path.join(dir, "four", "data")).length).toBeGreaterThan(1);
    expect(four).toBe(one);
    expect(one.trim().split("\n")).toHaveLength(600);
  });
});
