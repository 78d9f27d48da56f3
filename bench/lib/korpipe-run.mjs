/**
 * `korpipe run` of the whole pipeline (normalize, filter, scrub, dedup, tokenize) as a child process
 * under /usr/bin/time, which counts the CPU time of every thread and waited-for child of the run.
 */
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./corpus.mjs";

/**
 * Starts the run on `input` into a fresh `outDir`; stderr ends with "TIME user sys maxRssKB".
 * `root` is the checkout whose bin/korpipe runs (default this one; another one, built, for a before/after).
 */
export function startFullPipeline({ input, outDir, config, tokenizer, workers, engine = "auto", root = ROOT }) {
  rmSync(outDir, { recursive: true, force: true });
  writeFileSync(
    config,
    JSON.stringify({
      inputs: [input],
      output: outDir,
      stages: [
        { stage: "normalize" },
        { stage: "filter" },
        { stage: "scrub", privacyTokens: "polyglot-ko" },
        { stage: "dedup" },
        { stage: "tokenize", tokenizer, engine },
      ],
    }),
  );
  const child = spawn("/usr/bin/time", ["-f", "TIME %U %S %M", process.execPath, path.join(root, "bin/korpipe"), "run", config, "--workers", String(workers), "--no-progress"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const run = { child, stderr: "" };
  child.stderr.on("data", (c) => (run.stderr += c));
  return run;
}

/** CPU seconds (user + system) and peak RSS of the largest process, from /usr/bin/time's line. */
export function timeOf(stderr) {
  const [, user, sys, maxRssKB] = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
  return { cpuSeconds: Number(user) + Number(sys), maxRssMB: Number(maxRssKB) / 1024 };
}
