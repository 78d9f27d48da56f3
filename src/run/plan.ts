/**
 * A run's plan: the config, the resolved input files and their split into tasks, fixed once and
 * saved in the output directory. Every task, on a worker thread or a Slurm node, reads this same
 * plan, so all of them agree on which files are whose.
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { DedupStageConfig, PipelineConfig, StageConfig, TokenizeStageConfig } from "./config.js";
import { canSlice, partFile, resolveInputs, type InputPart } from "../stages/read.js";
import { commonDirectory } from "../stages/write.js";
import { writeFileAtomic } from "../stages/atomic-file.js";
import { defaultTaskCount, splitIntoTasks, type SizedPart } from "./tasks.js";
import { sliceFile } from "./file-slices.js";
import { sliceParquet } from "../stages/parquet.js";
import { detectFormat } from "../stages/formats.js";
import { STATE_DIR, stateDir } from "./task-state.js";
import { resolveModuleStages } from "./stage-registry.js";
import { localDate, type StageContext } from "../stages/registry.js";

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
  /** "Today" for stages that depend on the date (scrub's birth-date check), fixed when planned. */
  today: string;
}

export class PlanMismatchError extends Error {}

export function planFile(outDir: string): string {
  return path.join(stateDir(outDir), "plan.json");
}

export function workDir(plan: Pick<RunPlan, "outDir">): string {
  return path.join(plan.outDir, STATE_DIR, "work");
}

export async function buildPlan(userConfig: PipelineConfig, opts: { tasks?: number } = {}): Promise<RunPlan> {
  const config = { ...userConfig, stages: await resolveModuleStages(userConfig.stages, process.cwd()) };
  const files = await resolveInputs(config.inputs);
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
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
  const outDir = path.resolve(config.output);
  const fingerprint = createHash("sha256")
    .update(JSON.stringify({ config: { ...config, tasks: undefined }, files, sizes, tasks }))
    .digest("hex")
    .slice(0, 16);
  return {
    version: 1,
    fingerprint,
    config,
    outDir,
    files,
    totalBytes: total,
    tasks,
    taskBytes: tasks.map((t) => t.reduce((a, p) => a + sizeOf.get(p)!, 0)),
    baseDir: commonDirectory(files),
    today: localDate(),
  };
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
