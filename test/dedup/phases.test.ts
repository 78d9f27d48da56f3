import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Document } from "../../src/types.js";
import { StageStats } from "../../src/stats/stage-stats.js";
import { writeSignatures } from "../../src/dedup/phases/phase-signatures.js";
import { findCandidatePairs } from "../../src/dedup/phases/phase-pairs.js";
import { buildClusters, type ClusterSummary } from "../../src/dedup/phases/phase-clusters.js";
import { removalFilter, InputChangedError, type DuplicateRecord } from "../../src/dedup/phases/phase-filter.js";
import { DamagedFileError } from "../../src/dedup/files/record-file.js";
import { bandsFor, WorkDir } from "../../src/dedup/files/work-dir.js";
import { exactJaccard } from "../../src/dedup/minhash/shingles.js";
import { resolveSignatureParams, type SignatureParams } from "../../src/dedup/minhash/signature.js";
import type { VerifyMode } from "../../src/dedup/minhash/lsh-params.js";
import { collect, tmpDir } from "../helpers/tmp.js";
import { distinctDocs, koreanText, substituteWords } from "./synthetic-korean.js";

interface Outcome {
  kept: string[];
  duplicates: DuplicateRecord[];
  summary: ClusterSummary;
  stats: StageStats[];
}

interface RunOptions {
  params?: Partial<SignatureParams>;
  verify?: VerifyMode;
  threshold?: number;
}

/** All four phases, task by task and band by band, as a cluster runner would call them. */
async function dedupTasks(tasks: Document[][], workDir = tmpDir(), options: RunOptions = {}): Promise<Outcome> {
  const params = resolveSignatureParams(options.params);
  for (let t = 0; t < tasks.length; t++) await writeSignatures(t, tasks[t]!, workDir, { params, memoryMb: 64 });
  for (const band of bandsFor(params)) findCandidatePairs(workDir, band, { params, tasks: tasks.length, verify: options.verify, threshold: options.threshold });
  const summary = buildClusters(workDir, { params, tasks: tasks.length });
  return filterTasks(tasks, workDir, params, summary);
}

async function filterTasks(tasks: Document[][], workDir: string, params: Partial<SignatureParams>, summary: ClusterSummary): Promise<Outcome> {
  const kept: string[] = [];
  const duplicates: DuplicateRecord[] = [];
  const stats: StageStats[] = [];
  for (let t = 0; t < tasks.length; t++) {
    const s = new StageStats(`dedup-${t}`);
    stats.push(s);
    const stage = removalFilter(workDir, t, { params, onDuplicate: (r) => duplicates.push(r) });
    for (const d of await collect(stage(toAsync(tasks[t]!), s))) kept.push(d.id);
  }
  return { kept, duplicates, summary, stats };
}

async function* toAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

const doc = (id: string, text: string): Document => ({ id, text, meta: {} });

