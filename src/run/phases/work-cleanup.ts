/**
 * The work directory's lifecycle: each intermediate file is deleted as soon as every task that
 * reads it has its completion marker, and once the report is written, the whole work directory
 * goes. Plan and markers stay, so `korpipe status` and a rerun (which finds every task done) still
 * work. The check runs after every finished task, wherever it runs, and once more at the end of
 * `korpipe run`: a file whose readers are all done is never read again, so it is always safe.
 * `keepWork` (`--keep-work`) turns all of it off.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { splitStages, workDir, type RunPlan } from "../plan/plan.js";
import { phasesFor, preparedFile } from "./phases.js";
import { placesFile } from "./document-places.js";
import { dedupParams, dedupWorkDir } from "./dedup-phases.js";
import { doneTasks } from "./task-state.js";
import { bandsFor, WorkDir } from "../../dedup/files/work-dir.js";

/** Paths that may go once the listed tasks are done ("all": every task of that phase). */
export interface Intermediate {
  paths: string[];
  readers: { phase: string; tasks: number[] | "all" }[];
}

export function intermediatesOf(plan: RunPlan): Intermediate[] {
  const n = plan.tasks.length;
  const list: Intermediate[] = [];
  const dedup = splitStages(plan.config).dedup;
  if (dedup) {
    const work = new WorkDir(dedupWorkDir(plan));
    const params = dedupParams(dedup);
    for (let i = 0; i < n; i++) {
      list.push({ paths: [preparedFile(plan, i), placesFile(plan, i), work.removals(i)], readers: [{ phase: "finalize", tasks: [i] }] });
      list.push({ paths: bandsFor(params).map((b) => work.bucket(i, b)), readers: [{ phase: "dedup-pairs", tasks: "all" }] });
      // Pair verification and the clusters' similarities read shingle sets.
      list.push({ paths: [work.shingleSets(i)], readers: [{ phase: "dedup-pairs", tasks: "all" }, { phase: "dedup-clusters", tasks: "all" }] });
    }
    list.push({ paths: [path.join(work.root, "pairs")], readers: [{ phase: "dedup-clusters", tasks: "all" }] });
    // Ids and signatures are read until the last finalize task has named the kept document of each of its duplicates.
    list.push({ paths: [work.root], readers: [{ phase: "finalize", tasks: "all" }] });
  }
  // Per-task shards, reject and filter lists, dedup's tables: all read by the report.
  list.push({ paths: [workDir(plan)], readers: [{ phase: "report", tasks: "all" }] });
  return list;
}

/** Deletes every intermediate whose readers are all done; returns how many path groups went. */
export async function releaseIntermediates(plan: RunPlan): Promise<number> {
  if (plan.config.keepWork) return 0;
  const done = new Map<string, Set<number>>();
  const doneIn = async (phase: string) => {
    let s = done.get(phase);
    if (!s) done.set(phase, (s = await doneTasks(plan.outDir, phase)));
    return s;
  };
  const taskCounts = new Map(phasesFor(plan).map((p) => [p.name, p.taskCount(plan)]));
  let released = 0;
  for (const item of intermediatesOf(plan)) {
    let ready = true;
    for (const r of item.readers) {
      const finished = await doneIn(r.phase);
      const needed = r.tasks === "all" ? Array.from({ length: taskCounts.get(r.phase) ?? 0 }, (_, i) => i) : r.tasks;
      if (!needed.every((i) => finished.has(i))) {
        ready = false;
        break;
      }
    }
    if (!ready) continue;
    for (const p of item.paths) await rm(p, { recursive: true, force: true });
    released++;
  }
  return released;
}
