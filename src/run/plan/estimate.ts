/**
 * What a run will cost, known before it starts: tasks per phase from the real plan; CPU time,
 * documents, tokens and bytes on disk measured by running every phase of the same pipeline on a
 * small sample of the real inputs, then scaled by input bytes. Linear scaling is an assumption that
 * docs/scale.md checks (a 2 GB run against a 500 MB one); the dedup phases, which depend on how
 * many duplicates there are, follow it only as far as the sample is typical of the corpus.
 */
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PipelineConfig } from "./config.js";
import { buildPlan, savePlan, splitStages, workDir, type RunPlan } from "./plan.js";
import { phasesFor } from "../phases/phases.js";
import { runTask } from "../phases/run-task.js";
import { ensureStateDir, readTaskOutcome } from "../phases/task-state.js";
import { sampleInputs } from "./sample.js";
import { preflight } from "../run-pipeline.js";

/**
 * dedup-clusters' union-find holds one Int32 per document (see dedup/phase-clusters.ts): in memory
 * while that fits half of --memory-mb, else paged through a file (slower, never more memory).
 */
export const CLUSTER_BYTES_PER_DOCUMENT = 4;

export interface PhaseEstimate {
  name: string;
  /** Tasks of this phase in the real run. */
  tasks: number;
  /** CPU seconds the phase took on the sample (all its tasks, this process and its threads). */
  sampleCpuSeconds: number;
  /** Projected onto the whole input. */
  coreHours: number;
}

export interface ScaleEstimate {
  /** What the estimate is for: the inputs' bytes, or the size asked for with projectBytes. */
  inputBytes: number;
  /** The config's inputs, when inputBytes is a projection onto another size. */
  configInputBytes?: number;
  files: number;
  sample?: { inputBytes: number; files: number; skipped: string[]; documents: number; cpuSeconds: number };
  phases: PhaseEstimate[];
  /** Projected; undefined without a sample. */
  documents?: number;
  documentsKept?: number;
  tokens?: number;
  /** Largest size of OUTPUT (outputs and .korpipe together) between phases, projected. */
  peakDiskBytes?: number;
  /** What stays under OUTPUT/.korpipe after the run, projected, by directory of the work dir. */
  intermediates: { name: string; bytes: number }[];
  outputs: { name: string; bytes: number }[];
  /** Memory of dedup-clusters beyond the process itself. */
  clusterMemoryBytes?: number;
  coreHours?: number;
}

export interface EstimateOptions {
  tasks?: number;
  /** Bytes of input to sample; 0 gives tasks per phase only. */
  sampleBytes: number;
  /** Project onto this many input bytes (e.g. the whole corpus, of which the config names a part). */
  projectBytes?: number;
  /** Where the sample run goes; removed afterwards. Default: the system's temporary directory. */
  scratchDir?: string;
  log?: (line: string) => void;
}

export async function estimateRun(config: PipelineConfig, options: EstimateOptions): Promise<ScaleEstimate> {
  const plan = await buildPlan(config, { tasks: options.tasks });
  const phases = phasesFor(plan).map((p) => ({ name: p.name, tasks: p.taskCount(plan), sampleCpuSeconds: 0, coreHours: 0 }));
  const estimate: ScaleEstimate = { inputBytes: options.projectBytes ?? plan.totalBytes, files: plan.files.length, phases, intermediates: [], outputs: [] };
  if (options.projectBytes !== undefined) estimate.configInputBytes = plan.totalBytes;
  if (options.sampleBytes <= 0 || plan.totalBytes === 0) return estimate;
  // A tokenizer that cannot load or lacks a privacy token fails here as it would fail the run, not mid-sample.
  await preflight(plan);

  const scratch = await mkdtemp(path.join(options.scratchDir ?? os.tmpdir(), "korpipe-plan-"));
  // The sample is a copy of raw input text: an interrupted plan removes it too.
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(scratch, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const sample = await sampleInputs(plan.files, options.sampleBytes, path.join(scratch, "input"), config.read);
    if (sample.files.length === 0) {
      throw new Error(
        `no input could be sampled: ${sample.skipped.length} file(s) are single JSON values bigger than twice the sample's share; ` +
          `raise --sample-mb or give --sample-mb 0 for tasks only`,
      );
    }
    options.log?.(`korpipe plan: measuring on a ${(sample.inputBytes / 1e6).toFixed(1)} MB sample of ${sample.files.length} file(s) ...`);
    const measured = await measureSample(config, sample.files, path.join(scratch, "out"));
    const scale = estimate.inputBytes / sample.inputBytes;
    for (const p of phases) {
      p.sampleCpuSeconds = measured.cpuSeconds.get(p.name) ?? 0;
      p.coreHours = (p.sampleCpuSeconds * scale) / 3600;
    }
    estimate.sample = {
      inputBytes: sample.inputBytes,
      files: sample.files.length,
      skipped: sample.skipped,
      documents: measured.documents,
      cpuSeconds: [...measured.cpuSeconds.values()].reduce((a, b) => a + b, 0),
    };
    estimate.documents = Math.round(measured.documents * scale);
    estimate.documentsKept = Math.round(measured.documentsKept * scale);
    if (measured.tokens !== undefined) estimate.tokens = Math.round(measured.tokens * scale);
    estimate.peakDiskBytes = Math.round(measured.peakBytes * scale);
    estimate.intermediates = measured.work.map((w) => ({ name: w.name, bytes: Math.round(w.bytes * scale) }));
    estimate.outputs = measured.outputs.map((w) => ({ name: w.name, bytes: Math.round(w.bytes * scale) }));
    if (splitStages(config).dedup) estimate.clusterMemoryBytes = estimate.documents * CLUSTER_BYTES_PER_DOCUMENT;
    estimate.coreHours = phases.reduce((a, p) => a + p.coreHours, 0);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await rm(scratch, { recursive: true, force: true });
  }
  return estimate;
}

