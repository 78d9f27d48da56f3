import { readFileSync, readdirSync, truncateSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DatasetWriter, readDocument, readIndexedDataset, verifyIndexedDataset } from "../../src/shard/indexed-dataset.js";
import { mergeIndexedDatasets } from "../../src/shard/merge.js";
import { datasetPathFor, findDatasets, IndexedDatasetWriter } from "../../src/shard/shard-writer.js";
import { tmpDir } from "../helpers/tmp.js";

function writeDataset(p: string, docs: number[][], dtype: "uint16" | "int32" = "uint16"): string {
  const w = new DatasetWriter(p, dtype);
  for (const d of docs) w.append(d);
  w.finish();
  return p;
}

const doc = (n: number, first = 1) => Array.from({ length: n }, (_, i) => first + i);

describe("shard output", () => {
  it("writes PREFIX_text_document without a token limit", () => {
    const dir = tmpDir();
    const w = new IndexedDatasetWriter({ prefix: path.join(dir, "ko"), dtype: "uint16" });
    w.append([1, 2]);
    expect(w.finish().map((s) => path.basename(s.path))).toEqual(["ko_text_document"]);
    expect(readdirSync(dir).sort()).toEqual(["ko_text_document.bin", "ko_text_document.idx"]);
  });

  it("rolls to a new numbered shard before a document that would pass the token limit", () => {
    const dir = tmpDir();
    const w = new IndexedDatasetWriter({ prefix: path.join(dir, "ko"), dtype: "uint16", shardTokens: 10 });
    for (const n of [4, 6, 1, 9, 3]) w.append(doc(n));
    const shards = w.finish();
    expect(shards.map((s) => [path.basename(s.path), s.documents, s.tokens])).toEqual([
      ["ko-00000_text_document", 2, 10],
      ["ko-00001_text_document", 2, 10],
      ["ko-00002_text_document", 1, 3],
    ]);
    for (const s of shards) expect(verifyIndexedDataset(s.path)).toEqual([]);
  });

  it("gives a document longer than the limit a shard of its own rather than splitting it", () => {
    const w = new IndexedDatasetWriter({ prefix: path.join(tmpDir(), "ko"), dtype: "uint16", shardTokens: 5 });
    for (const n of [2, 12, 2]) w.append(doc(n));
    expect(w.finish().map((s) => s.tokens)).toEqual([2, 12, 2]);
  });

  it("removes numbered shards left from an earlier, longer run of the same prefix", () => {
    const prefix = path.join(tmpDir(), "ko");
    const first = new IndexedDatasetWriter({ prefix, dtype: "uint16", shardTokens: 2 });
    for (let i = 0; i < 4; i++) first.append(doc(2));
    expect(first.finish()).toHaveLength(4);
    const second = new IndexedDatasetWriter({ prefix, dtype: "uint16", shardTokens: 2 });
    second.append(doc(2));
    second.finish();
    expect(findDatasets(prefix).map((p) => path.basename(p))).toEqual(["ko-00000_text_document"]);
  });

  it("finds datasets by dataset path, by output prefix, and by the prefix of numbered shards", () => {
    const dir = tmpDir();
    writeDataset(datasetPathFor(path.join(dir, "a")), [[1]]);
    writeDataset(datasetPathFor(path.join(dir, "b"), 1), [[1]]);
    writeDataset(datasetPathFor(path.join(dir, "b"), 0), [[1]]);
    expect(findDatasets(path.join(dir, "a"))).toEqual([path.join(dir, "a_text_document")]);
    expect(findDatasets(path.join(dir, "a_text_document.bin"))).toEqual([path.join(dir, "a_text_document")]);
    expect(findDatasets(path.join(dir, "b"))).toEqual([path.join(dir, "b-00000_text_document"), path.join(dir, "b-00001_text_document")]);
    expect(() => findDatasets(path.join(dir, "c"))).toThrow(/no dataset found/);
  });
});

describe("merging datasets", () => {
  it("gives the same bytes as writing all documents into one dataset: rebased pointers, doc_idx [0..N]", () => {
    const docsArb = fc.array(fc.array(fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 20 }), { maxLength: 8 }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(docsArb, (parts) => {
        const dir = tmpDir();
        const inputs = parts.map((docs, i) => writeDataset(path.join(dir, `part${i}_text_document`), docs));
        const merged = mergeIndexedDatasets(inputs, path.join(dir, "merged_text_document"));
        const expected = writeDataset(path.join(dir, "whole_text_document"), parts.flat());
        expect(readFileSync(`${merged.path}.idx`).equals(readFileSync(`${expected}.idx`))).toBe(true);
        expect(readFileSync(`${merged.path}.bin`).equals(readFileSync(`${expected}.bin`))).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it("keeps doc_idx = [0..N] and every document readable after merging three shards", () => {
    const dir = tmpDir();
    const a = writeDataset(path.join(dir, "a_text_document"), [doc(3), doc(1, 7)]);
    const b = writeDataset(path.join(dir, "b_text_document"), [doc(2, 20)]);
    const c = writeDataset(path.join(dir, "c_text_document"), [doc(4, 30), doc(1, 40)]);
    const merged = mergeIndexedDatasets([a, b, c], path.join(dir, "all_text_document"));
    const ds = readIndexedDataset(merged.path);
    expect([...ds.docIdx]).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...ds.pointers]).toEqual([0, 6, 8, 12, 20]);
    expect([...readDocument(ds, 2)]).toEqual([20, 21]);
    expect([...readDocument(ds, 4)]).toEqual([40]);
    expect(verifyIndexedDataset(merged.path)).toEqual([]);
  });

  it("refuses to merge datasets of different dtypes", () => {
    const dir = tmpDir();
    const a = writeDataset(path.join(dir, "a_text_document"), [[1]], "uint16");
    const b = writeDataset(path.join(dir, "b_text_document"), [[1]], "int32");
    expect(() => mergeIndexedDatasets([a, b], path.join(dir, "m_text_document"))).toThrow(/different dtypes: .*a_text_document is uint16, .*b_text_document is int32/);
    expect(readdirSync(dir).filter((f) => f.startsWith("m_"))).toEqual([]);
  });

  it("refuses an input that fails verification, naming the problem", () => {
    const dir = tmpDir();
    const a = writeDataset(path.join(dir, "a_text_document"), [[1, 2, 3]]);
    truncateSync(`${a}.bin`, 2);
    expect(() => mergeIndexedDatasets([a], path.join(dir, "m_text_document"))).toThrow(/refusing to merge .*a_text_document: .*truncated/);
  });

  it("refuses to write over one of its inputs", () => {
    const dir = tmpDir();
    const a = writeDataset(path.join(dir, "a_text_document"), [[1]]);
    expect(() => mergeIndexedDatasets([a], a)).toThrow(/also an input/);
  });
});
