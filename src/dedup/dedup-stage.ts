/**
 * Dedup as a pipeline stage, for library use. Dedup needs the whole input before it can let the
 * first document go, so the stage copies each document to a spill file in its work directory
 * while computing signatures, runs the file-based phases, then streams the copies back through
 * the removal filter. Memory stays bounded as in `korpipe dedup`; disk use is about the input's
 * size plus the intermediate files. The work directory is removed afterwards.
 */
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Document, Stage } from "../types.js";
import type { StageStats } from "../stats/stage-stats.js";
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

const SPILL_FLUSH = 1 << 20;

/** Exact and near-duplicate removal as a Stage: keeps the first document of each cluster. */
export function dedupStage(options: DedupStageOptions = {}): Stage {
  return async function* (docs: AsyncIterable<Document>, stats: StageStats): AsyncGenerator<Document> {
    const workDir = mkdtempSync(path.join(options.tmpDir ?? tmpdir(), "korpipe-dedup-"));
    const spillPath = path.join(workDir, "documents.jsonl");
    try {
      const fd = openSync(spillPath, "w");
      let pending: string[] = [];
      let pendingChars = 0;
      const flush = () => {
        if (pending.length > 0) writeSync(fd, pending.join(""));
        pending = [];
        pendingChars = 0;
      };
      let found: FoundDuplicates;
      try {
        found = await findDuplicates(docs, workDir, {
          ...options,
          onDocument: (doc) => {
            const line = JSON.stringify({ id: doc.id, text: doc.text, meta: doc.meta, source: doc.source }) + "\n";
            pending.push(line);
            pendingChars += line.length;
            if (pendingChars >= SPILL_FLUSH) flush();
          },
        });
        flush();
      } finally {
        closeSync(fd);
      }
      options.onClusters?.(found);
      const filter = removalFilter(workDir, 0, { params: options.params, onDuplicate: options.onDuplicate });
      yield* filter(readSpill(spillPath), stats);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  };
}

async function* readSpill(file: string): AsyncGenerator<Document> {
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === "") continue;
    const d = JSON.parse(line) as Document;
    yield d.source === undefined ? { id: d.id, text: d.text, meta: d.meta } : d;
  }
}
