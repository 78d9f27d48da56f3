import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Document } from "../../src/types.js";
import { PagedInt32Array } from "../../src/dedup/files/paged-int32.js";
import { writeSignatures } from "../../src/dedup/phases/phase-signatures.js";
import { findCandidatePairs } from "../../src/dedup/phases/phase-pairs.js";
import { buildClusters } from "../../src/dedup/phases/phase-clusters.js";
import { bandsFor, WorkDir } from "../../src/dedup/files/work-dir.js";
import { resolveSignatureParams } from "../../src/dedup/minhash/signature.js";
import { ROOT } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";
import { Rng, distinctDocs, substituteWords } from "./synthetic-korean.js";

const removalLists = (workDir: string, tasks: number) => Array.from({ length: tasks }, (_, t) => readFileSync(new WorkDir(workDir).removals(t)).toString("base64"));

describe("a paged Int32 array", () => {
  it("reads back every value written while paging through a file far larger than its memory", () => {
    const file = path.join(tmpDir(), "cells.bin");
    const n = 100_000;
    const paged = new PagedInt32Array(n, 16 * 1024, file);
    const plain = new Int32Array(n);
    expect(paged.spilled).toBe(true);
    const rng = new Rng(5);
    const wrong: number[] = [];
    for (let k = 0; k < 20_000; k++) {
      const i = rng.int(n);
      const v = rng.int(2 ** 31) - 2 ** 30;
      paged.set(i, v);
      plain[i] = v;
      const j = rng.int(n);
      if (paged.get(j) !== plain[j]) wrong.push(j);
    }
    for (let i = 0; i < n; i++) if (paged.get(i) !== plain[i]) wrong.push(i);
    expect(wrong).toEqual([]);
    expect(paged.pageIO).toBeGreaterThan(0);
    paged.close();
    expect(existsSync(file)).toBe(false);
  });

  it("stays in memory, with no file, when it fits the budget", () => {
    const file = path.join(tmpDir(), "cells.bin");
    const small = new PagedInt32Array(1000, 1 << 20, file);
    small.set(999, -3);
    expect([small.spilled, small.get(999), small.get(0), existsSync(file)]).toEqual([false, -3, 0, false]);
    small.close();
  });
});

describe("clustering within --memory-mb", () => {
  it("writes the same removal lists and summary when the union-find pages through a file", async () => {
    // Near copies and exact copies spread over three tasks, chained across tasks.
    const bases = distinctDocs(60, "base", 200, 4000);
    const tasks: Document[][] = [[], [], []];
    bases.forEach((d, i) => {
      tasks[i % 3]!.push(d);
      tasks[(i + 1) % 3]!.push({ ...d, id: `near-${i}`, text: substituteWords(d.text, 2, 90 + i) });
      if (i % 4 === 0) tasks[(i + 2) % 3]!.push({ ...d, id: `copy-${i}` });
    });
    const params = resolveSignatureParams({});
    const runAll = async (memoryMb: number) => {
      const dir = tmpDir();
      for (let t = 0; t < 3; t++) await writeSignatures(t, tasks[t]!, dir, { params, memoryMb: 64 });
      for (const band of bandsFor(params)) findCandidatePairs(dir, band, { params, tasks: 3 });
      return { summary: buildClusters(dir, { params, tasks: 3, memoryMb }), lists: removalLists(dir, 3) };
    };
    const inMemory = await runAll(1024);
    // 1/1000 MiB: a few hundred bytes for a union-find of 255 documents.
    const paged = await runAll(0.001);
    expect(inMemory.summary.removed).toBeGreaterThan(60);
    expect(paged).toEqual(inMemory);
  });

  it("clusters 3 million tiny documents with a peak RSS growth far below what their union-find would take in memory", () => {
    const big = tmpDir();
    const warm = tmpDir();
    const docs = 3_000_000;
    // Phases 1 and 2 for real, exact duplicates only (every 20th text repeats), in a child so that this
    // process's heap does not matter; then phase 3 in a fresh child that reports its own peak RSS.
    const dist = JSON.stringify(path.join(ROOT, "dist", "dedup", "phases"));
    const prepare = `
      const { writeSignatures } = await import(${dist} + "/phase-signatures.js");
      const { findCandidatePairs } = await import(${dist} + "/phase-pairs.js");
      const params = { exactOnly: true };
      for (const [dir, n] of [[${JSON.stringify(big)}, ${docs}], [${JSON.stringify(warm)}, 20000]]) {
        for (let t = 0; t < 2; t++) {
          function* docs() { for (let i = t * n / 2; i < (t + 1) * n / 2; i++) yield { id: "d" + i, text: "w" + (i % (n - n / 20)), meta: {} }; }
          await writeSignatures(t, docs(), dir, { params, memoryMb: 64 });
        }
        findCandidatePairs(dir, "exact", { params, tasks: 2, verify: "off", memoryMb: 64 });
      }`;
    const p = spawnSync(process.execPath, ["--input-type=module", "-e", prepare], { encoding: "utf8" });
    expect(p.status, p.stderr).toBe(0);
    // A first, small run compiles the code (a few MB of RSS that do not depend on the corpus).
    const clusterWith = (memoryMb: number) => {
      const cluster = `
        const { buildClusters } = await import(${dist} + "/phase-clusters.js");
        buildClusters(${JSON.stringify(warm)}, { params: { exactOnly: true }, tasks: 2, memoryMb: ${memoryMb} });
        const before = process.resourceUsage().maxRSS;
        const s = buildClusters(${JSON.stringify(big)}, { params: { exactOnly: true }, tasks: 2, memoryMb: ${memoryMb} });
        console.log(JSON.stringify({ growthKb: process.resourceUsage().maxRSS - before, removed: s.removed, docs: s.docs }));`;
      const c = spawnSync(process.execPath, ["--input-type=module", "-e", cluster], { encoding: "utf8" });
      expect(c.status, c.stderr).toBe(0);
      return JSON.parse(c.stdout) as { growthKb: number; removed: number; docs: number };
    };
    const paged = clusterWith(2);
    const inMemory = clusterWith(1024);
    for (const r of [paged, inMemory]) {
      expect(r.docs).toBe(docs);
      expect(r.removed).toBe(docs / 20);
    }
    // In memory the union-find alone takes 4 bytes per document (12 MB); with --memory-mb 2 it pages,
    // so the same clustering must grow by at least half of that less. (Side by side, not an absolute
    // bound: the runtime's own heap growth varies by a few MB from machine to machine.)
    expect(paged.growthKb * 1024 + (docs * 4) / 2).toBeLessThan(inMemory.growthKb * 1024);
  }, 600_000);
});
