/**
 * Which tasks of a run are done: one marker file per finished task, written after the task's
 * outputs are in place, so a marker always means "outputs complete". A rerun skips marked tasks.
 */
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../stages/atomic-file.js";
import type { StageStatsJSON } from "../stages/stats.js";
import type { UnreadableFile } from "../stages/run-stats.js";

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

export async function readTaskOutcome(outDir: string, phase: string, index: number): Promise<TaskOutcome | undefined> {
  try {
    return JSON.parse(await readFile(markerPath(outDir, phase, index), "utf8")) as TaskOutcome;
  } catch {
    return undefined;
  }
}

export async function doneTasks(outDir: string, phase: string): Promise<Set<number>> {
  const dir = path.join(stateDir(outDir), "done", phase);
  const names = await readdir(dir).catch(() => [] as string[]);
  return new Set(names.filter((n) => /^\d+\.json$/.test(n)).map((n) => Number(n.slice(0, -5))));
}

export async function clearState(outDir: string): Promise<void> {
  await rm(stateDir(outDir), { recursive: true, force: true });
}

export async function ensureStateDir(outDir: string): Promise<void> {
  await mkdir(stateDir(outDir), { recursive: true });
}
