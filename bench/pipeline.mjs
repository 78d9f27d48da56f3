#!/usr/bin/env node
/**
 * Whole-pipeline benchmark (issue 6): `korpipe run` (normalize, filter, scrub, dedup, tokenize with
 * the Polyglot-Ko tokenizer) on a generated Korean JSONL corpus, next to the tokenizer alone on the
 * same text in the same run. Reports MB/s per core end to end and per stage (from report.json: each
 * stage's bytes in over its own time, summed across tasks), CPU time and peak RSS of the whole process
 * tree (korpipe run and its task processes), and time growth from SIZE/4 to SIZE. Then the full run
 * again with `engine: "hf"` (the Hugging Face engine korpipe used before its own), for the end-to-end
 * ratio of the two engines in CPU-seconds (issue 11: >= 2.5x).
 *
 *   npm run build && node bench/pipeline.mjs [SIZE_MB=500] [WORKERS=2]
 *
 * KORPIPE_BASELINE=DIR (another checkout, built, e.g. a worktree of main) also runs that checkout's
 * `korpipe run` on the full input, alternating with this one's (KORPIPE_BASELINE_ROUNDS times each,
 * default 2), and prints this checkout's end-to-end speed-up over it in CPU-seconds (medians).
 *
 * Needs ../shared (corpora, tools, tokenizers/polyglot-ko); skips cleanly without it.
 */
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, createReadStream } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { benchCorpus, median, OUT, SHARED } from "./lib/corpus.mjs";
import { startFullPipeline, timeOf } from "./lib/korpipe-run.mjs";

const sizeMB = Number(process.argv[2] ?? 500);
const workers = Number(process.argv[3] ?? 2);
const tokenizerFile = path.join(SHARED, "tokenizers/polyglot-ko/tokenizer.json");
const big = existsSync(tokenizerFile) ? benchCorpus(sizeMB) : null;
if (!big) {
  console.log("bench/pipeline: skipped (../shared/corpora, tools and tokenizers/polyglot-ko are needed)");
  process.exit(0);
}
const small = benchCorpus(Math.round(sizeMB / 4));

