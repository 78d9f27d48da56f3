/**
 * The two shapes everything in korpipe agrees on: the document and the stage.
 * Kept in one small module so that no stage imports another stage's internals.
 */
import type { StageStats } from "./stats/stage-stats.js";

/** Where a document came from, for rejects, per-file statistics and derived ids. */
export interface DocumentSource {
  /** The input file as the user named it (after glob expansion). */
  file: string;
  /** 1-based line for JSONL/TXT (first line of the block in paragraph mode); 1-based record index for nested JSON. */
  line: number;
}

export interface Document {
  /** Stable id: taken from the input (`--id-key`) or derived from file and line. */
  id: string;
  text: string;
  /** Every other field of the input record, written back out unchanged. */
  meta: Record<string, unknown>;
  source?: DocumentSource;
}

/**
 * A stage maps a stream of documents to a stream of documents and accounts for every document
 * it does not pass on (filtered by a named reason, removed as a duplicate) in `stats`.
 */
export type Stage = (docs: AsyncIterable<Document>, stats: StageStats) => AsyncIterable<Document>;

/** A stage with the name it reports under in stats.json. */
export interface NamedStage {
  name: string;
  run: Stage;
}

export type RejectReason =
  | "malformed_json"
  | "missing_text"
  | "non_string_text"
  | "invalid_utf8"
  | "invalid_text"
  | "nesting_too_deep"
  | "number_out_of_range"
  | "over_max_doc_bytes"
  | "unreadable_file";

/** An input record that never became a document. Holds no text unless the user asked for it. */
export interface Reject {
  file: string;
  line: number;
  reason: RejectReason;
  /** Human detail without document text (e.g. the JSON parser's message, the byte size). */
  detail?: string;
  /** The raw input line, only with --keep-rejected-text (it may hold PII). */
  raw?: string;
}
