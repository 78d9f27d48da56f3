/**
 * Finding the task that made an intermediate file, so that a run whose intermediate went missing
 * or was damaged (deleted by hand, cut short by a full disk, flipped bits) rebuilds it by redoing
 * that one task instead of failing on every rerun. The layout of the work directory decides:
 *
 *   work/prepared/task-N.*, work/prepare/task-N/, work/dedup/tasks/task-N/   prepare task N
 *   work/dedup/pairs/band-B.*, exact.*                                      the dedup-pairs task of that band
 *   work/dedup/clusters/                                                    dedup-clusters task 0
 *   work/shards/task-N*, work/finalize/task-N/                              finalize task N
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { logPrefix, splitStages, workDir, type RunPlan } from "../plan/plan.js";
import { existsSync } from "node:fs";
import { dedupWorkDir, pairTaskBands } from "./dedup-phases.js";
import { WorkDir, type BandId } from "../../dedup/files/work-dir.js";
import { unmarkTask } from "./task-state.js";

/**
 * Runs `attempt` (all of a run's phases) until it succeeds. When it fails on a missing or damaged
 * intermediate (`failuresOf` gives the failed tasks' messages), the task that made the file is
 * redone and the run goes on. A rebuild may need another first (a dedup-pairs task redone finds
 * the band files of each prepare task it reads gone, one at a time), so rounds go on while each
 * redoes a task not redone before: bounded by the number of tasks, never a loop.
 */
export async function withRebuilds<T>(
  plan: RunPlan,
  log: (line: string) => void,
  attempt: () => Promise<T>,
  failuresOf: (err: unknown) => Promise<string[] | undefined>,
): Promise<T> {
  const redone = new Set<string>();
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      const failures = await failuresOf(err);
      const reset = failures ? await resetProducersOfMissingFiles(plan, failures) : [];
      const keys = reset.map((p) => `${p.phase}/${p.index}`);
      if (keys.every((k) => redone.has(k))) throw err;
      for (const k of keys) redone.add(k);
      log(`${logPrefix(plan)} rebuilding missing or damaged intermediate files: redoing ${reset.map((p) => `${p.phase} task ${p.index}`).join(", ")}`);
    }
  }
}

export interface Producer {
  phase: string;
  index: number;
}

/** The task that writes `file`, or undefined for a file outside the run's work directory. */
export function producerOf(plan: RunPlan, file: string, pairTaskOf: (band: BandId) => number): Producer | undefined {
  const rel = path.relative(workDir(plan), path.resolve(file)).split(path.sep);
  if (rel[0] === ".." || rel.length < 2) return undefined;
  const taskOf = (name: string | undefined) => {
    const m = /^task-(\d+)/.exec(name ?? "");
    return m ? Number(m[1]) : undefined;
  };
  const [top, second, third] = rel;
  let producer: Producer | undefined;
  if (top === "prepared" || top === "prepare") producer = { phase: "prepare", index: taskOf(second)! };
  else if (top === "shards" || top === "finalize") producer = { phase: "finalize", index: taskOf(second)! };
  else if (top === "dedup" && second === "tasks") producer = { phase: "prepare", index: taskOf(third)! };
  else if (top === "dedup" && second === "clusters") producer = { phase: "dedup-clusters", index: 0 };
  else if (top === "dedup" && second === "pairs") {
    const m = /^band-(\d+)/.exec(third ?? "");
    producer = { phase: "dedup-pairs", index: pairTaskOf(m ? Number(m[1]) : "exact") };
  }
  return producer && Number.isInteger(producer.index) ? producer : undefined;
}

/** Absolute paths under the work directory that a task failure's message names. */
function pathsNamed(plan: RunPlan, message: string): string[] {
  const root = workDir(plan);
  const found: string[] = [];
  for (const m of message.matchAll(/(\/[^\s'",:;()]+)/g)) {
    const p = m[1]!;
    if (p.startsWith(root + path.sep)) found.push(p);
  }
  return found;
}

const MISSING_OR_DAMAGED = /ENOENT|is missing|no such file|damaged|checksum|truncated|unexpected end/i;

/**
 * For task failures that name a missing or damaged intermediate: removes the damaged file and the
 * producing task's marker, so that running the phases again rebuilds it. Returns the producers
 * reset (none: the failures have another cause and the run should stop).
 */
export async function resetProducersOfMissingFiles(plan: RunPlan, messages: string[]): Promise<Producer[]> {
  const dedup = splitStages(plan.config).dedup;
  // Bands are grouped into dedup-pairs tasks (dedup.bandsPerTask).
  const groups = dedup ? pairTaskBands(plan, dedup) : [];
  const pairTaskOf = (band: BandId) => groups.findIndex((g) => g.includes(band));
  const reset: Producer[] = [];
  const seen = new Set<string>();
  for (const message of messages) {
    if (!MISSING_OR_DAMAGED.test(message)) continue;
    for (const file of pathsNamed(plan, message)) {
      const producer = producerOf(plan, file, pairTaskOf);
      if (!producer) continue;
      const key = `${producer.phase}/${producer.index}`;
      if (seen.has(key)) continue;
      seen.add(key);
      await rm(file, { force: true, recursive: true });
      await unmarkTask(plan.outDir, producer.phase, producer.index);
      reset.push(producer);
    }
  }
  // Candidate pairs of all bands are released together, and so are the band files they are made
  // from once every dedup-pairs task is done: redoing one group at a time would release the band
  // files the next group needs. So every group whose pairs are gone is redone in the same round.
  if (dedup && reset.some((p) => p.phase === "dedup-pairs")) {
    const work = new WorkDir(dedupWorkDir(plan));
    for (let g = 0; g < groups.length; g++) {
      const key = `dedup-pairs/${g}`;
      if (seen.has(key) || groups[g]!.every((band) => existsSync(work.pairsManifest(band)))) continue;
      seen.add(key);
      await unmarkTask(plan.outDir, "dedup-pairs", g);
      reset.push({ phase: "dedup-pairs", index: g });
    }
  }
  return reset;
}
