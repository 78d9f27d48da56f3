#!/usr/bin/env node
/**
 * Peak RSS of one very long document through every way korpipe tokenizes it: `korpipe tokenize`
 * with 0 and 1 worker threads, each engine, and `korpipe run` with a tokenize stage (a run task
 * tokenizes on its own worker thread). Worker threads live in the process, so the process's peak
 * RSS (getrusage maxrss) is that of the whole tree. All rows run one after another in one
 * invocation, and each checks that its token count equals the first row's.
 *
 *   npm run build && node bench/tokenize-memory.mjs [LONG_DOC_MB=60]
 *
 * Target (issue 11): peak RSS < 400 MB per tokenizer worker, also for a single 60 MB document.
 * Skips when ../shared (the bench corpus and the Polyglot-Ko tokenizer) is absent.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { benchCorpus, OUT, ROOT, SHARED } from "./lib/corpus.mjs";
import { makeOneLongDocument } from "./lib/long-tail-corpus.mjs";

const tokenizerFile = path.join(SHARED, "tokenizers/polyglot-ko/tokenizer.json");
const longDocMb = Number(process.argv[2] ?? 60);
const ordinary = benchCorpus(40);
if (!ordinary) {
  console.log("bench/tokenize-memory: skipped (../shared/tokenizers/polyglot-ko and ../shared/tools are not here)");
  process.exit(0);
}
const doc = await makeOneLongDocument(ordinary, path.join(OUT, `tokenize-one-${longDocMb}mb-document.jsonl`), longDocMb * 1e6);

const HOOK = `data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("\\nbench-cpu-seconds "+(u.user+u.system)/1e6+" bench-max-rss-kb "+process.resourceUsage().maxRSS+"\\n")})`;
const bin = process.env.KORPIPE_BIN ?? path.join(ROOT, "bin/korpipe");

function korpipe(args) {
  const env = { ...process.env, KORPIPE_PROGRESS_SECONDS: "3600" };
  const r = spawnSync(process.execPath, [`--import=${HOOK}`, bin, ...args], { encoding: "utf8", env, maxBuffer: 1 << 26 });
  if (r.status !== 0 && r.status !== 3) throw new Error(`korpipe ${args[0]} failed (${r.status}):\n${r.stderr}`);
  const [, cpu, rss] = /bench-cpu-seconds ([\d.]+) bench-max-rss-kb (\d+)/.exec(r.stderr);
  return { cpu: Number(cpu), rssMb: Number(rss) / 1024 };
}

function tokenize(workers, engine) {
  const prefix = path.join(OUT, `tokenize-memory-${workers}-${engine}`);
  const m = korpipe(["tokenize", doc, "-o", prefix, "--tokenizer", tokenizerFile, "--privacy-tokens", "polyglot-ko", "--workers", String(workers), "--engine", engine, "--no-progress"]);
  const tokens = statSync(`${prefix}_text_document.bin`).size / 2;
  for (const f of [`${prefix}_text_document.bin`, `${prefix}_text_document.idx`, `${prefix}_text_document.json`]) rmSync(f, { force: true });
  rmSync(`${prefix}.report`, { recursive: true, force: true });
  return { ...m, tokens };
}

function run(engine) {
  const dir = path.join(OUT, `tokenize-memory-run-${engine}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const config = path.join(OUT, `tokenize-memory-run-${engine}.json`);
  writeFileSync(config, JSON.stringify({ inputs: [doc], output: dir, stages: [{ stage: "tokenize", tokenizer: tokenizerFile, privacyTokens: "polyglot-ko", engine }] }));
  const m = korpipe(["run", config, "--workers", "1", "--no-progress"]);
  const tokens = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")).sections.tokenize.tokens;
  rmSync(dir, { recursive: true, force: true });
  return { ...m, tokens };
}

const mb = statSync(doc).size / 1e6;
console.log(`bench/tokenize-memory: one document of ${mb.toFixed(1)} MB (JSONL), polyglot-ko tokenizer, ${availableParallelism()} cores, load ${loadavg()[0].toFixed(2)}`);
const rows = [
  ["korpipe tokenize --workers 0 (fast)", () => tokenize(0, "fast")],
  ["korpipe tokenize --workers 1 (fast)", () => tokenize(1, "fast")],
  ["korpipe tokenize --workers 0 --engine hf", () => tokenize(0, "hf")],
  ["korpipe tokenize --workers 1 --engine hf", () => tokenize(1, "hf")],
  ["korpipe run --workers 1, tokenize stage (fast)", () => run("fast")],
  ["korpipe run --workers 1, tokenize stage (hf)", () => run("hf")],
];
console.log("  " + "run".padEnd(48) + "CPU s".padStart(8) + "tokens".padStart(13) + "peak RSS MB".padStart(13));
let first;
for (const [label, measure] of rows) {
  const m = measure();
  first ??= m.tokens;
  const flag = m.tokens === first ? "" : `  TOKENS DIFFER from ${first}`;
  console.log("  " + label.padEnd(48) + m.cpu.toFixed(1).padStart(8) + m.tokens.toLocaleString("en-US").padStart(13) + m.rssMb.toFixed(0).padStart(13) + (m.rssMb < 400 ? "" : "  ABOVE 400") + flag);
}
console.log(`  load average now ${loadavg()[0].toFixed(2)}`);
