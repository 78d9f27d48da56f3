/**
 * A run's plan: the config, the resolved input files and their split into tasks, fixed once and
 * saved in the output directory. Every task, on a worker thread or a Slurm node, reads this same
 * plan, so all of them agree on which files are whose.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { DedupStageConfig, PipelineConfig, StageConfig, TokenizeStageConfig } from "./config.js";
import { canSlice, partFile, resolveInputs, type InputPart } from "../../stages/read.js";
import { commonDirectory, OutputCollisionError, planOutputs } from "../../stages/write.js";
import { refuseOutputsOverInputs } from "../../io/input-discovery.js";
import { writeFileAtomic } from "../../io/atomic-file.js";
import { defaultTaskCount, splitIntoTasks, type SizedPart } from "./tasks.js";
import { sliceFile } from "../../io/file-slices.js";
import { stampInputs, type InputStamp } from "../../io/input-stamps.js";
import { sliceParquet } from "../../io/parquet.js";
import { detectFormat } from "../../io/formats.js";
import { STATE_DIR, stateDir } from "../phases/task-state.js";
import { resolveModuleStages } from "./stage-registry.js";
import { localDate, type StageContext } from "../../stages/registry.js";

export interface RunPlan {
  version: 1;
  /** Hash of everything that decides the outputs: config and input list. */
  fingerprint: string;
  config: PipelineConfig;
  /** Absolute output directory. */
  outDir: string;
  files: string[];
  totalBytes: number;
  /** Whole files, or slices of big uncompressed line-based files, per task. */
  tasks: InputPart[][];
  taskBytes: number[];
  /** Input names are mirrored relative to this directory. */
  baseDir: string;
  /** Size, mtime (and with --verify-inputs a content hash) of each input when the run was planned. */
  inputStamps?: InputStamp[];
  /** "Today" for stages that depend on the date (scrub's birth-date check), fixed when planned. */
  today: string;
}

export function planFile(outDir: string): string {
  return path.join(stateDir(outDir), "plan.json");
}

export function workDir(plan: Pick<RunPlan, "outDir">): string {
  return path.join(plan.outDir, STATE_DIR, "work");
}

export interface BuildPlanOptions {
  tasks?: number;
  /** Hash every input's content too (slower; catches edits that keep size and mtime). */
  verifyInputs?: boolean;
  /** Told once per link, loop or duplicate skipped while finding the inputs. */
  onSkip?: (message: string) => void;
}

export async function buildPlan(userConfig: PipelineConfig, opts: BuildPlanOptions = {}): Promise<RunPlan> {
  const config = { ...userConfig, stages: await resolveModuleStages(userConfig.stages, process.cwd()) };
  const outDir = path.resolve(config.output);
  await refuseOutputsOverInputs(config.inputs, [], [outDir]);
  const files = await resolveInputs(config.inputs, { exclude: [outDir], onSkip: opts.onSkip });
  await refuseOutputsOverInputs([], files, [outDir]);
  const inputStamps = await stampInputs(files, opts.verifyInputs === true);
  const sizes = inputStamps.map((s) => s.size);
  const requested = opts.tasks ?? config.tasks ?? defaultTaskCount(os.availableParallelism());
  const total = sizes.reduce((a, b) => a + b, 0);
  const target = Math.max(1, total / requested);
  const parts: SizedPart<InputPart>[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const size = sizes[i]!;
    // A file much bigger than a task's share is cut, so that one big file still spreads over the workers.
    if (size > 1.5 * target && canSlice(file, config.read)) {
      for (const s of await sliceFile(file, size, Math.round(size / target))) parts.push({ part: s, size: s.end - s.start });
    } else if (size > 1.5 * target && detectFormat(file, config.read)?.records === "parquet") {
      // Parquet is cut at row-group boundaries; an unreadable footer leaves the file whole, for the reader to report.
      const slices = await sliceParquet(file, Math.round(size / target)).catch(() => undefined);
      if (slices && slices.length > 0) for (const s of slices) parts.push({ part: s.slice, size: s.bytes });
      else parts.push({ part: file, size });
    } else {
      parts.push({ part: file, size });
    }
  }
  const tasks = splitIntoTasks(parts, requested);
  const sizeOf = new Map(parts.map((p) => [p.part, p.size]));
  const fingerprint = createHash("sha256")
    // Content hashes are compared on their own (run-pipeline.ts): a run started without them stays resumable.
    .update(JSON.stringify({ config: { ...config, tasks: undefined, keepWork: undefined }, inputs: inputStamps.map(({ hash: _, ...s }) => s), tasks }))
    .digest("hex")
    .slice(0, 16);
  const plan: RunPlan = {
    version: 1,
    fingerprint,
    config,
    outDir,
    files,
    totalBytes: total,
    tasks,
    taskBytes: tasks.map((t) => t.reduce((a, p) => a + sizeOf.get(p)!, 0)),
    baseDir: commonDirectory(files),
    inputStamps,
    today: localDate(),
  };
  checkPlannedOutputs(plan);
  return plan;
}