interface SampleMeasurement {
  cpuSeconds: Map<string, number>;
  documents: number;
  documentsKept: number;
  tokens?: number;
  peakBytes: number;
  work: { name: string; bytes: number }[];
  outputs: { name: string; bytes: number }[];
}

/**
 * Runs every phase of the pipeline on the sample in this process, one task after another, with the
 * same code a run's tasks use, timing each phase's CPU (process.cpuUsage counts the tokenizer's
 * native threads too).
 */
async function measureSample(config: PipelineConfig, files: string[], outDir: string): Promise<SampleMeasurement> {
  const plan: RunPlan = await buildPlan({ ...config, inputs: files, output: outDir }, { tasks: 1 });
  await ensureStateDir(plan.outDir);
  await savePlan(plan);
  const cpuSeconds = new Map<string, number>();
  let peakBytes = 0;
  for (const phase of phasesFor(plan)) {
    const before = process.cpuUsage();
    for (let i = 0; i < phase.taskCount(plan); i++) await runTask({ outDir: plan.outDir, phase: phase.name, index: i });
    const used = process.cpuUsage(before);
    cpuSeconds.set(phase.name, (used.user + used.system) / 1e6);
    peakBytes = Math.max(peakBytes, await treeBytes(plan.outDir));
  }
  const prepared = await readTaskOutcome(plan.outDir, "prepare", 0);
  const documents = prepared?.stages[0]?.docs_in ?? 0;
  const report = JSON.parse(await readFile(path.join(plan.outDir, "report.json"), "utf8")) as {
    totals?: { docs_out?: number };
    sections?: { tokenize?: { tokens?: number } };
  };
  const work = workDir(plan);
  const workEntries = await readdir(work, { withFileTypes: true }).catch(() => []);
  const outEntries = await readdir(plan.outDir, { withFileTypes: true });
  return {
    cpuSeconds,
    documents,
    documentsKept: report.totals?.docs_out ?? 0,
    tokens: report.sections?.tokenize?.tokens,
    peakBytes,
    work: await Promise.all(workEntries.filter((e) => e.isDirectory()).map(async (e) => ({ name: e.name, bytes: await treeBytes(path.join(work, e.name)) }))),
    outputs: await Promise.all(
      outEntries.filter((e) => e.isFile()).map(async (e) => ({ name: e.name, bytes: (await stat(path.join(plan.outDir, e.name))).size })),
    ),
  };
}

/** Bytes of all files under a directory. */
async function treeBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  let total = 0;
  for (const e of entries) {
    if (!e.isFile()) continue;
    const parent = e.parentPath ?? (e as unknown as { path: string }).path;
    total += (await stat(path.join(parent, e.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/** Wall time of each phase on `nodes` × `coresPerNode` cores: rounds of equal tasks, one per core. */
export function projectWallSeconds(estimate: ScaleEstimate, nodes: number, coresPerNode: number): { name: string; seconds: number }[] {
  const cores = Math.max(1, nodes * coresPerNode);
  return estimate.phases.map((p) => {
    const perTask = (p.coreHours * 3600) / Math.max(1, p.tasks);
    return { name: p.name, seconds: Math.ceil(p.tasks / cores) * perTask };
  });
}
