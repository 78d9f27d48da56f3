import { describe, expect, it } from "vitest";
import type { Document } from "../../src/types.js";
import { StageStats } from "../../src/stats/stage-stats.js";
import { MinHashLSH } from "../../src/dedup/minhash/lsh-index.js";
import { dedupStage } from "../../src/dedup/dedup-stage.js";
import type { DuplicateRecord } from "../../src/dedup/phases/phase-filter.js";
import { collect, tmpDir } from "../helpers/tmp.js";
import { distinctDocs, koreanText, substituteWords } from "./synthetic-korean.js";

async function* toAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

describe("MinHashLSH (in memory)", () => {
  it("finds an edited copy and not an unrelated text", () => {
    const lsh = new MinHashLSH();
    const base = koreanText(1, 150);
    lsh.insert("base", base);
    lsh.insert("other", koreanText(2, 150));
    const matches = lsh.query(substituteWords(base, 1, 3));
    expect(matches.map((m) => m.key)).toEqual(["base"]);
    expect(matches[0]!.similarity).toBeGreaterThan(0.85);
    expect(lsh.query(koreanText(4, 150))).toEqual([]);
  });

  it("drops candidates below its threshold", () => {
    const base = koreanText(5, 200);
    const loose = new MinHashLSH({ bands: 40, rows: 4 });
    const strict = new MinHashLSH({ bands: 40, rows: 4, threshold: 0.8 });
    for (const lsh of [loose, strict]) lsh.insert(1, base);
    const mid = substituteWords(base, 8, 6); // J = 0.66
    expect(loose.query(mid).map((m) => m.key)).toEqual([1]);
    expect(strict.query(mid)).toEqual([]);
  });

  it("accepts precomputed signatures and refuses ones of another size", () => {
    const lsh = new MinHashLSH<number>();
    const sig = lsh.signature(koreanText(7, 50));
    lsh.insert(7, sig);
    expect(lsh.query(sig)).toEqual([{ key: 7, similarity: 1 }]);
    expect(() => lsh.insert(8, new Uint32Array(10))).toThrow(/signature has 10 values, this index uses 160/);
    expect(() => lsh.insert(7, sig)).toThrow(/already in the index/);
  });
});

describe("dedupStage", () => {
  it("drops exact and near duplicates from a stream, keeping the first, and counts them", async () => {
    const docs: Document[] = distinctDocs(30);
    docs.push({ id: "near", text: substituteWords(docs[4]!.text, 1, 9), meta: { lang: "ko" }, source: { file: "x.jsonl", line: 31 } });
    docs.push({ id: "exact", text: docs[10]!.text, meta: {} });
    const stats = new StageStats("dedup");
    const removed: DuplicateRecord[] = [];
    const out = await collect(dedupStage({ onDuplicate: (r) => removed.push(r), tmpDir: tmpDir() })(toAsync(docs), stats));
    expect(out.map((d) => d.id)).toEqual(docs.slice(0, 30).map((d) => d.id));
    expect(out[0]).toEqual(docs[0]);
    expect(removed.map((r) => [r.id, r.duplicate_of, r.kind])).toEqual([
      ["near", "doc4", "near"],
      ["exact", "doc10", "exact"],
    ]);
    expect(stats.toJSON()).toMatchObject({ docs_in: 32, docs_out: 30, duplicates: 2 });
  });

  it("keeps the same documents with worker threads as without", async () => {
    const docs: Document[] = [];
    for (let i = 0; i < 200; i++) docs.push({ id: `d${i}`, text: i % 3 === 0 && i > 0 ? substituteWords(docs[i - 1]!.text, 1, i) : koreanText(i, 100), meta: {} });
    const run = async (workers: number) => (await collect(dedupStage({ workers, tmpDir: tmpDir() })(toAsync(docs), new StageStats("d")))).map((d) => d.id);
    const inline = await run(0);
    expect(inline.length).toBeLessThan(150);
    expect(await run(2)).toEqual(inline);
  });

  it("removes its temporary files when done", async () => {
    const dir = tmpDir();
    await collect(dedupStage({ tmpDir: dir })(toAsync(distinctDocs(3)), new StageStats("d")));
    const { readdirSync } = await import("node:fs");
    expect(readdirSync(dir)).toEqual([]);
  });
});