/** Resident memory of a process and all its descendants, from /proc (Linux), in MB. */
function treeRssMB(pid) {
  let kb = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      for (const t of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${t}/children`, "utf8").trim();
        if (kids) stack.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      // the process ended meanwhile
    }
  }
  return kb / 1024;
}

/**
 * korpipe run as a child process tree (the run and its task processes): wall time, CPU time of the
 * whole tree (from /usr/bin/time, which counts waited-for children), and the peak of the tree's
 * summed RSS, sampled every 100 ms.
 */
async function runPipeline(input, label, engine = "auto", root = undefined) {
  const outDir = path.join(OUT, `pipeline-${label}`);
  const t0 = performance.now();
  const run = startFullPipeline({ input, outDir, config: path.join(OUT, `pipeline-${label}.json`), tokenizer: tokenizerFile, workers, engine, ...(root ? { root } : {}) });
  const child = run.child;
  let maxRssMB = 0;
  const timer = setInterval(() => (maxRssMB = Math.max(maxRssMB, treeRssMB(child.pid))), 100);
  const [code] = await once(child, "exit");
  clearInterval(timer);
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0 && code !== 3) throw new Error(`korpipe run failed (${code}): ${run.stderr}`);
  const { cpuSeconds } = timeOf(run.stderr);
  const report = JSON.parse(readFileSync(path.join(outDir, "report.json"), "utf8"));
  rmSync(outDir, { recursive: true, force: true });
  return { seconds, cpuSeconds, maxRssMB, report };
}

/** The tokenizer alone, one core: encodeBatch over the corpus texts in batches, nothing else. */
async function tokenizerOnly(input) {
  process.env.TOKENIZERS_PARALLELISM = "false";
  const { Tokenizer } = await import("tokenizers");
  const tok = Tokenizer.fromFile(tokenizerFile);
  let batch = [];
  let bytes = 0;
  let tokens = 0;
  let seconds = 0;
  let cpuSeconds = 0;
  const flush = async () => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const enc = await tok.encodeBatch(batch);
    const c = process.cpuUsage(c0);
    cpuSeconds += (c.user + c.system) / 1e6;
    seconds += (performance.now() - t0) / 1000;
    for (const e of enc) tokens += e.getIds().length;
    batch = [];
  };
  for await (const line of readline.createInterface({ input: createReadStream(input), crlfDelay: Infinity })) {
    if (!line) continue;
    const text = JSON.parse(line).text;
    bytes += Buffer.byteLength(text);
    batch.push(text);
    if (batch.length === 256) await flush();
  }
  if (batch.length) await flush();
  return { mbPerS: bytes / 1e6 / seconds, mbPerCpuS: bytes / 1e6 / cpuSeconds, tokensPerS: tokens / seconds };
}

const mb = (f) => statSync(f).size / 1e6;
console.log(`bench/pipeline: ${mb(big).toFixed(0)} MB and ${mb(small).toFixed(0)} MB of Korean JSONL, ${workers} workers, Polyglot-Ko tokenizer`);
// The machine's speed drifts over minutes: measure the tokenizer alone before and after the pipeline
// runs and compare against the mean, printing both so the drift is visible.
const before = await tokenizerOnly(small);
console.log(`  tokenizer alone, before (encodeBatch, 1 core, ${mb(small).toFixed(0)} MB): ${before.mbPerS.toFixed(2)} MB/s wall, ${before.mbPerCpuS.toFixed(2)} MB per CPU-second`);
if (!existsSync("/usr/bin/time")) {
  console.log("bench/pipeline: skipped (needs /usr/bin/time to count the CPU time of korpipe's task processes; apt-get install time)");
  process.exit(0);
}
const quarter = await runPipeline(small, "quarter");
const full = await runPipeline(big, "full");
const previous = await runPipeline(big, "full-hf", "hf");
const baselineRoot = process.env.KORPIPE_BASELINE ? path.resolve(process.env.KORPIPE_BASELINE) : undefined;
const versus = { baseline: [], current: [full.cpuSeconds] };
if (baselineRoot) {
  const rounds = Number(process.env.KORPIPE_BASELINE_ROUNDS ?? 2);
  for (let r = 0; r < rounds; r++) {
    versus.baseline.push((await runPipeline(big, "full-baseline", "auto", baselineRoot)).cpuSeconds);
    if (r > 0) versus.current.push((await runPipeline(big, "full-again")).cpuSeconds);
  }
}
const after = await tokenizerOnly(small);
console.log(`  tokenizer alone, after: ${after.mbPerS.toFixed(2)} MB/s wall, ${after.mbPerCpuS.toFixed(2)} MB per CPU-second`);
const tokOnly = { mbPerS: (before.mbPerS + after.mbPerS) / 2, mbPerCpuS: (before.mbPerCpuS + after.mbPerCpuS) / 2 };

for (const [label, r, file] of [["quarter", quarter, small], ["full", full, big]]) {
  const perCore = mb(file) / r.seconds / workers;
  console.log(
    `  korpipe run (${label}, ${mb(file).toFixed(0)} MB): ${r.seconds.toFixed(1)} s, ${perCore.toFixed(2)} MB/s per core end to end (wall), ` +
      `${(mb(file) / r.cpuSeconds).toFixed(2)} MB per CPU-second, peak RSS ${r.maxRssMB.toFixed(0)} MB`,
  );
}
console.log("  per stage (MB/s per core: bytes in / the stage's own time, full run):");
for (const s of full.report.stages) {
  const rate = s.elapsed_s > 0 ? s.bytes_in / 1e6 / s.elapsed_s : Infinity;
  console.log(`    ${s.name.padEnd(10)} ${rate.toFixed(1).padStart(8)} MB/s   ${s.elapsed_s.toFixed(1).padStart(7)} s   ${s.docs_in} docs in, ${s.docs_out} out`);
}
const perCore = mb(big) / full.seconds / workers;
console.log(`\n  end to end / tokenizer alone (mean of before and after), per core (wall): ${(perCore / tokOnly.mbPerS).toFixed(2)}x (target >= 0.75x)`);
console.log(`  end to end / tokenizer alone, per CPU-second (robust to other load on the machine): ${(mb(big) / full.cpuSeconds / tokOnly.mbPerCpuS).toFixed(2)}x`);
console.log(`  peak RSS of the process tree: ${full.maxRssMB.toFixed(0)} MB (target < 1500 MB)`);
console.log(`  time for 4x the input: ${(full.seconds / quarter.seconds).toFixed(2)}x (target <= 4.4x)`);
console.log(
  `  korpipe run with the Hugging Face engine (as before issue 11): ${previous.seconds.toFixed(1)} s, ${(mb(big) / previous.cpuSeconds).toFixed(2)} MB per CPU-second; ` +
    `fast engine vs it, per CPU-second: ${(previous.cpuSeconds / full.cpuSeconds).toFixed(2)}x (target >= 2.5x)`,
);
if (baselineRoot) {
  const cpus = (xs) => xs.map((x) => x.toFixed(2)).join(" ");
  console.log(
    `  this checkout vs ${baselineRoot} (korpipe run, ${mb(big).toFixed(0)} MB, fast engine), CPU-seconds ${cpus(versus.current)} vs ${cpus(versus.baseline)}: ` +
      `${(median(versus.baseline) / median(versus.current)).toFixed(2)}x (medians)`,
  );
}
