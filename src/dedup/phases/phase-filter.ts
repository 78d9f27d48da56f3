/**
 * Phase 4, per task: a stage that passes the task's documents through, in the same order as in
 * phase 1, dropping those on its removal list. It checks that the input is the one the
 * signatures were computed from (same count, same ids at the removed positions), so that a
 * changed input can never remove the wrong documents.
 */
import type { Document, Stage } from "../../types.js";
import type { StageStats } from "../../stats/stage-stats.js";
import { KIND_EXACT, REMOVAL_WORDS } from "./phase-clusters.js";
import { FileKind, RecordFileReader, verifyRecordFile } from "../files/record-file.js";
import { SignatureTables } from "../minhash/signature-table.js";
import { resolveSignatureParams, type SignatureParams } from "../minhash/signature.js";
import { readTaskManifest, WorkDir } from "../files/work-dir.js";

/** One line of duplicates.jsonl. */
export interface DuplicateRecord {
  id: string;
  /** Id of the kept document of the cluster (the first in input order). */
  duplicate_of: string;
  /** Estimated Jaccard similarity with that document (1 for exact duplicates). */
  similarity_estimate: number;
  kind: "exact" | "near";
}

export interface RemovalFilterOptions {
  params?: Partial<SignatureParams>;
  /** Called for every removed document, in input order. */
  onDuplicate?: (record: DuplicateRecord, doc: Document) => void;
}

/** The input of a task no longer matches what phase 1 saw. */
export class InputChangedError extends Error {}

/** The phase-4 stage of task `taskId`. Consumes the removal list as it streams; memory stays flat. */
export function removalFilter(workDir: string, taskId: number, options: RemovalFilterOptions = {}): Stage {
  const params = resolveSignatureParams(options.params);
  const work = new WorkDir(workDir);
  return async function* (docs: AsyncIterable<Document>, stats: StageStats): AsyncGenerator<Document> {
    const manifest = readTaskManifest(work, taskId, params);
    const file = work.removals(taskId);
    // Checked in full before the first document is dropped: a damaged list must not remove anything.
    verifyRecordFile(file, FileKind.removals, REMOVAL_WORDS * 4);
    const reader = new RecordFileReader(file, FileKind.removals, REMOVAL_WORDS * 4, 256 * 1024);
    const tables = new SignatureTables(work, params);
    let pos = 0;
    let end = 0;
    let nextOrdinal = -1;
    const advance = () => {
      pos += REMOVAL_WORDS;
      if (pos >= end) {
        if (reader.nextChunk()) {
          pos = 0;
          end = reader.chunkRecords * REMOVAL_WORDS;
        } else {
          nextOrdinal = -1;
          return;
        }
      }
      nextOrdinal = reader.words[pos]!;
    };
    pos = end = 0;
    if (reader.nextChunk()) {
      end = reader.chunkRecords * REMOVAL_WORDS;
      nextOrdinal = reader.words[0]!;
    }
    let ordinal = 0;
    try {
      for await (const doc of docs) {
        stats.in(doc);
        if (ordinal === nextOrdinal) {
          const w = reader.words;
          const expectedId = tables.id(taskId, ordinal);
          if (expectedId !== doc.id) {
            throw new InputChangedError(
              `task ${taskId}: document ${ordinal} has id ${JSON.stringify(doc.id)} but signatures were computed for ${JSON.stringify(expectedId)}; the input changed since phase 1, so rerun dedup from the start`,
            );
          }
          const record: DuplicateRecord = {
            id: doc.id,
            duplicate_of: tables.id(w[pos + 1]!, w[pos + 2]!),
            similarity_estimate: Math.round(w[pos + 3]! / 1e3) / 1e3,
            kind: w[pos + 4] === KIND_EXACT ? "exact" : "near",
          };
          stats.duplicate(doc);
          options.onDuplicate?.(record, doc);
          advance();
        } else {
          stats.out(doc);
          yield doc;
        }
        ordinal++;
      }
      if (ordinal !== manifest.docs) {
        throw new InputChangedError(
          `task ${taskId}: the filter pass saw ${ordinal} documents, the signature pass ${manifest.docs}; the input changed since phase 1, so rerun dedup from the start`,
        );
      }
    } finally {
      reader.close();
      tables.close();
    }
  };
}
