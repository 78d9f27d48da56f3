#!/usr/bin/env node
/**
 * Tokenizing throughput, in CPU-seconds measured side by side in one run: the whole `korpipe
 * tokenize` command with one worker (read JSONL, worker thread, write .bin/.idx; engine auto, which
 * is korpipe's own for Polyglot-Ko, and --engine hf) against the raw `tokenizers` encodeBatch on
 * the same texts in this process. Two corpora: ordinary text (real Korean sentences recombined by
 * ../shared/tools/make-bench-corpus.py, repetitive like a real corpus) and long-tail text (the same
 * with fresh random Hangul words mixed in, at least 15% of the words, so no cache flatters it).
 * Then one 60 MB document through each engine, for peak RSS per worker. Skips when ../shared is
 * absent.
 *
 *   npm run build && node bench/tokenize.mjs [SIZE_MB=40] [LONG_DOC_MB=60]
 *
 * Targets (issue 11): >= 3x raw encodeBatch on long-tail text, >= 5x on ordinary text (CPU time),
 * peak RSS < 400 MB with one worker, also for a 60 MB document.
 * KORPIPE_BIN overrides the CLI that is timed (default bin/korpipe).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { benchCorpus, OUT, ROOT, SHARED } from "./lib/corpus.mjs";
import { makeLongTailCorpus, makeOneLongDocument } from "./lib/long-tail-corpus.mjs";

const tokenizerFile = path.join(SHARED, "tokenizers/polyglot-ko/tokenizer.json");
const sizeMb = Number(process.argv[2] ?? 40);
const longDocMb = Number(process.argv[3] ?? 60);
const ordinary = existsSync(tokenizerFile) ? benchCorpus(sizeMb) : null;
if (!ordinary) {
  console.log("bench/tokenize: skipped (../shared/tokenizers/polyglot-ko and ../shared/tools are not here)");
  process.exit(0);
}
const longTail = await makeLongTailCorpus(ordinary, path.join(OUT, `tokenize-longtail-${sizeMb}mb.jsonl`));
const longDoc = await makeOneLongDocument(ordinary, path.join(OUT, `tokenize-one-${longDocMb}mb-document.jsonl`), longDocMb * 1e6);

// The raw library rate, one core: the Rust core's own thread pool off, as in korpipe's workers.
process.env.TOKENIZERS_PARALLELISM = "false";
const { Tokenizer } = await import("tokenizers");
const cpuSeconds = (u) => (u.user + u.system) / 1e6;

async function raw(texts) {
  const tok = Tokenizer.fromFile(tokenizerFile);
  const c0 = process.cpuUsage();
  let tokens = 0;
  for (let i = 0; i < texts.length; i += 256) {
    for (const e of await tok.encodeBatch(texts.slice(i, i + 256))) tokens += e.getIds().length;
  }
  return { cpu: cpuSeconds(process.cpuUsage(c0)), tokens, rssMb: null };
}

// The child reports its own CPU time (all threads) and peak RSS on exit.
const HOOK = `data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("\\nbench-cpu-seconds "+(u.user+u.system)/1e6+" bench-max-rss-kb "+process.resourceUsage().maxRSS+"\\n")})`;

function command(corpus, engine) {
  const prefix = path.join(OUT, `tokenize-bench-${engine}`);
  const bin = process.env.KORPIPE_BIN ?? path.join(ROOT, "bin/korpipe");
  const args = [`--import=${HOOK}`, bin, "tokenize", corpus, "-o", prefix, "--tokenizer", tokenizerFile, "--privacy-tokens", "polyglot-ko", "--workers", "1", "--engine", engine, "--no-progress"];
  const env = { ...process.env };
  delete env.TOKENIZERS_PARALLELISM; // korpipe sets it for its workers itself
  const r = spawnSync(process.execPath, args, { encoding: "utf8", env, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`korpipe tokenize failed (${r.status}):\n${r.stderr}`);
  const [, cpu, rss] = /bench-cpu-seconds ([\d.]+) bench-max-rss-kb (\d+)/.exec(r.stderr);
  const section = JSON.parse(readFileSync(`${prefix}.report/stats.json`, "utf8")).sections.tokenize;
  rmSync(`${prefix}.report`, { recursive: true, force: true });
  rmSync(`${prefix}_text_document.bin`, { force: true });
  rmSync(`${prefix}_text_document.idx`, { force: true });
  // EOD ids are korpipe's addition; compare text tokens with the raw encode.
  return { cpu: Number(cpu), tokens: section.tokens - (section.eod_id === null ? 0 : section.documents), rssMb: Number(rss) / 1024 };
}

const fmt = (x, d = 2) => (x === null ? "-" : x.toFixed(d));
console.log(`bench/tokenize: polyglot-ko tokenizer, ${availableParallelism()} cores, load ${loadavg()[0].toFixed(2)} (CPU-seconds: robust to others' load)`);
const results = {};
for (const [name, corpus, target] of [["ordinary", ordinary, 5], ["long-tail", longTail.file, 3]]) {
  const texts = readFileSync(corpus, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l).text);
  const mb = texts.reduce((n, t) => n + Buffer.byteLength(t, "utf8"), 0) / 1e6;
  const rows = [
    ["raw HF encodeBatch, 1 core", await raw(texts)],
    ["korpipe tokenize, 1 worker, auto (fast)", command(corpus, "auto")],
    ["korpipe tokenize, 1 worker, --engine hf", command(corpus, "hf")],
  ];
  const share = name === "long-tail" ? `, ${(longTail.freshShare * 100).toFixed(1)}% fresh words` : "";
  console.log(`\n  ${name} text: ${texts.length.toLocaleString("en-US")} documents, ${mb.toFixed(1)} MB${share}`);
  console.log("  " + "run".padEnd(42) + "CPU s".padStart(8) + "MB/CPU-s".padStart(10) + "tokens".padStart(13) + "peak RSS MB".padStart(13));
  for (const [label, m] of rows) console.log("  " + label.padEnd(42) + fmt(m.cpu, 1).padStart(8) + fmt(mb / m.cpu).padStart(10) + m.tokens.toLocaleString("en-US").padStart(13) + fmt(m.rssMb, 0).padStart(13));
  const [rawRow, fast, hf] = rows.map((r) => r[1]);
  if (rawRow.tokens !== fast.tokens || fast.tokens !== hf.tokens) console.log(`  WARNING: token counts differ: raw ${rawRow.tokens}, fast ${fast.tokens}, hf ${hf.tokens}`);
  const ratio = rawRow.cpu / fast.cpu;
  results[name] = ratio;
  console.log(`  korpipe tokenize (fast) vs raw encodeBatch, CPU time: ${ratio.toFixed(2)}x (target >= ${target}x) ${ratio >= target ? "ok" : "BELOW TARGET"}`);
  console.log(`  korpipe tokenize --engine hf vs raw encodeBatch, CPU time: ${(rawRow.cpu / hf.cpu).toFixed(2)}x`);
}

const longMb = statSync(longDoc).size / 1e6;
console.log(`\n  one document of ${longMb.toFixed(1)} MB, 1 worker:`);
for (const engine of ["auto", "hf"]) {
  const m = command(longDoc, engine);
  console.log(`  ${("engine " + engine).padEnd(14)} CPU ${m.cpu.toFixed(1)} s, ${m.tokens.toLocaleString("en-US")} tokens, peak RSS ${m.rssMb.toFixed(0)} MB (target < 400) ${m.rssMb < 400 ? "ok" : "ABOVE TARGET"}`);
}
console.log(`  load average now ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores`);
