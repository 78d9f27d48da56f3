/**
 * The stage contract's two helpers. A stage is `(docs, stats) => docs`; these build one from a
 * per-document function and own the counting (in, out, filtered by reason), the way datatrove's
 * BaseFilter does, so that a stage written by a user accounts for every document like ours do.
 */
import type { Document, Stage } from "../types.js";
import type { StageStats } from "../stats/stage-stats.js";

/** A stage that knows the name it reports under (stats.json, filtered.jsonl, the report). */
export type NamedStageFn = Stage & { readonly stageName: string };

function named(name: string, run: Stage): NamedStageFn {
  if (!/^[\w.:-]+$/.test(name)) throw new Error(`stage name "${name}" may hold only letters, digits, _ . : -`);
  return Object.assign(run, { stageName: name });
}

/**
 * A stage that drops each document for which `reasonOf` returns a reason (counted under that
 * reason, listed in filtered.jsonl) and passes the rest unchanged.
 */
export function filterStage(name: string, reasonOf: (doc: Document, stats: StageStats) => string | undefined): NamedStageFn {
  return named(name, async function* (docs: AsyncIterable<Document>, stats: StageStats): AsyncGenerator<Document> {
    for await (const doc of docs) {
      stats.in(doc);
      const reason = reasonOf(doc, stats);
      if (reason !== undefined) {
        stats.filter(doc, reason);
        continue;
      }
      stats.out(doc);
      yield doc;
    }
  });
}

/**
 * A stage that passes every document through `map` (return the same object when nothing
 * changes; `stats.count(name)` records what the map found).
 */
export function mapStage(name: string, map: (doc: Document, stats: StageStats) => Document): NamedStageFn {
  return named(name, async function* (docs: AsyncIterable<Document>, stats: StageStats): AsyncGenerator<Document> {
    for await (const doc of docs) {
      stats.in(doc);
      const out = map(doc, stats);
      stats.out(out);
      yield out;
    }
  });
}

/**
 * A stage that both filters and maps: `decide` returns a reason (a string) to drop the document,
 * or the document to pass on (the same object when nothing changes). For filters that also clean,
 * such as the quality filter cutting boilerplate lines before judging what is left.
 */
export function filterMapStage(name: string, decide: (doc: Document, stats: StageStats) => Document | string): NamedStageFn {
  return named(name, async function* (docs: AsyncIterable<Document>, stats: StageStats): AsyncGenerator<Document> {
    for await (const doc of docs) {
      stats.in(doc);
      const out = decide(doc, stats);
      if (typeof out === "string") {
        stats.filter(doc, out);
        continue;
      }
      stats.out(out);
      yield out;
    }
  });
}
