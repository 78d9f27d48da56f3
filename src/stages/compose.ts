/**
 * Chaining stages into one pull-driven stream, and timing each stage's own share of the work:
 * the time spent inside a stage's next() minus the time it spent waiting on the stage before it.
 */
import type { Document, NamedStage } from "../types.js";
import type { StageStats } from "../stats/stage-stats.js";

/** Wraps an iterable so that the time spent producing each item is added up in `timer.ms`. */
async function* timed(source: AsyncIterable<Document>, timer: { ms: number }): AsyncGenerator<Document> {
  const it = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const t0 = performance.now();
      const r = await it.next();
      timer.ms += performance.now() - t0;
      if (r.done) return;
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}

export interface ComposedStages {
  output: AsyncIterable<Document>;
  /** Call once the output is drained: writes each stage's exclusive time into its stats. */
  recordTimes(): void;
}

/**
 * `source` is timed into `sourceStats` (the reader); each stage gets the stats `statsFor(name)` returns.
 */
export function composeStages(
  source: AsyncIterable<Document>,
  sourceStats: StageStats | undefined,
  stages: NamedStage[],
  statsFor: (name: string) => StageStats,
): ComposedStages {
  const timers: { ms: number }[] = [{ ms: 0 }];
  const allStats: (StageStats | undefined)[] = [sourceStats];
  let docs: AsyncIterable<Document> = timed(source, timers[0]!);
  for (const stage of stages) {
    const stats = statsFor(stage.name);
    const timer = { ms: 0 };
    docs = timed(stage.run(docs, stats), timer);
    timers.push(timer);
    allStats.push(stats);
  }
  return {
    output: docs,
    recordTimes() {
      for (let i = 0; i < timers.length; i++) {
        const own = timers[i]!.ms - (i > 0 ? timers[i - 1]!.ms : 0);
        allStats[i]?.addTime(Math.max(own, 0));
      }
    },
  };
}
