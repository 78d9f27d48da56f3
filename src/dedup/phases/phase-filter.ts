/**
 * Phase 4, per task: a stage that passes the task's documents through, in the same order as in
 * phase 1, dropping those on its removal list. It checks that the input is the one the
 * signatures were computed from (same count, same ids at the removed positions), so that a
 * changed input can never remove the wrong documents.
 */
import type { Document, Stage } from "../../types.js";
import type { StageStats } from "../../stats/stage-stats.js";
import { resolveSignatureParams, type SignatureParams } from "../minhash/signature.js";
import { InputChangedError, RemovalCursor, type DuplicateRecord } from "./removal-list.js";

export { InputChangedError, type DuplicateRecord } from "./removal-list.js";

export interface RemovalFilterOptions {
  params?: Partial<SignatureParams>;
  /** Called for every removed document, in input order. */
  onDuplicate?: (record: DuplicateRecord, doc: Document) => void;
}

/** The phase-4 stage of task `taskId`. Consumes the removal list as it streams; memory stays flat. */
export function removalFilter(workDir: string, taskId: number, options: RemovalFilterOptions = {}): Stage {
  const params = resolveSignatureParams(options.params);
  return async function* (docs: AsyncIterable<Document>, stats: StageStats): AsyncGenerator<Document> {
    const removals = new RemovalCursor(workDir, taskId, params);
    let ordinal = 0;
    try {
      for await (const doc of docs) {
        stats.in(doc);
        if (ordinal === removals.next) {
          const expectedId = removals.idOf(ordinal);
          if (expectedId !== doc.id) {
            throw new InputChangedError(
              `task ${taskId}: document ${ordinal} has id ${JSON.stringify(doc.id)} but signatures were computed for ${JSON.stringify(expectedId)}; the input changed since phase 1, so rerun dedup from the start`,
            );
          }
          const record = removals.take(doc.id);
          stats.duplicate(doc);
          options.onDuplicate?.(record, doc);
        } else {
          stats.out(doc);
          yield doc;
        }
        ordinal++;
      }
      removals.checkCount(ordinal);
    } finally {
      removals.close();
    }
  };
}
