import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sliceFile } from "../../src/io/file-slices.js";
import { splitIntoTasks } from "../../src/run/plan/tasks.js";
import { readDocuments } from "../../src/stages/read.js";
import { collect, tmpDir } from "../helpers/tmp.js";

describe("sliceFile", () => {
  it("cuts only at line starts, covers every byte once, and knows each slice's first line number", async () => {
    const dir = tmpDir();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: fc.constantFrom("가", "a", " ") }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 9 }), async (lines, pieces) => {
        const file = path.join(dir, "f.txt");
        const buf = Buffer.from(lines.join("\n") + "\n");
        writeFileSync(file, buf);
        const slices = await sliceFile(file, buf.length, pieces);
        expect(slices[0]!.start).toBe(0);
        expect(slices[slices.length - 1]!.end).toBe(buf.length);
        for (let i = 1; i < slices.length; i++) {
          expect(slices[i]!.start).toBe(slices[i - 1]!.end);
          expect(buf[slices[i]!.start - 1]).toBe(0x0a);
          const before = buf.subarray(0, slices[i]!.start).toString().split("\n").length;
          expect(slices[i]!.firstLine).toBe(before);
        }
        expect(slices.length).toBeLessThanOrEqual(pieces);
      }),
      { numRuns: 150 },
    );
  });

  it("reads the same documents, with the same ids and line numbers, sliced or whole", async () => {
    const dir = tmpDir();
    const file = path.join(dir, "big.jsonl");
    const records = Array.from({ length: 500 }, (_, i) => (i % 97 === 5 ? "{bad" : JSON.stringify({ text: `문서 ${i} `.repeat((i % 13) + 1) })));
    writeFileSync(file, records.join("\n") + "\n");
    const size = readFileSync(file).length;
    const whole = await collect(readDocuments([file]));
    const slices = await sliceFile(file, size, 7);
    expect(slices.length).toBe(7);
    const sliced = await collect(readDocuments(slices));
    expect(sliced.map((d) => [d.id, d.text, d.source?.line])).toEqual(whole.map((d) => [d.id, d.text, d.source?.line]));
  });
});

describe("splitIntoTasks", () => {
  it("keeps input order and balances by size", () => {
    const parts = [10, 10, 10, 10, 40, 10, 10].map((size, i) => ({ part: `f${i}`, size }));
    const tasks = splitIntoTasks(parts, 3);
    expect(tasks.flat()).toEqual(parts.map((p) => p.part));
    expect(tasks).toHaveLength(3);
  });

  it("never makes more tasks than parts", () => {
    expect(splitIntoTasks([{ part: "a", size: 1 }], 8)).toEqual([["a"]]);
  });
});
