#!/usr/bin/env node
/**
 * Does `korpipe run` time grow linearly with input? (issue 13) The whole pipeline (normalize, filter,
 * scrub, dedup, tokenize with Polyglot-Ko) on generated Korean JSONL of SIZE/4, SIZE (and more sizes
 * if given), one after another in this one process, each measured as wall time and as CPU seconds of
 * korpipe's whole process tree (/usr/bin/time), with the peak size of the output directory (sampled
 * every 5 s) and what is left under OUTPUT/.korpipe afterwards. Prints each size's ratio to the
 * smallest next to the ideal ratio. CPU seconds are the measure to trust on a shared machine: wall
 * time there depends on what else runs.
 *
 *   npm run build && nice node bench/scale.mjs [SIZE_MB=2000] [WORKERS=2] [MORE_SIZES_MB...]
 *   (e.g. `500 2 2000`: 125, 500 and 2000 MB, so 500 → 2000 MB is a 4x step after a 4x step)
 *
 * Needs ../shared (corpora, tools, tokenizers/polyglot-ko); skips cleanly without it.
 */
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { benchCorpus, OUT, SHARED } from "./lib/corpus.mjs";
import { startFullPipeline, timeOf } from "./lib/korpipe-run.mjs";

const sizeMB = Number(process.argv[2] ?? 2000);
const workers = Number(process.argv[3] ?? 2);
const sizes = [Math.round(sizeMB / 4), sizeMB, ...process.argv.slice(4).map(Number)];
const tokenizerFile = path.join(SHARED, "tokenizers/polyglot-ko/tokenizer.json");
if (!existsSync(tokenizerFile) || !benchCorpus(sizes[0])) {
  console.log("bench/scale: skipped (../shared/corpora, tools and tokenizers/polyglot-ko are needed)");
  process.exit(0);
}
if (!existsSync("/usr/bin/time")) {
  console.log("bench/scale: skipped (needs /usr/bin/time to count the CPU time of korpipe's threads and processes; apt-get install time)");
  process.exit(0);
}

function treeBytes(dir) {
  let total = 0;
  let entries = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (!e.isFile()) continue;
    try {
      total += statSync(path.join(e.parentPath ?? e.path, e.name)).size;
    } catch {
      // renamed or removed meanwhile
    }
  }
  return total;
}

async function run(sizeMB) {
  const input = benchCorpus(sizeMB);
  const outDir = path.join(OUT, `scale-${sizeMB}`);
  const t0 = performance.now();
  const run = startFullPipeline({ input, outDir, config: path.join(OUT, `scale-${sizeMB}.json`), tokenizer: tokenizerFile, workers });
  let peakBytes = 0;
  const timer = setInterval(() => (peakBytes = Math.max(peakBytes, treeBytes(outDir))), 5000);
  const [code] = await once(run.child, "exit");
  clearInterval(timer);
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0 && code !== 3) throw new Error(`korpipe run failed (${code}): ${run.stderr.slice(-2000)}`);
  const { cpuSeconds, maxRssMB } = timeOf(run.stderr);
  peakBytes = Math.max(peakBytes, treeBytes(outDir));
  const leftBytes = treeBytes(path.join(outDir, ".korpipe"));
  // Per phase: the sum of its tasks' own seconds (busy time of one worker each).
  const doneDir = path.join(outDir, ".korpipe", "done");
  const phases = readdirSync(doneDir).map((phase) => {
    const files = readdirSync(path.join(doneDir, phase));
    const taskSeconds = files.reduce((a, f) => a + (JSON.parse(readFileSync(path.join(doneDir, phase, f), "utf8")).seconds ?? 0), 0);
    return { phase, tasks: files.length, taskSeconds };
  });
  const report = JSON.parse(readFileSync(path.join(outDir, "report.json"), "utf8"));
  rmSync(outDir, { recursive: true, force: true });
  return { sizeMB, inputBytes: statSync(input).size, seconds, cpuSeconds, maxRssMB, peakBytes, leftBytes, phases, report };
}

console.log(`bench/scale: korpipe run on ${sizes.join(", ")} MB of Korean JSONL, ${workers} workers, all stages, Polyglot-Ko tokenizer`);
const results = [];
for (const s of sizes) {
  const r = await run(s);
  results.push(r);
  const mb = r.inputBytes / 1e6;
  console.log(
    `  ${String(s).padStart(5)} MB: ${r.seconds.toFixed(0)} s wall, ${r.cpuSeconds.toFixed(0)} CPU-s (${(mb / r.cpuSeconds).toFixed(2)} MB per CPU-s), ` +
      `${r.report.totals.docs_in} docs, ${r.report.sections?.tokenize?.tokens ?? "?"} tokens; output dir peak ${(r.peakBytes / 1e6).toFixed(0)} MB ` +
      `(${(r.peakBytes / r.inputBytes).toFixed(2)}x input), left in .korpipe ${(r.leftBytes / 1e6).toFixed(0)} MB (${((100 * r.leftBytes) / r.inputBytes).toFixed(0)}%)`,
  );
  console.log(`         task-seconds per phase: ${r.phases.map((p) => `${p.phase} ${p.taskSeconds.toFixed(1)} (${p.tasks})`).join(", ")}`);
}
console.log("\n  growth from each run to the next (ideal = the input ratio):");
for (let i = 1; i < results.length; i++) {
  const [a, b] = [results[i - 1], results[i]];
  const ideal = b.inputBytes / a.inputBytes;
  const off = (x) => `${((x / ideal - 1) * 100).toFixed(1)}% from linear`;
  console.log(
    `    ${b.sizeMB} MB / ${a.sizeMB} MB: input ${ideal.toFixed(2)}x, CPU ${(b.cpuSeconds / a.cpuSeconds).toFixed(2)}x (${off(b.cpuSeconds / a.cpuSeconds)}), ` +
      `wall ${(b.seconds / a.seconds).toFixed(2)}x (${off(b.seconds / a.seconds)})`,
  );
}
