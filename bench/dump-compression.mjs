#!/usr/bin/env node
/**
 * Should prepare's document dumps be compressed (issue 12 item 6, issue 13)? Writes the same documents
 * as a dump with no compression, zstd level 1 and zstd level 3, reads each back, and prints bytes on
 * disk and CPU-seconds of writing and reading, side by side in one run (rounds interleaved, medians),
 * as ratios to no compression.
 *
 *   npm run build && node bench/dump-compression.mjs [SIZE_MB=100] [ROUNDS=3]
 */
import { mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { benchCorpus, median, OUT, ROOT } from "./lib/corpus.mjs";

const sizeMB = Number(process.argv[2] ?? 100);
const rounds = Number(process.argv[3] ?? 3);
const input = benchCorpus(sizeMB);
if (!input) {
  console.log("bench/dump-compression: skipped (../shared/corpora and tools are needed)");
  process.exit(0);
}
const { DocumentDumpWriter, readDocumentDump } = await import(path.join(ROOT, "dist/io/document-dump.js"));
const docs = readFileSync(input, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l, i) => {
    const { id, text } = JSON.parse(l);
    return { id, text, meta: {}, source: { file: input, line: i + 1 } };
  });
const dir = path.join(OUT, "dump-compression");
mkdirSync(dir, { recursive: true });
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

const variants = [
  { name: "none", file: "d.docs", options: {} },
  { name: "zstd 1", file: "d1.docs.zst", options: { compression: "zstd", level: 1 } },
  { name: "zstd 3", file: "d3.docs.zst", options: { compression: "zstd", level: 3 } },
];
const results = new Map(variants.map((v) => [v.name, { write: [], read: [], bytes: 0 }]));
for (let r = 0; r < rounds; r++) {
  for (const v of variants) {
    const file = path.join(dir, v.file);
    const res = results.get(v.name);
    let t = cpu();
    const w = new DocumentDumpWriter(file, v.options);
    for (const d of docs) w.add(d);
    w.commit();
    res.write.push(cpu() - t);
    res.bytes = statSync(file).size;
    t = cpu();
    let n = 0;
    for await (const _ of readDocumentDump(file)) n++;
    res.read.push(cpu() - t);
    if (n !== docs.length) throw new Error(`${v.name}: read ${n} of ${docs.length} documents`);
    rmSync(file);
  }
}
const base = results.get("none");
console.log(`bench/dump-compression: ${docs.length} documents, ${(statSync(input).size / 1e6).toFixed(0)} MB of JSONL, ${rounds} rounds (medians)`);
for (const v of variants) {
  const r = results.get(v.name);
  console.log(
    `  ${v.name.padEnd(7)} ${(r.bytes / 1e6).toFixed(1)} MB (${(r.bytes / base.bytes).toFixed(3)}x) | write ${median(r.write).toFixed(2)} CPU-s ` +
      `(${(median(r.write) / median(base.write)).toFixed(2)}x) | read ${median(r.read).toFixed(2)} CPU-s (${(median(r.read) / median(base.read)).toFixed(2)}x)`,
  );
}
