#!/usr/bin/env node
/**
 * Scrub benchmark (issue 3): korpipe's read + scrub + write against the pass-through (read +
 * write, no stage) on the same ≥200 MB Korean JSONL corpus, alternating runs in one process
 * tree so that machine noise hits both. Each run is a child process on one core. Also times the
 * scrubber alone on the corpus texts in memory, to show what the stage itself costs.
 *
 *   npm run build && node bench/scrub.mjs            # 220 MB, 5 rounds
 *   node bench/scrub.mjs 400 5                        # size in MB, rounds
 *
 * The corpus comes from ../shared/tools/make-bench-corpus.py (about 3% of documents carry a
 * phone number, account or RRN); without ../shared the benchmark says so and exits 0.
 */
import { spawnSync } from "node:child_process";
import { createReadStream, rmSync, statSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { benchCorpus, median, OUT } from "./lib/corpus.mjs";

const self = fileURLToPath(import.meta.url);

async function pipeline(which, input, outputDir) {
  const { readDocuments, writeDocuments, StageStats } = await import("../dist/index.js");
  const { scrubStage } = await import("../dist/pii/index.js");
  const readStats = new StageStats("read");
  let docs = readDocuments([input], { stats: readStats });
  const scrubStats = new StageStats("scrub");
  if (which === "scrub") docs = scrubStage()(docs, scrubStats);
  await writeDocuments(docs, { outputDir, inputs: [input] });
  return scrubStats.toJSON().counters;
}

/** The scrubber alone: texts read into memory first, then find() timed over all of them. */
async function scrubberOnly(input) {
  const { Scrubber } = await import("../dist/pii/index.js");
  const texts = [];
  const rl = readline.createInterface({ input: createReadStream(input), crlfDelay: Infinity });
  for await (const line of rl) if (line) texts.push(JSON.parse(line).text);
  const scrubber = new Scrubber();
  const t0 = performance.now();
  let found = 0;
  for (const t of texts) found += scrubber.find(t).length;
  return { found, textMB: texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6, seconds: (performance.now() - t0) / 1000 };
}

if (process.argv[2] === "--child") {
  const [, , , which, input, output] = process.argv;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = which === "scrubber" ? await scrubberOnly(input) : { counters: await pipeline(which, input, output) };
  const seconds = result.seconds ?? (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(JSON.stringify({ ...result, seconds, cpuSeconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const sizeMB = Number(process.argv[2] ?? 220);
const rounds = Number(process.argv[3] ?? 5);
const input = benchCorpus(sizeMB);
if (!input) {
  console.log("skipped: ../shared/corpora and ../shared/tools are not here to make the benchmark corpus");
  process.exit(0);
}
const mb = statSync(input).size / 1e6;

function run(which) {
  const output = path.join(OUT, `scrub-bench-${which}`);
  rmSync(output, { recursive: true, force: true });
  const r = spawnSync(process.execPath, [self, "--child", which, input, output], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${which} failed: ${r.stderr}`);
  rmSync(output, { recursive: true, force: true });
  return JSON.parse(r.stdout);
}

const results = { passthrough: [], scrub: [] };
for (let i = 0; i < rounds; i++) {
  for (const which of i % 2 === 0 ? ["passthrough", "scrub"] : ["scrub", "passthrough"]) {
    const r = run(which);
    results[which].push(r);
    console.log(`round ${i + 1} ${which.padEnd(11)} ${(mb / r.seconds).toFixed(1)} MB/s wall, ${(mb / r.cpuSeconds).toFixed(1)} MB/s of CPU time  peak RSS ${r.maxRssMB.toFixed(0)} MB`);
  }
}
const alone = run("scrubber");
const rate = (which) => mb / median(results[which].map((r) => r.seconds));
// CPU seconds (user + system) of the run: less sensitive to other load on a shared machine.
const cpuRate = (which) => mb / median(results[which].map((r) => r.cpuSeconds));
// The fastest run of each: the one least disturbed by whatever else the machine was doing.
const bestRate = (which) => mb / Math.min(...results[which].map((r) => r.seconds));
const counters = results.scrub[0].counters;
console.log(`\ncorpus ${mb.toFixed(0)} MB (${path.basename(input)}), ${rounds} rounds, medians, one core each:`);
console.log(`  pass-through (korpipe read + write):          ${rate("passthrough").toFixed(1)} MB/s per core wall, ${cpuRate("passthrough").toFixed(1)} MB/s of CPU time`);
console.log(`  scrub        (korpipe read + scrub + write):  ${rate("scrub").toFixed(1)} MB/s per core wall, ${cpuRate("scrub").toFixed(1)} MB/s of CPU time`);
// Each round ran the two back to back: their ratio cancels the drift of a shared machine's load
// between rounds, which the medians of each side do not.
const roundRatios = results.scrub.map((r, i) => results.passthrough[i].cpuSeconds / r.cpuSeconds);
console.log(
  `  ratio scrub / pass-through: ${(rate("scrub") / rate("passthrough")).toFixed(2)}x wall, ${(cpuRate("scrub") / cpuRate("passthrough")).toFixed(2)}x CPU time, ` +
    `${(bestRate("scrub") / bestRate("passthrough")).toFixed(2)}x best run against best run (target >= 0.70x)`,
);
console.log(`  ratio of the two runs of each round (CPU time): ${roundRatios.map((r) => r.toFixed(2)).join(", ")}; median ${median(roundRatios).toFixed(2)}x`);
console.log(`  scrubber alone on the texts in memory: ${(alone.textMB / alone.seconds).toFixed(0)} MB/s of text per core`);
console.log(`  found: pii.rrn ${counters["pii.rrn"]}, pii.tell ${counters["pii.tell"]}, pii.acc ${counters["pii.acc"]} in ${counters["pii.docs"]} documents`);