describe("file-based dedup phases", () => {
  it("removes an exact duplicate, naming the document it duplicates, with similarity 1", async () => {
    const [a, b] = distinctDocs(2);
    const copy = doc("copy", `  ${a!.text.replaceAll(" ", "   ")}\n`);
    const out = await dedupTasks([[a!, b!, copy]]);
    expect(out.kept).toEqual(["doc0", "doc1"]);
    expect(out.duplicates).toEqual([{ id: "copy", duplicate_of: "doc0", similarity_estimate: 1, kind: "exact" }]);
    expect(out.summary).toMatchObject({ docs: 3, clusters: 1, removed: 1, removed_exact: 1, removed_near: 0, cluster_size_histogram: { "2": 1 } });
  });

  it("removes near duplicates at Jaccard 0.9 and keeps documents at 0.3, even without verification", async () => {
    const docs: Document[] = [];
    const expectRemoved: string[] = [];
    for (let i = 0; i < 10; i++) {
      const base = koreanText(100 + i, 200);
      const close = substituteWords(base, 2, 500 + i); // J = 0.903
      const far = substituteWords(base, 21, 900 + i); // J = 0.30
      expect(exactJaccard(base, close)).toBeCloseTo(0.903, 2);
      expect(exactJaccard(base, far)).toBeCloseTo(0.3, 1);
      docs.push(doc(`base${i}`, base), doc(`close${i}`, close), doc(`far${i}`, far));
      expectRemoved.push(`close${i}`);
    }
    for (const verify of ["off", "exact"] as const) {
      const out = await dedupTasks([docs], tmpDir(), { verify });
      expect(out.duplicates.map((d) => d.id)).toEqual(expectRemoved);
      for (const d of out.duplicates) {
        expect(d.kind).toBe("near");
        expect(d.duplicate_of).toBe(d.id.replace("close", "base"));
        // With shingle sets (the default) the reported similarity is exact: 2 edits in 200 words.
        expect(d.similarity_estimate).toBeCloseTo(0.903, 3);
      }
    }
  });

  it("verifies against a task's new files when the task is redone in the same work directory and thread", async () => {
    // Many near copies make verification read the tables whole and keep sorted sets; a redo must not see them.
    const corpus = (seed: number, edits: number) =>
      Array.from({ length: 60 }, (_, i) => {
        const base = koreanText(seed + i, 120);
        return [doc(`base${i}`, base), doc(`copy${i}`, substituteWords(base, edits, seed + 500 + i))];
      }).flat();
    const dir = tmpDir();
    const first = await dedupTasks([corpus(3000, 1)], dir, { verify: "exact" });
    expect(first.duplicates).toHaveLength(60);
    const redone = await dedupTasks([corpus(4000, 6)], dir, { verify: "exact" });
    const fresh = await dedupTasks([corpus(4000, 6)], tmpDir(), { verify: "exact" });
    expect(redone.duplicates).toEqual(fresh.duplicates);
    expect(redone.summary).toEqual(fresh.summary);
  });

  it("with verification, removes pairs at Jaccard 0.9 and keeps pairs at 0.66 (threshold 0.8)", async () => {
    const docs: Document[] = [];
    for (let i = 0; i < 10; i++) {
      const base = koreanText(200 + i, 200);
      docs.push(doc(`base${i}`, base), doc(`close${i}`, substituteWords(base, 2, 600 + i)), doc(`mid${i}`, substituteWords(base, 8, 700 + i)));
    }
    const plain = await dedupTasks([docs], tmpDir(), { verify: "off" });
    // Without verification LSH also catches many of the 0.66 pairs (P = 0.4 each); with it, none.
    expect(plain.duplicates.filter((d) => d.id.startsWith("mid")).length).toBeGreaterThan(0);
    for (const verify of ["exact", "estimate"] as const) {
      const verified = await dedupTasks([docs], tmpDir(), { verify, threshold: 0.8 });
      expect(verified.duplicates.map((d) => d.id)).toEqual(Array.from({ length: 10 }, (_, i) => `close${i}`));
    }
  });

  it("with exact verification, draws the line exactly at the threshold", async () => {
    const base = koreanText(300, 200);
    const below = substituteWords(base, 3, 301); // J = 0.8581
    const above = substituteWords(base, 2, 302); // J = 0.9035
    const docs = [doc("base", base), doc("below", below), doc("above", above)];
    const at = (threshold: number) => dedupTasks([docs], tmpDir(), { verify: "exact", threshold });
    expect((await at(0.857)).duplicates.map((d) => d.id)).toEqual(["below", "above"]);
    expect((await at(0.859)).duplicates.map((d) => d.id)).toEqual(["above"]);
  });

  it("keeps the first document in input order, also when the earlier copy is in an earlier task", async () => {
    const original = koreanText(7, 150);
    const edited = substituteWords(original, 1, 8);
    const others = distinctDocs(4, "x");
    const out = await dedupTasks([
      [others[0]!, doc("edited-in-task-0", edited)],
      [doc("original-in-task-1", original), others[1]!],
    ]);
    expect(out.kept).toEqual(["x0", "edited-in-task-0", "x1"]);
    expect(out.duplicates).toMatchObject([{ id: "original-in-task-1", duplicate_of: "edited-in-task-0", kind: "near" }]);
  });

  it("removes a whole chain A~B~C as one cluster even when A and C are not similar", async () => {
    const a = koreanText(31, 200);
    const b = substituteWords(a, 2, 32);
    const c = substituteWords(b, 2, 33);
    const out = await dedupTasks([[doc("c", c), doc("x", koreanText(34, 200)), doc("a", a), doc("b", b)]], tmpDir(), { verify: "exact" });
    expect(out.kept).toEqual(["c", "x"]);
    expect(out.duplicates.map((d) => [d.id, d.duplicate_of])).toEqual([
      ["a", "c"],
      ["b", "c"],
    ]);
    expect(out.summary.cluster_size_histogram).toEqual({ "2": 1 }); // one cluster of 3 (bucket 2..3)
    expect(out.summary.largest_cluster).toBe(3);
  });

  it("gives the same result however the input is split into tasks", async () => {
    const docs: Document[] = [];
    for (let i = 0; i < 60; i++) {
      const base = koreanText(40 + (i % 25), 120);
      docs.push(doc(`d${i}`, i < 25 ? base : substituteWords(base, 1 + (i % 2), i)));
    }
    const one = await dedupTasks([docs]);
    const three = await dedupTasks([docs.slice(0, 7), docs.slice(7, 40), docs.slice(40)]);
    expect(three.kept).toEqual(one.kept);
    expect(three.duplicates).toEqual(one.duplicates);
    expect(one.duplicates.length).toBe(35);
  });

  it("accounts for every document: in = out + duplicates", async () => {
    const docs = [...distinctDocs(5), doc("dup", distinctDocs(1)[0]!.text)];
    const out = await dedupTasks([docs.slice(0, 3), docs.slice(3)]);
    const totals = out.stats.map((s) => s.toJSON());
    expect(totals.map((t) => [t.docs_in, t.docs_out, t.duplicates])).toEqual([
      [3, 3, 0],
      [3, 2, 1],
    ]);
  });

  it("matches a text without words only to an exact copy of it", async () => {
    const out = await dedupTasks([[doc("a", "!!!"), doc("b", "???"), doc("c", "!!!")]]);
    expect(out.duplicates).toEqual([{ id: "c", duplicate_of: "a", similarity_estimate: 1, kind: "exact" }]);
  });

  it("with exact-only settings, removes exact copies and keeps near ones", async () => {
    const base = koreanText(50, 100);
    const out = await dedupTasks([[doc("a", base), doc("near", substituteWords(base, 1, 1)), doc("same", base)]], tmpDir(), { params: { exactOnly: true } });
    expect(out.kept).toEqual(["a", "near"]);
    expect(out.duplicates).toEqual([{ id: "same", duplicate_of: "a", similarity_estimate: 1, kind: "exact" }]);
  });
});

