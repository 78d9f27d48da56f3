/**
 * Reading a corpus: files, directories and globs in a fixed order, each turned into a stream of
 * documents. Every input record becomes a document or a reject with file, line and reason.
 */
import { stat } from "node:fs/promises";
import type { Document, Reject, RejectReason } from "../types.js";
import type { StageStats } from "../stats/stage-stats.js";
import { textBytes } from "../io/text-bytes.js";
import type { UnreadableFile } from "../stats/run-stats.js";
import { detectFormat, SUPPORTED_SUFFIXES } from "../io/formats.js";
import { openDecompressed } from "../io/decompress.js";
import { splitLines } from "../io/lines.js";
import { InputError, InputWalk, type DiscoveryOptions } from "../io/input-discovery.js";
import { readJsonPath } from "../io/json-path.js";
import { MAX_NESTING, recordProblem, textProblem } from "../io/record-checks.js";
import { readParquetRecords, type ParquetRowGroupSlice } from "../io/parquet.js";

export interface ReadOptions {
  /** Field holding the document text (default "text"). */
  textKey?: string;
  /** Field holding the document id (default "id"); when absent the id is `file:line`. */
  idKey?: string;
  /** Plain text: one document per line (default) or per blank-line-separated paragraph. */
  txtMode?: "line" | "paragraph";
  /** Selector for nested .json files, e.g. `data.*.paragraphs.*.context`. */
  jsonPath?: string;
  /** Documents whose text exceeds this many UTF-8 bytes are rejected (default 64 MiB). */
  maxDocBytes?: number;
  /** Put the raw input line into rejects (off by default: it may hold personal information). */
  keepRejectedText?: boolean;
  onReject?: (reject: Reject) => void;
  /** A file that could not be read to its end (truncated or corrupt archive, read error). */
  onUnreadable?: (unreadable: UnreadableFile) => void;
  /** Receives every record as it enters ("read" stage statistics). */
  stats?: StageStats;
  /** Bytes read from disk, compressed or not, for progress. */
  onRawBytes?: (n: number) => void;
}

export const DEFAULT_MAX_DOC_BYTES = 64 * 1024 * 1024;

/**
 * A part of an uncompressed line-based file: bytes [start, end), both at line starts, whose first
 * line is line `firstLine` of the file. Lets several tasks share one big file.
 */
export interface FileSlice {
  file: string;
  start: number;
  end: number;
  firstLine: number;
}

/** A whole file, or a slice of one: bytes of a line-based file, or row groups of a Parquet file. */
export type InputPart = string | FileSlice | ParquetRowGroupSlice;

const isRowGroupSlice = (s: FileSlice | ParquetRowGroupSlice | undefined): s is ParquetRowGroupSlice => s !== undefined && "unit" in s && s.unit === "row-groups";

export const partFile = (p: InputPart) => (typeof p === "string" ? p : p.file);

export { InputError } from "../io/input-discovery.js";

function hasGlobChars(p: string): boolean {
  return /[*?[\]{}]/.test(p);
}

/**
 * Expands files, directories (recursively, supported endings only) and globs into a sorted,
 * de-duplicated list. Order is by path, so every run and every worker sees the same order.
 * Directories are entered once each, `exclude` (the command's outputs) is never read, and
 * korpipe's side files in an earlier output directory are skipped (see input-discovery.ts).
 */
export async function resolveInputs(patterns: string[], options: DiscoveryOptions = {}): Promise<string[]> {
  if (patterns.length === 0) throw new InputError("no inputs given; name files, directories or globs (e.g. 'data/**/*.jsonl.gz')");
  const walk = new InputWalk(options);
  for (const pattern of patterns) {
    const info = await stat(pattern).catch(() => undefined);
    if (info?.isFile()) {
      await walk.addFile(pattern, info);
    } else if (info?.isDirectory()) {
      const before = walk.found.length;
      await walk.addDirectory(pattern);
      if (walk.found.length === before) {
        throw new InputError(`${pattern}: directory holds no readable files (${SUPPORTED_SUFFIXES.filter((s) => !s.includes(".", 1)).join(", ")}, optionally .gz/.zst) outside the output directory`);
      }
    } else if (hasGlobChars(pattern)) {
      if ((await walk.addGlob(pattern)) === 0) throw new InputError(`${pattern}: no file matches this pattern`);
    } else {
      throw new InputError(`${pattern}: no such file or directory`);
    }
  }
  return [...new Set(walk.found)].sort();
}

interface RecordContext {
  file: string;
  line: number;
  textKey: string;
  idKey: string;
  /** The JSON line the record was parsed from, when there is one (spares a scan of the text). */
  rawLine?: string;
}

type RecordResult = { doc: Document } | { reason: RejectReason; detail?: string };

