import { existsSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DatasetWriter,
  datasetFiles,
  dtypeForVocabSize,
  indexFileBytes,
  parseIndex,
  readDocument,
  readIndexedDataset,
  verifyIndexedDataset,
  type TokenDtype,
} from "../../src/shard/indexed-dataset.js";
import { tmpDir } from "../helpers/tmp.js";

function write(datasetPath: string, docs: number[][], dtype: TokenDtype = "uint16") {
  const w = new DatasetWriter(datasetPath, dtype, 4); // a tiny buffer exercises the flushes
  for (const d of docs) w.append(d);
  return w.finish();
}

const hex = (file: string) => readFileSync(file).toString("hex");

describe("the GPT-NeoX mmap .idx/.bin format", () => {
  it("writes the exact bytes GPT-NeoX expects for three documents [1,2,3], [4], [5,6] as uint16", () => {
    const p = path.join(tmpDir(), "three_text_document");
    write(p, [[1, 2, 3], [4], [5, 6]]);
    const idx =
      "4d4d494449445800" + "00" + // magic MMIDIDX\0\0
      "0100000000000000" + // version 1
      "08" + // dtype code 8 = uint16
      "0300000000000000" + // 3 sequences
      "0400000000000000" + // doc_idx has 4 entries
      "03000000" + "01000000" + "02000000" + // int32 sizes
      "0000000000000000" + "0600000000000000" + "0800000000000000" + // int64 byte pointers
      "0000000000000000" + "0100000000000000" + "0200000000000000" + "0300000000000000"; // int64 doc_idx
    expect(hex(`${p}.idx`)).toBe(idx);
    expect(hex(`${p}.bin`)).toBe("010002000300040005000600");
  });

  it("writes int32 ids (dtype code 4) and byte pointers in steps of 4", () => {
    const p = path.join(tmpDir(), "wide_text_document");
    write(p, [[70000, 1], [2]], "int32");
    const idx = readFileSync(`${p}.idx`);
    expect(idx[17]).toBe(4);
    expect(idx.readBigInt64LE(34 + 8 + 8)).toBe(8n); // the second pointer
    expect(hex(`${p}.bin`)).toBe("70110100" + "01000000" + "02000000");
  });

  it("chooses uint16 below 65,500 vocabulary entries and int32 from there (GPT-NeoX's rule)", () => {
    expect(dtypeForVocabSize(30003)).toBe("uint16");
    expect(dtypeForVocabSize(65499)).toBe("uint16");
    expect(dtypeForVocabSize(65500)).toBe("int32");
    expect(dtypeForVocabSize(256000)).toBe("int32");
  });

  it("reads back every document the writer wrote, and the .bin size is sum(sizes) × itemsize", () => {
    const docsArb = fc.array(fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 40 }), { maxLength: 30 });
    fc.assert(
      fc.property(docsArb, fc.constantFrom<TokenDtype>("uint16", "int32"), (docs, dtype) => {
        const p = path.join(tmpDir(), "prop_text_document");
        const summary = write(p, docs, dtype);
        const ds = readIndexedDataset(p);
        expect(ds.dtype).toBe(dtype);
        expect(ds.documents).toBe(docs.length);
        expect(summary.tokens).toBe(docs.reduce((n, d) => n + d.length, 0));
        expect(ds.binBytes).toBe(summary.tokens * (dtype === "uint16" ? 2 : 4));
        expect(readFileSync(`${p}.idx`).length).toBe(indexFileBytes(docs.length));
        docs.forEach((d, i) => expect([...readDocument(ds, i)]).toEqual(d));
        expect(verifyIndexedDataset(p)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it("parses what it writes to the same sizes, pointers and doc_idx", () => {
    const p = path.join(tmpDir(), "parse_text_document");
    write(p, [[9], [], [1, 2, 3, 4]]);
    const index = parseIndex(readFileSync(`${p}.idx`));
    expect([...index.sizes]).toEqual([1, 0, 4]);
    expect([...index.pointers]).toEqual([0, 2, 2]);
    expect([...index.docIdx]).toEqual([0, 1, 2, 3]);
  });

  it("writes an empty dataset that verifies (zero documents, doc_idx [0])", () => {
    const p = path.join(tmpDir(), "empty_text_document");
    write(p, []);
    expect(readFileSync(`${p}.bin`).length).toBe(0);
    expect(readIndexedDataset(p).docIdx.length).toBe(1);
    expect(verifyIndexedDataset(p)).toEqual([]);
  });

  it("shows no file under its final name until finish, and leaves nothing behind on abort", () => {
    const dir = tmpDir();
    const p = path.join(dir, "partial_text_document");
    const w = new DatasetWriter(p, "uint16");
    w.append([1, 2, 3]);
    expect(existsSync(`${p}.bin`) || existsSync(`${p}.idx`)).toBe(false);
    w.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses a token id the dtype cannot hold instead of wrapping it", () => {
    const w = new DatasetWriter(path.join(tmpDir(), "x_text_document"), "uint16");
    expect(() => w.append([65536])).toThrow(/does not fit uint16/);
    w.abort();
  });
});

describe("verifying a dataset", () => {
  function good(): string {
    const p = path.join(tmpDir(), "ko_text_document");
    write(p, [[1, 2, 3], [4, 5], [6]]);
    return p;
  }

  it("reports a truncated .bin with both sizes", () => {
    const p = good();
    truncateSync(`${p}.bin`, 8);
    expect(verifyIndexedDataset(p)).toEqual([expect.stringMatching(/\.bin: 8 bytes, but sum\(sizes\) × 2 = 12 \(truncated\?\)/)]);
  });

  it("reports a wrong magic", () => {
    const p = good();
    const idx = readFileSync(`${p}.idx`);
    idx.write("TNTIDX\0\0\0", 0, "latin1");
    writeFileSync(`${p}.idx`, idx);
    expect(verifyIndexedDataset(p)).toEqual([expect.stringMatching(/wrong magic .*expected "MMIDIDX/)]);
  });

  it("reports a pointer that disagrees with the sizes, naming the document", () => {
    const p = good();
    const idx = readFileSync(`${p}.idx`);
    idx.writeBigInt64LE(7n, 34 + 3 * 4 + 8); // document 1 should start at byte 6
    writeFileSync(`${p}.idx`, idx);
    expect(verifyIndexedDataset(p)).toEqual([expect.stringMatching(/1 pointer\(s\) disagree .*document 1 \(pointer 7, expected 6\)/)]);
  });

  it("reports a doc_idx that is not [0..N], like the one GPT-NeoX's merge leaves", () => {
    const p = good();
    const idx = readFileSync(`${p}.idx`);
    idx.writeBigInt64LE(5n, 34 + 3 * 12 + 8 * 2);
    writeFileSync(`${p}.idx`, idx);
    expect(verifyIndexedDataset(p)).toEqual([expect.stringMatching(/doc_idx .*expected \[0, 1, …, 3\]/)]);
  });

  it("reports an unknown dtype code, a wrong version and an index of the wrong length", () => {
    const cases: [(b: Buffer) => Buffer, RegExp][] = [
      [(b) => (b.writeUInt8(6, 17), b), /dtype code 6/],
      [(b) => (b.writeBigUInt64LE(2n, 9), b), /version 2, expected 1/],
      [(b) => b.subarray(0, b.length - 1), /bytes, but the header's 3 sequences/],
      [(b) => b.subarray(0, 20), /shorter than the 34-byte header/],
    ];
    for (const [damage, message] of cases) {
      const p = good();
      writeFileSync(`${p}.idx`, damage(readFileSync(`${p}.idx`)));
      expect(verifyIndexedDataset(p)).toEqual([expect.stringMatching(message)]);
    }
  });

  it("reports a missing .bin or .idx", () => {
    const p = good();
    rmSync(datasetFiles(p).bin);
    expect(verifyIndexedDataset(p)).toEqual([expect.stringMatching(/\.bin: no such file/)]);
    expect(verifyIndexedDataset(`${p}-other`)).toEqual([expect.stringMatching(/\.idx: no such file/)]);
  });

  it("with a vocabulary size, reports token ids outside it", () => {
    const p = good();
    expect(verifyIndexedDataset(p, { vocabSize: 7 })).toEqual([]);
    expect(verifyIndexedDataset(p, { vocabSize: 6 })).toEqual([expect.stringMatching(/1 token id\(s\) are not below the vocabulary size 6/)]);
  });
});
