import os from "node:os";
import type { Command } from "commander";
import { ConfigError, loadPipelineConfig } from "../run/plan/config.js";
import { estimateRun, projectWallSeconds, type ScaleEstimate } from "../run/plan/estimate.js";
import { RunRefusedError } from "../run/run-pipeline.js";
import { InputError } from "../io/input-discovery.js";
import { OutputCollisionError } from "../stages/write.js";
import { reserveTokenizerThreads } from "../shard/tokenize-documents.js";
import { UsageError, parseByteSize, parsePositiveInt } from "./common.js";

function parseSampleMb(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--sample-mb must be a number of megabytes, 0 or more (got "${value}")`);
  return n;
}

export function register(program: Command): void {
  program
    .command("plan")
    .summary("estimate a run before doing it: tasks, disk, memory and core-hours, measured on a sample")
    .description(
      "Print what korpipe run CONFIG would do, before any work: the tasks of each phase, and, measured by running\n" +
        "every phase of the same pipeline on a small sample of the real inputs (the first records of up to 8 files\n" +
        "spread over the input list) and scaled by input bytes: CPU core-hours per phase, documents and tokens,\n" +
        "the output directory's peak size, the bytes left under OUTPUT/.korpipe, the outputs' sizes, the memory\n" +
        "of dedup's cluster phase, and the wall time on --nodes x --cores-per-node. Writes nothing to the config's\n" +
        "output directory; the sample run happens in a temporary directory that is removed afterwards.\n" +
        "See docs/scale.md for how far the linear projection holds.",
    )
    .argument("<config>", "pipeline JSON file (as for korpipe run)")
    .option("--tasks <n>", "as korpipe run --tasks", parsePositiveInt("--tasks"))
    .option("--sample-mb <mb>", "megabytes of input to measure on; 0: tasks per phase only", parseSampleMb, 4)
    .option("--input-size <size>", "project onto this much input, e.g. 1200GB when the config names a part of the corpus", parseByteSize("--input-size"))
    .option("--nodes <n>", "nodes to project the wall time onto", parsePositiveInt("--nodes"), 1)
    .option("--cores-per-node <n>", "cores per node (one task per core)", parsePositiveInt("--cores-per-node"), os.availableParallelism())
    .option("--json", "print the estimate as JSON")
    .action(async (configPath: string, opts: { tasks?: number; sampleMb: number; inputSize?: number; nodes: number; coresPerNode: number; json?: boolean }) => {
      reserveTokenizerThreads(2);
      let estimate: ScaleEstimate;
      try {
        estimate = await estimateRun(await loadPipelineConfig(configPath), {
          tasks: opts.tasks,
          sampleBytes: Math.round(opts.sampleMb * 1e6),
          projectBytes: opts.inputSize,
          log: (l) => process.stderr.write(l + "\n"),
        });
      } catch (err) {
        // What korpipe run would refuse before any work, plan refuses the same way.
        if (err instanceof ConfigError || err instanceof InputError || err instanceof OutputCollisionError || err instanceof RunRefusedError) {
          throw new UsageError(err.message);
        }
        throw err;
      }
      const wall = projectWallSeconds(estimate, opts.nodes, opts.coresPerNode);
      if (opts.json) {
        process.stdout.write(JSON.stringify({ ...estimate, nodes: opts.nodes, coresPerNode: opts.coresPerNode, wallSeconds: wall }, null, 2) + "\n");
        return;
      }
      process.stdout.write(formatEstimate(estimate, wall, opts.nodes, opts.coresPerNode));
    });
}

const mb = (b: number) => (b >= 1e12 ? `${(b / 1e12).toFixed(2)} TB` : b >= 1e9 ? `${(b / 1e9).toFixed(2)} GB` : `${(b / 1e6).toFixed(1)} MB`);
const hours = (h: number) => (h >= 100 ? h.toFixed(0) : h.toPrecision(3));
const count = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} G` : n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n.toLocaleString("en-US"));
function duration(s: number): string {
  if (s >= 86400) return `${(s / 86400).toFixed(1)} days`;
  if (s >= 3600) return `${(s / 3600).toFixed(1)} h`;
  if (s >= 60) return `${(s / 60).toFixed(1)} min`;
  return `${s.toFixed(0)} s`;
}

export function formatEstimate(e: ScaleEstimate, wall: { name: string; seconds: number }[], nodes: number, coresPerNode: number): string {
  const lines = [
    e.configInputBytes === undefined
      ? `korpipe plan: ${e.files} file(s), ${mb(e.inputBytes)}`
      : `korpipe plan: projected onto ${mb(e.inputBytes)} (the config's ${e.files} file(s) hold ${mb(e.configInputBytes)})`,
  ];
  const s = e.sample;
  if (s) {
    lines.push(
      `  measured on a ${mb(s.inputBytes)} sample of ${s.files} file(s): ${count(s.documents)} documents, ${s.cpuSeconds.toFixed(1)} CPU-s ` +
        `(${(s.inputBytes / 1e6 / s.cpuSeconds).toFixed(2)} MB per CPU-s); scaled ${(e.inputBytes / s.inputBytes).toFixed(1)}x`,
    );
    if (s.skipped.length) lines.push(`  not sampled (single JSON values too big to take whole): ${s.skipped.length} file(s)`);
  }
  const wallOf = new Map(wall.map((w) => [w.name, w.seconds]));
  lines.push("", `  ${"phase".padEnd(16)}${"tasks".padStart(7)}${s ? `${"core-hours".padStart(12)}${`wall on ${nodes}x${coresPerNode}`.padStart(16)}` : ""}`);
  for (const p of e.phases) {
    lines.push(`  ${p.name.padEnd(16)}${String(p.tasks).padStart(7)}${s ? `${hours(p.coreHours).padStart(12)}${duration(wallOf.get(p.name) ?? 0).padStart(16)}` : ""}`);
  }
  if (!s) return lines.join("\n") + "\n";
  const total = wall.reduce((a, w) => a + w.seconds, 0);
  lines.push(`  ${"total".padEnd(16)}${"".padStart(7)}${hours(e.coreHours ?? 0).padStart(12)}${duration(total).padStart(16)}`, "");
  lines.push(`  documents: ${count(e.documents ?? 0)} in, ${count(e.documentsKept ?? 0)} kept${e.tokens !== undefined ? `; tokens: ${count(e.tokens)}` : ""}`);
  lines.push(`  outputs: ${e.outputs.map((o) => `${o.name} ${mb(o.bytes)}`).join(", ")}`);
  lines.push(`  output directory at its peak: ${mb(e.peakDiskBytes ?? 0)} (${((e.peakDiskBytes ?? 0) / e.inputBytes).toFixed(2)}x the input)`);
  const left = e.intermediates.reduce((a, w) => a + w.bytes, 0);
  lines.push(`  left under OUTPUT/.korpipe/work after the run: ${mb(left)}${e.intermediates.length ? ` (${e.intermediates.map((w) => `${w.name} ${mb(w.bytes)}`).join(", ")})` : ""}`);
  if (e.clusterMemoryBytes !== undefined) lines.push(`  dedup-clusters memory: ${mb(e.clusterMemoryBytes)} on one node (4 bytes per document; paged to disk past half of --memory-mb)`);
  lines.push("  (projected linearly from the sample: see docs/scale.md)");
  return lines.join("\n") + "\n";
}
