#!/usr/bin/env node
/**
 * Disk use of `korpipe run` (issue 13): the full pipeline (normalize, filter, scrub, dedup, tokenize
 * with the Polyglot-Ko tokenizer) on a generated Korean JSONL corpus, with the output directory's
 * size sampled every 200 ms. Prints, per variant, the peak size of the output directory and what is
 * left under OUTPUT/.korpipe after success, both as a ratio to the input, plus CPU-seconds, so the
 * variants run side by side in one invocation can be compared as ratios:
 *   default        intermediates deleted as soon as no later phase needs them, zstd dumps
 *   --keep-work    everything kept (what the leftover was before)
 *   shardTokens    numbered shards written by the tasks, no merged copy
 *
 *   npm run build && node bench/disk.mjs [SIZE_MB=300] [WORKERS=2] [variants=default,keep-work,sharded]
 *
 * Needs ../shared (corpora, tools, tokenizers/polyglot-ko); skips cleanly without it.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { benchCorpus, OUT, ROOT, SHARED } from "./lib/corpus.mjs";

const sizeMB = Number(process.argv[2] ?? 300);
const workers = Number(process.argv[3] ?? 2);
const variants = (process.argv[4] ?? "default,keep-work,sharded").split(",");
const tokenizer = path.join(SHARED, "tokenizers/polyglot-ko/tokenizer.json");
const input = existsSync(tokenizer) ? benchCorpus(sizeMB) : null;
if (!input) {
  console.log("bench/disk: skipped (../shared/corpora, tools and tokenizers/polyglot-ko are needed)");
  process.exit(0);
}
const inputBytes = statSync(input).size;

/** Bytes under `dir` (files only; a file removed while walking counts as gone). */
function du(dir) {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    try {
      if (e.isDirectory()) total += du(p);
      else if (e.isFile()) total += statSync(p).size;
    } catch {
      // removed meanwhile
    }
  }
  return total;
}

async function run(variant) {
  const dir = path.join(OUT, `disk-${variant}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, "out");
  const tokenize = { stage: "tokenize", tokenizer, ...(variant === "sharded" ? { shardTokens: 20_000_000 } : {}) };
  const config = path.join(dir, "pipeline.json");
  writeFileSync(
    config,
    JSON.stringify({
      inputs: [input],
      output: out,
      stages: [{ stage: "normalize" }, { stage: "filter" }, { stage: "scrub", privacyTokens: "polyglot-ko" }, { stage: "dedup" }, tokenize],
    }),
  );
  const args = [path.join(ROOT, "bin/korpipe"), "run", config, "--workers", String(workers), "--no-progress", ...(variant === "keep-work" ? ["--keep-work"] : [])];
  const t0 = Date.now();
  const child = spawn("/usr/bin/time", ["-f", "TIME %U %S", process.execPath, ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, du(out))), 200);
  const code = await new Promise((resolve) => child.on("exit", resolve));
  clearInterval(timer);
  peak = Math.max(peak, du(out));
  if (code !== 0 && code !== 3) throw new Error(`korpipe run (${variant}) exited ${code}:\n${stderr}`);
  const [user, sys] = /TIME ([\d.]+) ([\d.]+)/.exec(stderr).slice(1).map(Number);
  return { variant, seconds: (Date.now() - t0) / 1000, cpuSeconds: user + sys, peak, left: du(path.join(out, ".korpipe")), final: du(out) };
}

console.log(`bench/disk: ${path.relative(ROOT, input)}, ${(inputBytes / 1e6).toFixed(0)} MB, ${workers} workers`);
const results = [];
for (const v of variants) {
  const r = await run(v);
  results.push(r);
  console.log(
    `  ${v.padEnd(10)} peak ${(r.peak / 1e6).toFixed(0)} MB = ${(r.peak / inputBytes).toFixed(2)}x input | ` +
      `left under .korpipe ${(r.left / 1e6).toFixed(1)} MB = ${((100 * r.left) / inputBytes).toFixed(2)}% | ` +
      `outputs ${(r.final / 1e6).toFixed(0)} MB | ${r.cpuSeconds.toFixed(0)} CPU-s, ${r.seconds.toFixed(0)} s wall`,
  );
}
const base = results.find((r) => r.variant === "default");
if (base) for (const r of results) if (r !== base) console.log(`  ${r.variant} / default: peak ${(r.peak / base.peak).toFixed(2)}x, CPU ${(r.cpuSeconds / base.cpuSeconds).toFixed(2)}x`);
