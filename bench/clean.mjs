#!/usr/bin/env node
/**
 * `clean` throughput: read + normalize + quality filter + write over bench/passthrough's corpus, with
 * the korean-web preset (every rule, line cleaning) side by side with the basic preset (korpipe's
 * three original rules, what `clean` did before the Korean filters), alternating in one run. Each
 * run is a child process; its CPU seconds (user + system) are the measure, since wall time drifts
 * on a shared machine.
 *
 *   npm run build && node bench/clean.mjs [SIZE_MB] [ROUNDS]     # default 220 MB, 3 rounds
 *   BASELINE_DIST=../main/dist node bench/clean.mjs 220 3          # also another build's default clean
 *
 * With BASELINE_DIST, a third variant runs that build's `clean` stages with their defaults, for
 * measuring against the code before a change rather than against the basic preset of this one.
 */
import { spawnSync } from "node:child_process";
import { rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { benchCorpus, median, OUT } from "./lib/corpus.mjs";

const self = fileURLToPath(import.meta.url);

if (process.argv[2] === "--child") {
  const [, , , preset, input, outputDir] = process.argv;
  const dist = preset === "baseline" ? pathToFileURL(path.resolve(process.env.BASELINE_DIST, "index.js")).href : "../dist/index.js";
  const { readDocuments, normalize, qualityFilter, writeDocuments, StageStats } = await import(dist);
  const stats = new StageStats("filter");
  const before = process.cpuUsage();
  const t0 = performance.now();
  await writeDocuments(qualityFilter(normalize(readDocuments([input])), preset === "baseline" ? {} : { preset }, stats), { outputDir, inputs: [input] });
  const cpu = process.cpuUsage(before);
  const s = stats.toJSON();
  process.stdout.write(JSON.stringify({ cpuSeconds: (cpu.user + cpu.system) / 1e6, wallSeconds: (performance.now() - t0) / 1000, kept: s.docs_out, filtered: s.filtered }));
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

function run(preset) {
  const output = path.join(OUT, `clean-${preset}`);
  rmSync(output, { recursive: true, force: true });
  const r = spawnSync(process.execPath, [self, "--child", preset, input, output], { encoding: "utf8" });
  rmSync(output, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`${preset} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const variants = process.env.BASELINE_DIST ? ["baseline", "basic", "korean-web"] : ["basic", "korean-web"];
const results = Object.fromEntries(variants.map((v) => [v, []]));
for (let i = 0; i < rounds; i++) {
  for (const preset of i % 2 === 0 ? variants : [...variants].reverse()) {
    const r = run(preset);
    results[preset].push(r);
    console.log(`round ${i + 1} ${preset.padEnd(10)} ${(mb / r.cpuSeconds).toFixed(1)} MB per CPU-second (${r.cpuSeconds.toFixed(1)} CPU-s, ${r.wallSeconds.toFixed(1)} s wall), kept ${r.kept}, filtered ${JSON.stringify(r.filtered)}`);
  }
}
const rate = (p) => mb / median(results[p].map((r) => r.cpuSeconds));
console.log(`\ncorpus ${mb.toFixed(0)} MB, ${rounds} rounds, medians of CPU seconds:`);
console.log(`  clean --preset basic (before the Korean filters): ${rate("basic").toFixed(1)} MB/CPU-s`);
console.log(`  clean --preset korean-web (the default):          ${rate("korean-web").toFixed(1)} MB/CPU-s`);
console.log(`  ratio korean-web / basic: ${(rate("korean-web") / rate("basic")).toFixed(2)}x (target >= 0.70)`);
if (results.baseline) {
  console.log(`  ${process.env.BASELINE_DIST} default clean:             ${rate("baseline").toFixed(1)} MB/CPU-s`);
  console.log(`  ratio korean-web / that build: ${(rate("korean-web") / rate("baseline")).toFixed(2)}x`);
}
