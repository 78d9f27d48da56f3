/**
 * A run's plan: the config, the resolved input files and their split into tasks, fixed once and
 * saved in the output directory. Every task, on a worker thread or a Slurm node, reads this same
 * plan, so all of them agree on which files are whose.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DedupStageConfig, PipelineConfig, StageConfig, TokenizeStageConfig } from "./config.js";
import { canSlice, partFile, resolveInputs, type InputPart } from "../../stages/read.js";
import { commonDirectory, OutputCollisionError, planOutputs } from "../../stages/write.js";
import { refuseOutputsOverInputs, SIDE_FILES } from "../../io/input-discovery.js";
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
  /**
   * The command the plan runs for (absent: "run"). `korpipe run` writes JSONL under OUTPUT/data and
   * report.json; the single-stage commands write JSONL straight into OUTPUT, named as their inputs,
   * and stats.json, as they always have.
   */
  command?: string;
  /** Intermediate files' directory when not OUTPUT/.korpipe/work (korpipe dedup --work-dir). */
  workRoot?: string;
  /**
   * Where the tokenized dataset goes when not OUTPUT/PREFIX (korpipe tokenize -o PREFIX, whose
   * output directory holds only the report): an absolute prefix, and the JSON key in its name
   * (PREFIX_KEY_document, as preprocess_data.py's --json-keys names it; default text).
   */
  dataset?: DatasetTarget;
  /**
   * Files besides the inputs whose content decides the outputs (the tokenizer.json, user stage
   * modules), hashed when planned: a resumed run must do its remaining tasks with the same files as
   * its finished ones, or its outputs would mix two versions.
   */
  codeFiles?: CodeFile[];
}

export interface CodeFile {
  /** What it is to the user: "the tokenizer" or "the stage module". */
  role: string;
  file: string;
  sha256: string;
}

export interface DatasetTarget {
  prefix: string;
  key?: string;
}

export function planFile(outDir: string): string {
  return path.join(stateDir(outDir), "plan.json");
}

export function workDir(plan: Pick<RunPlan, "outDir" | "workRoot">): string {
  return plan.workRoot ?? path.join(plan.outDir, STATE_DIR, "work");
}

/** A single-stage command's plan, whose outputs keep the names and places that command always gave them. */
export const isCommandPlan = (plan: Pick<RunPlan, "command">) => plan.command !== undefined && plan.command !== "run";

/** Where JSONL output goes when the pipeline does not tokenize: OUTPUT/data for a run, OUTPUT itself for a command. */
export const dataDir = (plan: Pick<RunPlan, "outDir" | "command">) => (isCommandPlan(plan) ? plan.outDir : path.join(plan.outDir, "data"));

/** How the run's log lines begin: `korpipe run:`, or the command's name for a command's plan. */
export const logPrefix = (plan: Pick<RunPlan, "command">) => `korpipe ${plan.command ?? "run"}:`;

/** report.json for a run, stats.json for a command. */
export const statsFileOf = (plan: Pick<RunPlan, "outDir" | "command">) => path.join(plan.outDir, isCommandPlan(plan) ? "stats.json" : "report.json");

export interface BuildPlanOptions {
  tasks?: number;
  /** Hash every input's content too (slower; catches edits that keep size and mtime). */
  verifyInputs?: boolean;
  /** Told once per link, loop or duplicate skipped while finding the inputs. */
  onSkip?: (message: string) => void;
  /** The command planning this (default "run"); see RunPlan.command. */
  command?: string;
  /** Intermediate files' directory instead of OUTPUT/.korpipe/work. */
  workDir?: string;
  /** The tokenized dataset's place outside the output directory; see RunPlan.dataset. */
  dataset?: DatasetTarget;
}

export async function buildPlan(userConfig: PipelineConfig, opts: BuildPlanOptions = {}): Promise<RunPlan> {
  const config = { ...userConfig, stages: await resolveModuleStages(userConfig.stages, process.cwd()) };
  const outDir = path.resolve(config.output);
  const workRoot = opts.workDir !== undefined ? path.resolve(opts.workDir) : undefined;
  const dataset = opts.dataset ? { ...opts.dataset, prefix: path.resolve(opts.dataset.prefix) } : undefined;
  const written = workRoot ? [outDir, workRoot] : [outDir];
  await refuseOutputsOverInputs(config.inputs, [], written);
  const files = await resolveInputs(config.inputs, { exclude: written, onSkip: opts.onSkip });
  await refuseOutputsOverInputs([], files, written);
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
      const slices = await sliceFile(file, size, Math.round(size / target));
      // A file of a few long lines may not cut at all: then it stays whole, and its output keeps its name.
      if (slices.length > 1) for (const s of slices) parts.push({ part: s, size: s.end - s.start });
      else parts.push({ part: file, size });
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
  const codeFiles = hashCodeFiles(config);
  const sizeOf = new Map(parts.map((p) => [p.part, p.size]));
  const fingerprint = createHash("sha256")
    // Content hashes are compared on their own (run-pipeline.ts): a run started without them stays resumable.
    .update(
      JSON.stringify({ config: { ...config, tasks: undefined, keepWork: undefined }, inputs: inputStamps.map(({ hash: _, ...s }) => s), tasks, command: opts.command ?? "run", dataset, codeFiles }),
    )
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
    ...(opts.command !== undefined && opts.command !== "run" ? { command: opts.command } : {}),
    ...(workRoot ? { workRoot } : {}),
    ...(dataset ? { dataset } : {}),
    ...(codeFiles.length > 0 ? { codeFiles } : {}),
  };
  checkPlannedOutputs(plan);
  return plan;
}

/** The tokenizer.json and the stage modules' files, hashed (one that cannot be read is the preflight's to explain). */
function hashCodeFiles(config: PipelineConfig): CodeFile[] {
  const out: CodeFile[] = [];
  for (const s of config.stages) {
    const [role, file] =
      s.stage === "tokenize" ? ["the tokenizer", (s as TokenizeStageConfig).tokenizer] : s.stage === "module" ? ["the stage module", moduleFile((s as { import: string }).import)] : [];
    if (role === undefined || file === undefined) continue;
    try {
      out.push({ role, file, sha256: createHash("sha256").update(readFileSync(file)).digest("hex") });
    } catch {
      // Not readable now: the tokenizer check or the stage's loading says so before any work.
    }
  }
  return out;
}

/** The file behind a resolved module import (a file URL); undefined for anything else. */
function moduleFile(url: string): string | undefined {
  return url.startsWith("file:") ? fileURLToPath(url) : undefined;
}

/** The first code file whose content differs between two plans of the same run, if any. */
export function changedCodeFile(before: RunPlan, now: RunPlan): CodeFile | undefined {
  return now.codeFiles?.find((f) => {
    const old = before.codeFiles?.find((o) => o.role === f.role && o.file === f.file);
    return old !== undefined && old.sha256 !== f.sha256;
  });
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
  // A command joins the parts of a sliced file back under the file's own name: those names, too, must not collide.
  if (isCommandPlan(plan)) planOutputs(plan.files, { outputDir: dataDir(plan), reservedNames: SIDE_FILES, baseDir: plan.baseDir, compression: plan.config.compression });
  const taken = new Map<string, string>();
  plan.tasks.forEach((task, i) => {
    const planned = planOutputs([...new Set(task.map(partFile))], {
      outputDir: dataDir(plan),
      ...(isCommandPlan(plan) ? { reservedNames: SIDE_FILES } : {}),
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
