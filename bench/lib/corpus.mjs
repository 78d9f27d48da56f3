/**
 * Benchmark corpora: made by ../shared/tools/make-bench-corpus.py (real Korean sentences
 * recombined, deterministic) and cached under bench/out/. Returns null when ../shared is absent,
 * so benchmarks can skip cleanly.
 */
import { existsSync, mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const ROOT = path.dirname(BENCH_DIR);
export const SHARED = path.resolve(ROOT, "..", "shared");
export const OUT = path.join(BENCH_DIR, "out");

export function benchCorpus(sizeMB) {
  const tool = path.join(SHARED, "tools", "make-bench-corpus.py");
  if (!existsSync(tool) || !existsSync(path.join(SHARED, "corpora"))) return null;
  mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `corpus-${sizeMB}mb.jsonl`);
  if (!existsSync(file)) {
    process.stderr.write(`making a ${sizeMB} MB corpus with ${tool} ...\n`);
    execFileSync("python3", [tool, path.join(SHARED, "corpora"), String(sizeMB), file], { stdio: "inherit" });
  }
  return file;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
