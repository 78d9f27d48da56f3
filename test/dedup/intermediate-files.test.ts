import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DamagedFileError, FileKind, RecordFileReader, RecordFileWriter, verifyRecordFile } from "../../src/dedup/files/record-file.js";
import { SortedBuckets, sortOrder } from "../../src/dedup/files/external-sort.js";
import { tmpDir } from "../helpers/tmp.js";

function writeWords(file: string, words: number[], recordWords = 3): void {
  const w = new RecordFileWriter(file, FileKind.bandBucket, recordWords * 4);
  w.writeWords(Uint32Array.from(words), 0, words.length / recordWords);
  w.commit();
}

function readAll(file: string, kind: FileKind, recordBytes: number): number[] {
  const r = new RecordFileReader(file, kind, recordBytes);
  const out: number[] = [];
  while (r.nextChunk()) for (const w of r.words.subarray(0, (r.chunkRecords * recordBytes) / 4)) out.push(w);
  return out;
}

describe("record files", () => {
  it("read back what was written, after the checksum is verified", () => {
    const file = path.join(tmpDir(), "a.bin");
    writeWords(file, [1, 2, 3, 4, 5, 6]);
    expect(readAll(file, FileKind.bandBucket, 12)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("read back what was written when the writes outgrow the writer's first buffer and its largest one", () => {
    const file = path.join(tmpDir(), "big.bin");
    const w = new RecordFileWriter(file, FileKind.bandBucket, 12);
    const expected: number[] = [];
    const record = new Uint32Array(3);
    for (let i = 0; i < 200_000; i++) {
      record.set([i, i ^ 0x5555, 7 * i]);
      // Both ways of appending, and now and then a block bigger than the first buffer (64 KiB).
      if (i % 3 === 0) w.appendWords(record, 0, 3);
      else w.writeWords(record, 0, 1);
      expected.push(i, i ^ 0x5555, 7 * i);
      if (i % 50_000 === 49_999) {
        const block = Uint32Array.from({ length: 3 * 10_000 }, (_, k) => k);
        w.writeWords(block, 0, 10_000);
        for (const x of block) expected.push(x);
      }
    }
    w.commit();
    expect(readAll(file, FileKind.bandBucket, 12)).toEqual(expected);
  });

  it("appear only when complete: an unfinished writer leaves no file under the final name", () => {
    const dir = tmpDir();
    const w = new RecordFileWriter(path.join(dir, "b.bin"), FileKind.pairs, 16);
    w.writeWords(new Uint32Array(8), 0, 2);
    expect(readdirSync(dir).filter((f) => f === "b.bin")).toEqual([]);
    w.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("detect a flipped byte in the body, naming the file", () => {
    const file = path.join(tmpDir(), "c.bin");
    writeWords(file, Array.from({ length: 300 }, (_, i) => i));
    const bytes = readFileSync(file);
    bytes[100] ^= 0x01;
    writeFileSync(file, bytes);
    expect(() => readAll(file, FileKind.bandBucket, 12)).toThrow(DamagedFileError);
    expect(() => verifyRecordFile(file, FileKind.bandBucket, 12)).toThrow(`${file}: damaged dedup intermediate file (checksum mismatch)`);
  });

  it("detect a truncated file before reading it", () => {
    const file = path.join(tmpDir(), "d.bin");
    writeWords(file, Array.from({ length: 300 }, (_, i) => i));
    truncateSync(file, statSync(file).size - 10);
    expect(() => new RecordFileReader(file, FileKind.bandBucket, 12)).toThrow(/truncated/);
  });

  it("refuse a file of another kind or record size", () => {
    const file = path.join(tmpDir(), "e.bin");
    writeWords(file, [1, 2, 3]);
    expect(() => new RecordFileReader(file, FileKind.pairs, 12)).toThrow(/holds bandBucket, expected pairs/);
    expect(() => new RecordFileReader(file, FileKind.bandBucket, 20)).toThrow(/records of 12 bytes, expected 20/);
  });

  it("report a missing file as an unfinished phase", () => {
    expect(() => verifyRecordFile(path.join(tmpDir(), "nope.bin"), FileKind.pairs, 16)).toThrow(/missing; the phase that writes it did not finish/);
  });
});

describe("sorting bucket records", () => {
  it("orders records by key and keeps input order among equal keys", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 0xffffffff })), { maxLength: 2000 }), (keys) => {
        const words = new Uint32Array(keys.length * 3);
        keys.forEach(([hi, lo], i) => words.set([hi, lo, i], i * 3));
        const order = Array.from(sortOrder(words, keys.length, 3, 2));
        const expected = keys.map((_, i) => i).sort((a, b) => keys[a]![0] - keys[b]![0] || keys[a]![1] - keys[b]![1] || a - b);
        expect(order).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it("orders small and large runs of records (8- and 16-bit radix digits) like a stable comparison sort", () => {
    for (const n of [5_000, 70_000]) {
      const words = new Uint32Array(n * 3);
      for (let i = 0; i < n; i++) {
        const h = Math.imul(i + 1, 0x9e3779b1) >>> 0;
        // Few distinct high words (ties broken by the low word), equal keys now and then (kept in input order).
        words.set([h % 7, i % 11 === 0 ? 42 : h ^ (h >>> 13), i], i * 3);
      }
      const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => words[a * 3]! - words[b * 3]! || words[a * 3 + 1]! - words[b * 3 + 1]! || a - b);
      expect(Array.from(sortOrder(words, n, 3, 2))).toEqual(expected);
    }
  });

  it("writes the same files whether it spills to disk or not", () => {
    const dir = tmpDir();
    const make = (name: string, budget: number) => {
      const specs = [
        { path: path.join(dir, name, "band.bin"), kind: FileKind.bandBucket, keyWords: 2 },
        { path: path.join(dir, name, "exact.bin"), kind: FileKind.exactBucket, keyWords: 4 },
      ];
      const b = new SortedBuckets(specs, path.join(dir, name, "spill"), budget);
      const key = new Uint32Array(4);
      for (let i = 0; i < 50_000; i++) {
        const h = Math.imul(i, 0x9e3779b1) >>> 0;
        b.add2(0, h % 97, h, i);
        key.set([h % 5, 0, h % 3, h]);
        b.add4(1, key, 0, i);
      }
      b.finish();
      return { spills: b.spills, band: readFileSync(specs[0]!.path), exact: readFileSync(specs[1]!.path) };
    };
    const inMemory = make("big", 64 << 20);
    const spilled = make("small", 24 << 10);
    expect(inMemory.spills).toBe(0);
    expect(spilled.spills).toBeGreaterThan(65); // more runs than one merge takes: a multi-pass merge
    expect(spilled.band.equals(inMemory.band)).toBe(true);
    expect(spilled.exact.equals(inMemory.exact)).toBe(true);
    expect(readdirSync(path.join(dir, "small"))).toEqual(["band.bin", "exact.bin"]);
  });
});
