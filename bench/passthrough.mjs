#!/usr/bin/env node
/**
 * Pass-through benchmark (issue 2): korpipe's read + parse + write of a ≥200 MB Korean JSONL corpus,
 * side by side with a plain readline + JSON.parse + JSON.stringify loop, alternating runs in one
 * process tree so that machine noise hits both. Each run is a child process on one core, so its peak
 * RSS is its own.
 *
 *   npm run bench:passthrough            # 220 MB, 3 rounds
 *   node bench/passthrough.mjs 400 5     # size in MB, rounds
 */
import { spawnSync } from "node:child_process";
import { createReadStream, createWriteStream, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { benchCorpus, median, OUT } from "./lib/corpus.mjs";

const self = fileURLToPath(import.meta.url);

async function baseline(input, output) {
  const out = createWriteStream(output);
  const rl = readline.createInterface({ input: createReadStream(input), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line) continue;
    const rec = JSON.parse(line);
    if (!out.write(JSON.stringify(rec) + "\n")) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

async function korpipe(input, outputDir) {
  const { readDocuments, writeDocuments, StageStats } = await import("../dist/index.js");
  const stats = new StageStats("read");
  await writeDocuments(readDocuments([input], { stats }), { outputDir, inputs: [input] });
}

if (process.argv[2] === "--child") {
  const [, , , which, input, output] = process.argv;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  if (which === "baseline") await baseline(input, output);
  else await korpipe(input, output);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  // CPU seconds hold up on a shared machine where wall time does not (other jobs take the cores).
  process.stdout.write(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const sizeMB = Number(process.argv[2] ?? 220);
const rounds = Number(process.argv[3] ?? 3);
const input = benchCorpus(sizeMB);
if (!input) {
  console.log("skipped: ../shared/corpora and ../shared/tools are not here to make the benchmark corpus");
  process.exit(0);
}
const mb = statSync(input).size / 1e6;

function run(which) {
  const output = path.join(OUT, `passthrough-${which}`);
  rmSync(output, { recursive: true, force: true });
  const r = spawnSync(process.execPath, [self, "--child", which, input, which === "baseline" ? output + ".jsonl" : output], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${which} failed: ${r.stderr}`);
  rmSync(output + ".jsonl", { force: true });
  rmSync(output, { recursive: true, force: true });
  return JSON.parse(r.stdout);
}

const results = { baseline: [], korpipe: [] };
for (let i = 0; i < rounds; i++) {
  for (const which of i % 2 === 0 ? ["baseline", "korpipe"] : ["korpipe", "baseline"]) {
    const r = run(which);
    results[which].push(r);
    console.log(`round ${i + 1} ${which.padEnd(8)} ${(mb / r.seconds).toFixed(1)} MB/s wall, ${(mb / r.cpuSeconds).toFixed(1)} MB/CPU-s  peak RSS ${r.maxRssMB.toFixed(0)} MB`);
  }
}
const rate = (which) => mb / median(results[which].map((r) => r.seconds));
const rss = (which) => Math.max(...results[which].map((r) => r.maxRssMB));
console.log(`\ncorpus ${mb.toFixed(0)} MB, ${rounds} rounds, medians, one core each:`);
console.log(`  baseline (readline + JSON.parse + JSON.stringify): ${rate("baseline").toFixed(1)} MB/s per core, peak RSS ${rss("baseline").toFixed(0)} MB`);
console.log(`  korpipe read + write (stats, rejects, atomic output): ${rate("korpipe").toFixed(1)} MB/s per core, peak RSS ${rss("korpipe").toFixed(0)} MB`);
const cpuRate = (which) => mb / median(results[which].map((r) => r.cpuSeconds));
console.log(`  ratio korpipe / baseline: ${(rate("korpipe") / rate("baseline")).toFixed(2)}x wall, ${(cpuRate("korpipe") / cpuRate("baseline")).toFixed(2)}x CPU-seconds (target >= 0.8x, peak RSS < 300 MB)`);