describe("damage and mismatches between phases", () => {
  const corpus = () => {
    const docs = distinctDocs(40);
    docs.push(doc("copy", docs[3]!.text));
    return docs;
  };

  it("a task redone after a kill clears the sort runs its killed attempt left in its spill directory", async () => {
    const dir = tmpDir();
    const spill = new WorkDir(dir).spillDir(0);
    mkdirSync(spill, { recursive: true });
    writeFileSync(path.join(spill, "band-03.run-00007.bin"), "left by a killed attempt");
    await writeSignatures(0, corpus(), dir);
    expect(existsSync(path.join(spill, "band-03.run-00007.bin"))).toBe(false);
  });

  it("detects a damaged bucket file when merging its band, naming the file", async () => {
    const dir = tmpDir();
    await writeSignatures(0, corpus(), dir);
    const file = new WorkDir(dir).bucket(0, 3);
    const bytes = readFileSync(file);
    bytes[40] ^= 0x10;
    writeFileSync(file, bytes);
    expect(() => findCandidatePairs(dir, 3, { tasks: 1 })).toThrow(DamagedFileError);
    expect(() => findCandidatePairs(dir, 3, { tasks: 1 })).toThrow(`${file}: damaged dedup intermediate file (checksum mismatch)`);
    expect(() => findCandidatePairs(dir, 4, { tasks: 1 })).not.toThrow();
  });

  it("detects a damaged removal list before the filter drops anything", async () => {
    const dir = tmpDir();
    const docs = corpus();
    await writeSignatures(0, docs, dir);
    for (const band of bandsFor(resolveSignatureParams())) findCandidatePairs(dir, band, { tasks: 1 });
    buildClusters(dir, { tasks: 1 });
    const file = new WorkDir(dir).removals(0);
    const bytes = readFileSync(file);
    bytes[16] ^= 0x01; // first word of the first removal: its ordinal
    writeFileSync(file, bytes);
    const stats = new StageStats("dedup");
    await expect(collect(removalFilter(dir, 0)(toAsync(docs), stats))).rejects.toThrow(`${file}: damaged dedup intermediate file (checksum mismatch)`);
    expect(stats.docsIn).toBe(0);
  });

  it("refuses an input that changed between the signature pass and the filter pass", async () => {
    const dir = tmpDir();
    const docs = corpus();
    await writeSignatures(0, docs, dir);
    for (const band of bandsFor(resolveSignatureParams())) findCandidatePairs(dir, band, { tasks: 1 });
    buildClusters(dir, { tasks: 1 });
    const shuffled = [...docs.slice(0, 39), doc("other", "다른 문서"), docs[40]!];
    const renamed = docs.map((d) => (d.id === "copy" ? { ...d, id: "renamed" } : d));
    await expect(collect(removalFilter(dir, 0)(toAsync(renamed), new StageStats("d")))).rejects.toThrow(InputChangedError);
    await expect(collect(removalFilter(dir, 0)(toAsync(docs.slice(0, 30)), new StageStats("d")))).rejects.toThrow(/saw 30 documents, the signature pass 41/);
    await expect(collect(removalFilter(dir, 0)(toAsync(shuffled), new StageStats("d")))).resolves.toHaveLength(40);
  });

  it("refuses to combine files made with different settings", async () => {
    const dir = tmpDir();
    await writeSignatures(0, corpus(), dir, { params: { bands: 10, rows: 8 } });
    expect(() => findCandidatePairs(dir, 3, { tasks: 1 })).toThrow(/made with dedup settings word:5\/b10\/r8\/seed1\/sets\/v1, this run uses word:5\/b20\/r8/);
  });

  it("says which phase is missing when a task has not finished", async () => {
    const dir = tmpDir();
    await writeSignatures(0, corpus(), dir);
    expect(() => findCandidatePairs(dir, 0, { tasks: 2 })).toThrow(/task-00001\/done.json is missing: signature task 1 has not finished/);
  });
});