export async function savePlan(plan: RunPlan): Promise<void> {
  await writeFileAtomic(planFile(plan.outDir), JSON.stringify(plan, null, 2) + "\n");
}

export async function loadPlan(outDir: string): Promise<RunPlan | undefined> {
  try {
    return JSON.parse(await readFile(planFile(outDir), "utf8")) as RunPlan;
  } catch {
    return undefined;
  }
}

/** The stages around dedup: per-document stages run before it (phase prepare) and after it (phase finalize). */
export interface StageSplit {
  before: StageConfig[];
  dedup: DedupStageConfig | undefined;
  after: StageConfig[];
  tokenize: TokenizeStageConfig | undefined;
}

export function splitStages(config: PipelineConfig): StageSplit {
  const stages = config.stages;
  const d = stages.findIndex((s) => s.stage === "dedup");
  const tokenize = stages.find((s): s is TokenizeStageConfig => s.stage === "tokenize");
  const perDoc = (s: StageConfig) => s.stage !== "dedup" && s.stage !== "tokenize";
  return {
    before: (d >= 0 ? stages.slice(0, d) : stages).filter(perDoc),
    dedup: d >= 0 ? (stages[d] as DedupStageConfig) : undefined,
    after: (d >= 0 ? stages.slice(d + 1) : []).filter(perDoc),
    tokenize,
  };
}

/** What the plan fixes for every stage it builds (older plans without a pinned date use today's). */
export function stageContext(plan: RunPlan): StageContext {
  return { today: plan.today ?? localDate() };
}

/** Files that more than one task reads a slice of; their JSONL outputs are written in parts. */
export function slicedFiles(plan: RunPlan): Set<string> {
  const seen = new Set<string>();
  for (const task of plan.tasks) for (const p of task) if (typeof p !== "string") seen.add(partFile(p));
  return seen;
}

/** In finalize without a tokenize stage, task `i` writes its part of a shared big file under a part name. */
export function taskOutputRename(plan: RunPlan, i: number): (out: string, input: string) => string {
  const sliced = slicedFiles(plan);
  return (out, input) => (sliced.has(input) ? out.replace(/\.jsonl((?:\.gz|\.zst)?)$/, `.part-${String(i).padStart(5, "0")}.jsonl$1`) : out);
}

/**
 * Every JSONL output path of every task, known before any work: two inputs planned onto one file
 * (x.jsonl and x.ndjson, or an input named like another's part file) are refused here, naming both,
 * since tasks writing them apart would silently keep only one.
 */
export function checkPlannedOutputs(plan: RunPlan): void {
  if (splitStages(plan.config).tokenize) return; // shards are per task, named by task index
  const taken = new Map<string, string>();
  plan.tasks.forEach((task, i) => {
    const planned = planOutputs([...new Set(task.map(partFile))], {
      outputDir: path.join(plan.outDir, "data"),
      baseDir: plan.baseDir,
      compression: plan.config.compression,
      renameOutput: taskOutputRename(plan, i),
    });
    for (const [input, out] of planned) {
      const other = taken.get(out);
      if (other !== undefined && other !== input) {
        throw new OutputCollisionError(`${other} and ${input} would both be written to ${out}; rename one of them or run them separately`);
      }
      taken.set(out, input);
    }
  });
}