/** Turns one parsed record into a document, or says why it cannot be one. */
export function recordToDocument(record: unknown, ctx: RecordContext): RecordResult {
  if (record === null || typeof record !== "object" || Array.isArray(record)) {
    if (typeof record === "string") return withText({ id: `${ctx.file}:${ctx.line}`, text: record, meta: {}, source: { file: ctx.file, line: ctx.line } }, ctx.rawLine);
    return { reason: "missing_text", detail: `record is ${Array.isArray(record) ? "an array" : typeof record}, not an object` };
  }
  const { [ctx.textKey]: text, ...meta } = record as Record<string, unknown>;
  if (text === undefined) {
    const hint = /\.json(\.gz|\.zst)?$/i.test(ctx.file) ? ` (for a nested .json file, give --json-path, e.g. 'data.*.paragraphs.*.context')` : "";
    return { reason: "missing_text", detail: `no "${ctx.textKey}" field${hint}` };
  }
  if (typeof text !== "string") return { reason: "non_string_text", detail: `"${ctx.textKey}" is ${text === null ? "null" : typeof text}` };
  const problem = recordProblem(meta);
  if (problem) return problem;
  const rawId = meta[ctx.idKey];
  const id = typeof rawId === "string" || typeof rawId === "number" ? String(rawId) : `${ctx.file}:${ctx.line}`;
  return withText({ id, text, meta, source: { file: ctx.file, line: ctx.line } }, ctx.rawLine);
}

function withText(doc: Document, rawLine: string | undefined): RecordResult {
  return textProblem(doc.text, rawLine) ?? { doc };
}

/** A reason for a JSON.parse failure that names a position but never quotes the input. */
function parseErrorDetail(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (err instanceof RangeError) return "record too deeply nested or too large for the JSON parser";
  // V8 quotes a snippet of the input in some messages ("... "abc" is not valid JSON"); keep only positions.
  const pos = /position (\d+)/.exec(msg);
  return pos ? `JSON syntax error at byte ${pos[1]}` : "JSON syntax error";
}

/** Parses one JSONL line into a document; no exception escapes, whatever the line holds. */
function parseRecordLine(text: string, ctx: RecordContext): RecordResult {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (err) {
    return { reason: "malformed_json", detail: parseErrorDetail(err) };
  }
  try {
    return recordToDocument(record, ctx);
  } catch (err) {
    return { reason: "malformed_json", detail: parseErrorDetail(err) };
  }
}

/** Reads every file (or slice) in order; see ReadOptions. Errors in one file never stop the others. */
export async function* readDocuments(files: InputPart[], options: ReadOptions = {}): AsyncGenerator<Document> {
  for (const part of files) {
    if (typeof part === "string") yield* readFile(part, options);
    else yield* readFile(part.file, options, part);
  }
}

/** Whether a file can be read in slices: uncompressed and one record per line. */
export function canSlice(file: string, options: Pick<ReadOptions, "jsonPath" | "txtMode">): boolean {
  const format = detectFormat(file, options);
  return format !== undefined && format.compression === "none" && (format.records === "jsonl" || (format.records === "txt" && options.txtMode !== "paragraph"));
}

