/**
 * Dedup as a pipeline stage, for library use. Dedup needs the whole input before it can let the
 * first document go, so the stage copies each document to a spill file in its work directory
 * while computing signatures, runs the file-based phases, then streams the copies back through
 * the removal filter. Memory stays bounded as in `korpipe dedup`; disk use is about the input's
 * size plus the intermediate files. The work directory is removed afterwards.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Document, Stage } from "../types.js";
import type { StageStats } from "../stats/stage-stats.js";
import { DocumentDumpWriter, dumpFileName, readDocumentDump } from "../io/document-dump.js";
import { findDuplicates, type DedupOptions, type FoundDuplicates } from "./phases/find-duplicates.js";
import { removalFilter, type DuplicateRecord } from "./phases/phase-filter.js";

export interface DedupStageOptions extends Omit<DedupOptions, "onDocument"> {
  /** Parent directory for the stage's temporary work directory (default: the OS temp dir). */
  tmpDir?: string;
  /** Called for every removed document, in input order. */
  onDuplicate?: (record: DuplicateRecord, doc: Document) => void;
  /** Called once the clusters are known, before the first document is passed on. */
  onClusters?: (found: FoundDuplicates) => void;
}

/** Exact and near-duplicate removal as a Stage: keeps the first document of each cluster. */
export function dedupStage(options: DedupStageOptions = {}): Stage {
  return async function* (docs: AsyncIterable<Document>, stats: StageStats): AsyncGenerator<Document> {
    const workDir = mkdtempSync(path.join(options.tmpDir ?? tmpdir(), "korpipe-dedup-"));
    try {
      // The documents wait on disk, as between a run's prepare and finalize phases.
      const spillFile = dumpFileName(path.join(workDir, "documents"), "none");
      const spill = new DocumentDumpWriter(spillFile);
      let found: FoundDuplicates;
      try {
        found = await findDuplicates(docs, workDir, { ...options, onDocument: (doc) => spill.add(doc) });
        spill.commit();
      } catch (err) {
        spill.abort();
        throw err;
      }
      options.onClusters?.(found);
      const filter = removalFilter(workDir, 0, { params: options.params, onDuplicate: options.onDuplicate });
      yield* filter(readDocumentDump(spillFile), stats);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  };
}
