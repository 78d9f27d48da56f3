/**
 * The phases of `korpipe run`, each a set of independent tasks that communicate only through files:
 *
 *   prepare   per task: read its files → stages before dedup → documents + dedup signatures on disk
 *   dedup-*   dedup's own file-based phases (buckets per band, clusters, removal lists)
 *   finalize  per task: prepared documents → drop duplicates → stages after dedup → shard or JSONL
 *   report    once: merge (or number) the shards, gather rejects/filtered/duplicates, report.json and .html
 *
 * Without a dedup stage nothing needs the whole corpus, so prepare and finalize are one phase,
 * `process` (read → every stage → shard or JSONL), and no copy of the documents is written.
 *
 * A task's outputs depend only on the plan and its index, never on which thread or machine runs it.
 */
import { mkdir, readdir, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import type { Document } from "../../types.js";
import { CommandRun } from "../command-run.js";
import { composeStages } from "../../stages/compose.js";
import { StageStats, mergeStageStats, type StageStatsJSON } from "../../stats/stage-stats.js";
import { textBytes } from "../../io/text-bytes.js";
import { outputPathFor, writeDocuments } from "../../stages/write.js";
import { AtomicWriteStream, writeFileAtomic } from "../../io/atomic-file.js";
import { concatFiles } from "../../io/concat-files.js";
import { buildRunStats, type RunStatsJSON } from "../../stats/run-stats.js";
import type { Progress } from "../../stats/progress.js";
import { dataDir, isCommandPlan, slicedFiles, splitStages, stageContext, statsFileOf, taskOutputRename, workDir, type RunPlan } from "../plan/plan.js";
import { partFile, readDocuments } from "../../stages/read.js";
import { buildStages } from "../plan/stage-registry.js";
import { DocumentDumpWriter, dumpFileName, readDocumentDump } from "../../io/document-dump.js";
import { readTaskOutcome, type TaskOutcome } from "./task-state.js";
import { taskName } from "../plan/tasks.js";
import { dedupPhases, dedupRemovalStage, writeTaskSignatures } from "./dedup-phases.js";
import { copiesLines, copyKeptLines, jsonlWriteOptions } from "./finalize-copy.js";
import { PlacesWriter, placesFile } from "./document-places.js";
import { finalDatasetPrefix, publishDataset, sumTokenizeSections, tokenizeTask, type OutputTiming, type TaskTokenizeSection } from "./tokenized-output.js";

export type ProgressSink = Pick<Progress, "addDocs" | "addBytes">;

export interface Phase {
  name: string;
  taskCount(plan: RunPlan): number;
  /** `cores`: how many cores the task may keep busy (default 1); see TaskRequest.cores. */
  run(plan: RunPlan, index: number, progress?: ProgressSink, cores?: number): Promise<TaskOutcome>;
}

/** Dumps between prepare and finalize are compressed: see document-dump.ts for the measurement. */
const DUMP_COMPRESSION = "zstd";
export const preparedFile = (plan: RunPlan, i: number) => dumpFileName(path.join(workDir(plan), "prepared", taskName(i)), DUMP_COMPRESSION);
const prepareReportDir = (plan: RunPlan, i: number) => path.join(workDir(plan), "prepare", taskName(i));
const finalizeReportDir = (plan: RunPlan, i: number) => path.join(workDir(plan), "finalize", taskName(i));

/**
 * Whether prepare keeps a copy of its documents for finalize: only when stages before dedup change
 * or drop documents. Otherwise finalize reads the inputs again, which costs less than writing,
 * compressing and reading back a copy, and leaves no copy of the corpus on disk.
 */
export const keepsDump = (plan: RunPlan) => splitStages(plan.config).before.length > 0;

const noProgress: ProgressSink = { addDocs() {}, addBytes() {} };

const preparePhase: Phase = {
  name: "prepare",
  taskCount: (plan) => plan.tasks.length,
  async run(plan, i, progress = noProgress) {
    const split = splitStages(plan.config);
    if (!split.dedup) throw new Error("prepare runs only before dedup; without a dedup stage the phase is process");
    const reportDir = prepareReportDir(plan, i);
    const run = await CommandRun.open({
      command: "run:prepare",
      inputs: [],
      parts: plan.tasks[i]!,
      readOptions: plan.config.read,
      reportDir,
      quiet: true,
      progress: { ...progress, finish() {} },
    });
    const { output, recordTimes } = run.pipeline(await buildStages(split.before, stageContext(plan)));
    const dump = keepsDump(plan) ? new DocumentDumpWriter(preparedFile(plan, i), { compression: DUMP_COMPRESSION }) : undefined;
    const places = copiesLines(plan) ? new PlacesWriter(placesFile(plan, i), plan.tasks[i]!, plan.config.read.idKey ?? "id") : undefined;
    const keep = dump ? (d: Document) => dump.add(d) : places ? (d: Document) => places.add(d) : () => {};
    try {
      await writeTaskSignatures(plan, split.dedup, i, output, keep);
      dump?.commit();
      places?.commit();
    } catch (err) {
      dump?.abort();
      places?.abort();
      await run.abort();
      throw err;
    }
    recordTimes();
    await run.finish();
    const stats = run.stats();
    return { stages: stats.stages, unreadable: stats.unreadable_files, inputBytes: plan.taskBytes[i] };
  },
};

const finalizePhase: Phase = {
  name: "finalize",
  taskCount: (plan) => plan.tasks.length,
  async run(plan, i, progress = noProgress, cores = 1) {
    const split = splitStages(plan.config);
    const reportDir = finalizeReportDir(plan, i);
    if (copiesLines(plan)) return copyKeptLines(plan, i, reportDir, progress);
    await mkdir(reportDir, { recursive: true });
    const filtered = await AtomicWriteStream.open(path.join(reportDir, "filtered.jsonl"));
    const duplicates = await AtomicWriteStream.open(path.join(reportDir, "duplicates.jsonl"));
    const stageStats: StageStats[] = [];
    const statsFor = (name: string) => {
      const s = new StageStats(name, (e) => filtered.stream.write(JSON.stringify(e) + "\n"));
      stageStats.push(s);
      return s;
    };
    const onDuplicate = (r: unknown) => duplicates.stream.write(JSON.stringify(r) + "\n");
    const stages = [...(split.dedup ? [dedupRemovalStage(plan, split.dedup, i, onDuplicate)] : []), ...(await buildStages(split.after, stageContext(plan)))];
    async function* counted(docs: AsyncIterable<Document>): AsyncGenerator<Document> {
      for await (const d of docs) {
        progress.addDocs(1);
        progress.addBytes(textBytes(d.text));
        yield d;
      }
    }
    // Without stages before dedup the task's input is what prepare saw: read it again rather than a copy
    // (rejects and read statistics were recorded by prepare; none are recorded twice).
    const source = keepsDump(plan) ? readDocumentDump(preparedFile(plan, i)) : readDocuments(plan.tasks[i]!, plan.config.read);
    const { output, recordTimes } = composeStages(counted(source), undefined, stages, statsFor);
    let sections: Record<string, unknown>;
    try {
      const upstreamMs = () => stageStats.filter((s) => s.name !== "tokenize").reduce((a, s) => a + s.toJSON().elapsed_s * 1000, 0);
      sections = await writeTaskOutput(plan, i, output, { statsFor, upstreamMs, recordTimes }, cores);
      await filtered.commit();
      await duplicates.commit();
    } catch (err) {
      await filtered.abort();
      await duplicates.abort();
      throw err;
    }
    return { stages: stageStats.map((s) => s.toJSON()), unreadable: [], sections };
  },
};

/** The end of a task: its documents tokenized into the task's shard(s) (tokenized-output.ts), or written as JSONL. Returns report sections. */
async function writeTaskOutput(plan: RunPlan, i: number, output: AsyncIterable<Document>, timing: OutputTiming, cores = 1): Promise<Record<string, unknown>> {
  const split = splitStages(plan.config);
  if (!split.tokenize) {
    await writeDocuments(output, jsonlWriteOptions(plan, i));
    timing.recordTimes();
    return {};
  }
  return { tokenize: await tokenizeTask(plan, i, output, timing, cores) };
}

/** Without dedup: read → every stage → output, in one pass per task, with no document dump. */
const processPhase: Phase = {
  name: "process",
  taskCount: (plan) => plan.tasks.length,
  async run(plan, i, progress = noProgress, cores = 1) {
    const split = splitStages(plan.config);
    const run = await CommandRun.open({
      command: "run:process",
      inputs: [],
      parts: plan.tasks[i]!,
      readOptions: plan.config.read,
      reportDir: prepareReportDir(plan, i),
      quiet: true,
      progress: { ...progress, finish() {} },
    });
    let sections: Record<string, unknown>;
    try {
      const { output, recordTimes } = run.pipeline(await buildStages(split.before, stageContext(plan)));
      const upstreamMs = () => run.stats().stages.filter((s) => s.name !== "tokenize").reduce((a, s) => a + s.elapsed_s * 1000, 0);
      sections = await writeTaskOutput(plan, i, output, { statsFor: (name) => run.stage(name), upstreamMs, recordTimes }, cores);
    } catch (err) {
      await run.abort();
      throw err;
    }
    await run.finish();
    const stats = run.stats();
    return { stages: stats.stages, unreadable: stats.unreadable_files, inputBytes: plan.taskBytes[i], sections };
  },
};

/** Stage statistics of all tasks, merged per stage, in pipeline order. */
export async function gatherStageStats(
  plan: RunPlan,
  phases: Phase[],
): Promise<{ stages: StageStatsJSON[]; unreadable: RunStatsJSON["unreadable_files"]; sections: Record<string, unknown>[]; busySeconds: number; firstStart: number }> {
  const byName = new Map<string, StageStatsJSON[]>();
  const order: string[] = [];
  const unreadable: RunStatsJSON["unreadable_files"] = [];
  const sections: Record<string, unknown>[] = [];
  let busyMs = 0;
  let firstStart = Date.now();
  for (const phase of phases) {
    if (phase.name === "report") continue;
    let start = Infinity;
    let end = -Infinity;
    for (let i = 0; i < phase.taskCount(plan); i++) {
      const outcome = await readTaskOutcome(plan.outDir, phase.name, i);
      if (!outcome) throw new Error(`task ${i} of phase ${phase.name} has no outcome; rerun korpipe run to finish it`);
      start = Math.min(start, outcome.startedAt ?? Infinity);
      end = Math.max(end, outcome.finishedAt ?? -Infinity);
      unreadable.push(...outcome.unreadable);
      if (outcome.sections) sections.push(outcome.sections);
      for (const s of outcome.stages) {
        if (!byName.has(s.name)) {
          byName.set(s.name, []);
          order.push(s.name);
        }
        byName.get(s.name)!.push(s);
      }
    }
    // A phase's wall time, from its first task's start to its last task's end (time between resumed runs is left out).
    if (end > start) busyMs += end - start;
    firstStart = Math.min(firstStart, start);
  }
  return { stages: order.map((n) => mergeStageStats(byName.get(n)!)), unreadable, sections, busySeconds: busyMs / 1000, firstStart };
}

function reportPhase(allPhases: () => Phase[]): Phase {
  return {
    name: "report",
    taskCount: () => 1,
    async run(plan) {
      const reportStart = Date.now();
      // Only the report task draws the report: other task threads never load its modules.
      const { keptInFileOrder, renderReportHtml, summarizeTokenLengths } = await import("../report/index.js");
      const split = splitStages(plan.config);
      const n = plan.tasks.length;
      const ids = Array.from({ length: n }, (_, i) => i);
      const sections: Record<string, unknown> = {};
      const finalPrefix = finalDatasetPrefix(plan);
      // The datasets the trainer is given: numbered shards, or the one merged dataset.
      let datasets: string[] = [];
      if (finalPrefix) {
        const perTask: TaskTokenizeSection[] = [];
        for (const i of ids) perTask.push((await readTaskOutcome(plan.outDir, taskPhaseName(plan), i))?.sections?.tokenize as TaskTokenizeSection);
        const published = publishDataset(plan, perTask);
        sections.dataset = published.section;
        datasets = published.datasets;
      }
      await concatFiles(ids.map((i) => path.join(prepareReportDir(plan, i), "rejects.jsonl")), path.join(plan.outDir, "rejects.jsonl"));
      await concatFiles(
        ids.flatMap((i) => [path.join(prepareReportDir(plan, i), "filtered.jsonl"), path.join(finalizeReportDir(plan, i), "filtered.jsonl")]),
        path.join(plan.outDir, "filtered.jsonl"),
      );
      if (split.dedup) {
        await concatFiles(ids.map((i) => path.join(finalizeReportDir(plan, i), "duplicates.jsonl")), path.join(plan.outDir, "duplicates.jsonl"));
      }
      const gathered = await gatherStageStats(plan, allPhases());
      const dedupSection = gathered.sections.find((s) => s.dedup);
      if (dedupSection) sections.dedup = dedupSection.dedup;
      const tokenSections = gathered.sections.map((s) => s.tokenize as TaskTokenizeSection | undefined).filter((s) => s !== undefined);
      if (tokenSections.length) {
        // Each task's own shard list is left out: the dataset section lists the published shards.
        sections.tokenize = { ...sumTokenizeSections(tokenSections), tokenizer: split.tokenize?.tokenizer, ...(plan.dataset?.key ? { json_key: plan.dataset.key } : {}) };
      }
      // Facts report.html shows: exact token lengths from the written .idx, and the config as run.
      if (finalPrefix) sections.token_lengths = summarizeTokenLengths(datasets, keptInFileOrder(gathered.stages, plan.files));
      sections.config = plan.config;
      if (isCommandPlan(plan) && !split.tokenize) await joinSlicedOutputs(plan);
      const report = buildRunStats({
        command: plan.command ?? "run",
        startedAt: new Date(gathered.firstStart),
        inputs: plan.files,
        stages: gathered.stages,
        unreadable: gathered.unreadable,
        sections,
      });
      report.elapsed_s = Math.round((gathered.busySeconds + (Date.now() - reportStart) / 1000) * 100) / 100;
      await writeFileAtomic(statsFileOf(plan), JSON.stringify(report, null, 2) + "\n");
      await writeFileAtomic(path.join(plan.outDir, "report.html"), renderReportHtml(report));
      return { stages: [], unreadable: [] };
    },
  };
}

/**
 * A command's output keeps its input's name even when tasks read the input in slices: the tasks'
 * part files are joined in order (gzip members and zstd frames concatenate into one valid file).
 * Safe to redo: the whole file is committed before any part is removed, and once parts are gone
 * only the removal is finished.
 */
async function joinSlicedOutputs(plan: RunPlan): Promise<void> {
  const place = { outputDir: dataDir(plan), baseDir: plan.baseDir, compression: plan.config.compression };
  for (const file of slicedFiles(plan)) {
    const whole = outputPathFor(file, place);
    const parts = plan.tasks.flatMap((task, i) => (task.some((p) => partFile(p) === file) ? [taskOutputRename(plan, i)(whole, file)] : []));
    const present = parts.filter((p) => existsSync(p));
    if (present.length === parts.length) await concatFiles(parts, whole);
    else if (!existsSync(whole)) throw new Error(`${whole}: parts of it are missing (${parts.filter((p) => !existsSync(p)).join(", ")}); rerun with --force`);
    for (const p of present) await rm(p, { force: true });
  }
}

/** The phase whose tasks write the outputs: finalize after dedup, else process. */
export function taskPhaseName(plan: RunPlan): string {
  return splitStages(plan.config).dedup ? "finalize" : "process";
}

export function phasesFor(plan: RunPlan): Phase[] {
  const split = splitStages(plan.config);
  const phases: Phase[] = split.dedup ? [preparePhase, ...dedupPhases(plan, split.dedup), finalizePhase] : [processPhase];
  const all = () => [...phases, report];
  const report = reportPhase(all);
  return all();
}

export function phaseByName(plan: RunPlan, name: string): Phase {
  const p = phasesFor(plan).find((x) => x.name === name);
  if (!p) throw new Error(`no phase "${name}" in this run (phases: ${phasesFor(plan).map((x) => x.name).join(", ")})`);
  return p;
}

/** Removes what a killed attempt of a task may have left under temporary names. */
export async function removeTemporaryFiles(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const e of entries) {
    if (e.isFile() && e.name.startsWith(".") && e.name.endsWith(".tmp")) {
      await rm(path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name), { force: true });
    }
  }
}
