/**
 * A task's removal list (written by phase 3), read front to back in ordinal order: which of the
 * task's documents are duplicates, and of which kept document. Shared by the phase-4 stage, which
 * sees documents, and by the run's line-copying finalize, which sees only ordinals.
 */
import { KIND_EXACT, REMOVAL_WORDS } from "./phase-clusters.js";
import { FileKind, RecordFileReader, verifyRecordFile } from "../files/record-file.js";
import { SignatureTables } from "../minhash/signature-table.js";
import { readTaskManifest, WorkDir, type TaskManifest } from "../files/work-dir.js";
import type { SignatureParams } from "../minhash/signature.js";

/** One line of duplicates.jsonl. */
export interface DuplicateRecord {
  id: string;
  /** Id of the kept document of the cluster (the first in input order). */
  duplicate_of: string;
  /** Estimated Jaccard similarity with that document (1 for exact duplicates). */
  similarity_estimate: number;
  kind: "exact" | "near";
}

/** The input of a task no longer matches what phase 1 saw. */
export class InputChangedError extends Error {}

/** Streams the removal list of task `taskId`; memory stays flat. Close it when done. */
export class RemovalCursor {
  readonly manifest: TaskManifest;
  /** Ordinal of the next document to remove, or -1 when none is left. */
  next = -1;
  private readonly reader: RecordFileReader;
  private readonly tables: SignatureTables;
  private pos = 0;
  private end = 0;

  constructor(
    workDir: string,
    private readonly taskId: number,
    params: SignatureParams,
  ) {
    const work = new WorkDir(workDir);
    this.manifest = readTaskManifest(work, taskId, params);
    const file = work.removals(taskId);
    // Checked in full before the first document is dropped: a damaged list must not remove anything.
    verifyRecordFile(file, FileKind.removals, REMOVAL_WORDS * 4);
    this.reader = new RecordFileReader(file, FileKind.removals, REMOVAL_WORDS * 4, 256 * 1024);
    this.tables = new SignatureTables(work, params);
    if (this.reader.nextChunk()) {
      this.end = this.reader.chunkRecords * REMOVAL_WORDS;
      this.next = this.reader.words[0]!;
    }
  }

  /** The id phase 1 recorded for document `ordinal` of this task. */
  idOf(ordinal: number): string {
    return this.tables.id(this.taskId, ordinal);
  }

  /** The duplicate record of document `next` (whose id is `id`), then moves to the following removal. */
  take(id: string): DuplicateRecord {
    const w = this.reader.words;
    const p = this.pos;
    const record: DuplicateRecord = {
      id,
      duplicate_of: this.tables.id(w[p + 1]!, w[p + 2]!),
      similarity_estimate: Math.round(w[p + 3]! / 1e3) / 1e3,
      kind: w[p + 4] === KIND_EXACT ? "exact" : "near",
    };
    this.pos += REMOVAL_WORDS;
    if (this.pos >= this.end) {
      if (this.reader.nextChunk()) {
        this.pos = 0;
        this.end = this.reader.chunkRecords * REMOVAL_WORDS;
      } else {
        this.next = -1;
        return record;
      }
    }
    this.next = this.reader.words[this.pos]!;
    return record;
  }

  /** Refuses a pass that saw a different number of documents than phase 1 did. */
  checkCount(seen: number): void {
    if (seen !== this.manifest.docs) {
      throw new InputChangedError(
        `task ${this.taskId}: the filter pass saw ${seen} documents, the signature pass ${this.manifest.docs}; the input changed since phase 1, so rerun dedup from the start`,
      );
    }
  }

  close(): void {
    this.reader.close();
    this.tables.close();
  }
}
