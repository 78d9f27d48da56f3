/**
 * Running one task of one phase, wherever it runs (a local worker thread or a Slurm array task),
 * then marking it done. The marker comes last, so a task with a marker always has complete outputs.
 * (What a killed attempt left under temporary names is cleared by the executor before tasks start.)
 */
import { loadPlan } from "../plan/plan.js";
import { phaseByName, type ProgressSink } from "./phases.js";
import { markTaskDone, readTaskOutcome } from "./task-state.js";
import { releaseIntermediates } from "./work-cleanup.js";

export interface TaskRequest {
  outDir: string;
  phase: string;
  index: number;
  /**
   * Cores this task may keep busy (default 1): a tokenizing task with more spreads its encoding
   * over that many threads of its own. Locally, the workers a phase with fewer tasks leaves idle;
   * on Slurm, the task's SLURM_CPUS_PER_TASK. Outputs do not depend on it.
   */
  cores?: number;
  /** Receives `{docs, bytes}` increments a few times a second (the parent process, through IPC). */
  port?: { postMessage(message: { docs: number; bytes: number }): void };
}

const REPORT_EVERY_MS = 250;

function portSink(port: TaskRequest["port"]): ProgressSink & { flush(): void; stop(): void } {
  let docs = 0;
  let bytes = 0;
  const flush = () => {
    if (port && (docs || bytes)) port.postMessage({ docs, bytes });
    docs = 0;
    bytes = 0;
  };
  const timer = port ? setInterval(flush, REPORT_EVERY_MS) : undefined;
  timer?.unref();
  return {
    addDocs: (n = 1) => void (docs += n),
    addBytes: (n: number) => void (bytes += n),
    flush,
    stop: () => {
      if (timer) clearInterval(timer);
      flush();
    },
  };
}

/**
 * A deterministic crash for tests: KORPIPE_TEST_KILL_AT=PHASE:TASK:DOCS kills the whole process
 * (SIGKILL, no clean-up) once task TASK of PHASE has passed DOCS documents, mid-task; DOCS 0
 * kills it as the task starts (phases that pass no documents, like dedup-pairs).
 */
function withTestKill(sink: ProgressSink, phase: string, index: number): ProgressSink {
  const spec = process.env.KORPIPE_TEST_KILL_AT;
  if (!spec) return sink;
  const [p, t, n] = spec.split(":");
  if (p !== phase || Number(t) !== index) return sink;
  if (Number(n) === 0) process.kill(process.pid, "SIGKILL");
  let docs = 0;
  return {
    addBytes: (b: number) => sink.addBytes(b),
    addDocs: (k = 1) => {
      sink.addDocs(k);
      docs += k;
      if (docs >= Number(n)) process.kill(process.pid, "SIGKILL");
    },
  };
}

/** Returns true when the task ran, false when it was already done. */
export async function runTask(req: TaskRequest): Promise<boolean> {
  const plan = await loadPlan(req.outDir);
  if (!plan) throw new Error(`${req.outDir} has no run plan; start the run with korpipe run CONFIG first`);
  if (await readTaskOutcome(plan.outDir, req.phase, req.index)) return false;
  const phase = phaseByName(plan, req.phase);
  if (!(req.index >= 0 && req.index < phase.taskCount(plan))) {
    throw new Error(`phase ${req.phase} has tasks 0..${phase.taskCount(plan) - 1}, not ${req.index}`);
  }
  const sink = portSink(req.port);
  const t0 = performance.now();
  const startedAt = Date.now();
  try {
    const outcome = await phase.run(plan, req.index, withTestKill(sink, req.phase, req.index), req.cores);
    await markTaskDone(plan.outDir, req.phase, req.index, { ...outcome, seconds: (performance.now() - t0) / 1000, startedAt, finishedAt: Date.now() });
    // Only after the marker: until then a rerun of this task may still need its inputs.
    await releaseIntermediates(plan);
  } finally {
    sink.stop();
  }
  return true;
}