/** The documents of one file, or of `slice` of it. A damaged file ends early and is reported through onUnreadable. */
export async function* readFile(file: string, options: ReadOptions = {}, part?: FileSlice | ParquetRowGroupSlice): AsyncGenerator<Document> {
  const textKey = options.textKey ?? "text";
  const idKey = options.idKey ?? "id";
  const maxDocBytes = options.maxDocBytes ?? DEFAULT_MAX_DOC_BYTES;
  const stats = options.stats;
  const format = detectFormat(file, options);
  if (isRowGroupSlice(part) !== (format?.records === "parquet") && part) throw new Error(`${file}: row-group slices are for Parquet files, byte slices for line-based files`);
  const slice = isRowGroupSlice(part) ? undefined : part;
  if (slice && !canSlice(file, options)) throw new Error(`${file}: only uncompressed line-based files can be read in slices`);
  if (!format) {
    reportUnreadable(file, 0, `unknown file type; korpipe reads ${SUPPORTED_SUFFIXES.join(", ")}`, options);
    return;
  }

  const reject = (line: number, reason: RejectReason, detail?: string, raw?: string) => {
    stats?.reject(file);
    options.onReject?.({ file, line, reason, ...(detail ? { detail } : {}), ...(options.keepRejectedText && raw !== undefined ? { raw } : {}) });
  };
  const accept = (doc: Document): boolean => {
    const bytes = textBytes(doc.text);
    if (bytes > maxDocBytes) {
      reject(doc.source!.line, "over_max_doc_bytes", `${bytes} bytes > --max-doc-bytes ${maxDocBytes}`);
      return false;
    }
    stats?.in(doc, bytes);
    stats?.out(doc, bytes);
    return true;
  };

  let docsRead = 0;
  if (format.records === "parquet") {
    try {
      for await (const item of readParquetRecords(file, isRowGroupSlice(part) ? part : undefined)) {
        if ("damaged" in item) {
          const d = item.damaged;
          // Every row of the damaged group counts as rejected, so the identity still holds.
          for (let r = 0; r < d.rows; r++) stats?.reject(file);
          options.onReject?.({ file, line: d.firstRow, reason: "unreadable_file", detail: `row group ${d.rowGroup} (rows ${d.firstRow}-${d.firstRow + d.rows - 1}) cannot be decoded: ${d.message}` });
          continue;
        }
        const r = recordToDocument(item.record, { file, line: item.row, textKey, idKey });
        if ("doc" in r) {
          if (accept(r.doc)) {
            docsRead++;
            yield r.doc;
          }
        } else reject(item.row, r.reason, r.reason === "missing_text" ? `${r.detail}; Parquet columns are ${Object.keys(item.record).join(", ")} (choose one with --text-key)` : r.detail);
      }
    } catch (err) {
      reportUnreadable(file, docsRead, err instanceof Error ? err.message : String(err), options);
    }
    return;
  }
  const source = openDecompressed(file, format.compression, options.onRawBytes, slice);
  try {
    if (format.records === "json") {
      let n = 0;
      // Room for the record's other fields and escapes, as for a JSONL line.
      for await (const item of readJsonPath(source, options.jsonPath!, { maxValueBytes: maxDocBytes * 2 + (1 << 20), maxStringBytes: maxDocBytes })) {
        const line = ++n;
        if ("skipped" in item) {
          reject(line, item.skipped, item.skipped === "over_max_doc_bytes" ? `value of ${item.bytes}+ bytes, skipped unread` : `nested more than ${MAX_NESTING} levels deep`);
          continue;
        }
        const r = recordToDocument(item.value, { file, line, textKey, idKey });
        if ("doc" in r) {
          if (accept(r.doc)) {
            docsRead++;
            yield r.doc;
          }
        } else reject(line, r.reason, r.detail);
      }
      return;
    }
    // A JSON line may be larger than its text (escapes, other fields): leave room before calling it too long.
    const maxLineBytes = format.records === "jsonl" ? maxDocBytes * 2 + (1 << 20) : maxDocBytes;
    const lines = splitLines(source, maxLineBytes, slice?.firstLine ?? 1, { loneCrBreaks: format.records === "txt" });
    if (format.records === "jsonl") {
      for await (const line of lines) {
        if (line.text === undefined) {
          reject(line.no, line.problem === "too_long" ? "over_max_doc_bytes" : "invalid_utf8", line.problem === "too_long" ? `line of ${line.bytes} bytes` : undefined);
          continue;
        }
        if (line.text.trim() === "") continue; // blank lines hold no record
        const r = parseRecordLine(line.text, { file, line: line.no, textKey, idKey, rawLine: line.text });
        const raw = "doc" in r ? undefined : line.text;
        // The document holds its own copy of the text: the line's is not kept while it is worked on.
        line.text = undefined;
        if ("doc" in r) {
          if (accept(r.doc)) {
            docsRead++;
            yield r.doc;
          }
        } else reject(line.no, r.reason, r.detail, raw);
      }
    } else {
      for await (const doc of textDocuments(lines, file, options.txtMode ?? "line", maxDocBytes, reject)) {
        if (accept(doc)) {
          docsRead++;
          yield doc;
        }
      }
    }
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    reportUnreadable(file, docsRead, msg, options);
  } finally {
    source.destroy();
  }
}

function reportUnreadable(file: string, docsRead: number, error: string, options: ReadOptions): void {
  // The unread rest of the file counts as one rejected record, so it shows in the identity and the exit status.
  options.stats?.reject(file);
  options.onReject?.({ file, line: 0, reason: "unreadable_file", detail: `${error} (after ${docsRead} documents)` });
  options.onUnreadable?.({ file, docs_read: docsRead, error });
}

async function* textDocuments(
  lines: AsyncIterable<{ no: number; text: string | undefined; problem?: string; bytes?: number }>,
  file: string,
  mode: "line" | "paragraph",
  maxDocBytes: number,
  reject: (line: number, reason: RejectReason, detail?: string) => void,
): AsyncGenerator<Document> {
  const make = (line: number, text: string): Document => ({ id: `${file}:${line}`, text, meta: {}, source: { file, line } });
  if (mode === "line") {
    for await (const l of lines) {
      if (l.text === undefined) reject(l.no, l.problem === "too_long" ? "over_max_doc_bytes" : "invalid_utf8");
      else if (l.text.trim() !== "") yield make(l.no, l.text);
    }
    return;
  }
  let block: string[] = [];
  let first = 0;
  let blockChars = 0;
  let broken: RejectReason | undefined;
  const flush = function* (): Generator<Document> {
    if (broken) reject(first, broken);
    else if (block.length > 0) yield make(first, block.join("\n"));
    block = [];
    blockChars = 0;
    broken = undefined;
  };
  for await (const l of lines) {
    if (l.text !== undefined && l.text.trim() === "") {
      yield* flush();
      continue;
    }
    if (block.length === 0 && !broken) first = l.no;
    if (l.text === undefined) broken ??= l.problem === "too_long" ? "over_max_doc_bytes" : "invalid_utf8";
    else if (!broken) {
      block.push(l.text);
      // Every UTF-16 unit takes at least one UTF-8 byte: past this many units the paragraph is surely too big.
      blockChars += l.text.length + 1;
      if (blockChars > maxDocBytes) {
        broken = "over_max_doc_bytes";
        block = [];
      }
    }
  }
  yield* flush();
}
