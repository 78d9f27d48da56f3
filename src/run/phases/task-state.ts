/**
 * Which tasks of a run are done: one marker file per finished task, written after the task's
 * outputs are in place, so a marker always means "outputs complete". A rerun skips marked tasks.
 */
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../../io/atomic-file.js";
import type { StageStatsJSON } from "../../stats/stage-stats.js";
import type { UnreadableFile } from "../../stats/run-stats.js";

/** What a finished task reports; kept in its marker so the final report needs no recomputation. */
export interface TaskOutcome {
  stages: StageStatsJSON[];
  unreadable: UnreadableFile[];
  sections?: Record<string, unknown>;
  /** Raw input bytes the task covered, for throughput. */
  inputBytes?: number;
  seconds?: number;
  /** Wall-clock start and end (ms since the epoch), for the run's busy time per phase. */
  startedAt?: number;
  finishedAt?: number;
}

export const STATE_DIR = ".korpipe";

export function stateDir(outDir: string): string {
  return path.join(outDir, STATE_DIR);
}

function markerPath(outDir: string, phase: string, index: number): string {
  return path.join(stateDir(outDir), "done", phase, `${index}.json`);
}

export async function markTaskDone(outDir: string, phase: string, index: number, outcome: TaskOutcome): Promise<void> {
  await writeFileAtomic(markerPath(outDir, phase, index), JSON.stringify(outcome));
}

/**
 * The outcome in a task's marker; undefined when there is none or it is damaged (empty, cut short
 * by a full disk, edited), so that such a task counts as not done everywhere and simply reruns.
 */
export async function readTaskOutcome(outDir: string, phase: string, index: number): Promise<TaskOutcome | undefined> {
  try {
    const outcome = JSON.parse(await readFile(markerPath(outDir, phase, index), "utf8")) as TaskOutcome;
    return isOutcome(outcome) ? outcome : undefined;
  } catch {
    return undefined;
  }
}

function isOutcome(o: unknown): o is TaskOutcome {
  const x = o as Partial<TaskOutcome> | null;
  return typeof x === "object" && x !== null && Array.isArray(x.stages) && Array.isArray(x.unreadable);
}

/** Tasks of a phase whose markers are present and sound. */
export async function doneTasks(outDir: string, phase: string): Promise<Set<number>> {
  const dir = path.join(stateDir(outDir), "done", phase);
  const names = await readdir(dir).catch(() => [] as string[]);
  const done = new Set<number>();
  for (const n of names) {
    if (!/^\d+\.json$/.test(n)) continue;
    const index = Number(n.slice(0, -5));
    if (await readTaskOutcome(outDir, phase, index)) done.add(index);
  }
  return done;
}

/** Forgets that a task finished, so the next run redoes it (its outputs are missing or damaged). */
export async function unmarkTask(outDir: string, phase: string, index: number): Promise<void> {
  await rm(markerPath(outDir, phase, index), { force: true });
}

export async function clearState(outDir: string): Promise<void> {
  await rm(stateDir(outDir), { recursive: true, force: true });
}

export async function ensureStateDir(outDir: string): Promise<void> {
  await mkdir(stateDir(outDir), { recursive: true });
}
