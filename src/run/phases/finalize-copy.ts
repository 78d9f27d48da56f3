/**
 * Finalize by copying lines: when nothing runs after dedup and the output is JSONL, a task's output
 * is its JSONL input minus the lines that did not become documents and the duplicates. Prepare
 * recorded where each document sits (document-places.ts); this pass streams the input's bytes and
 * copies the kept lines as they are, with no UTF-8 decoding, JSON parsing or re-serializing.
 *
 * A kept line is written byte for byte as the user wrote it (key order, spacing, escapes, CRLF).
 * The one exception is a record without an id field: its derived id (`file:line`) is put in front
 * of its fields, as a re-serialized record would carry it, since duplicates.jsonl refers to it.
 */
import path from "node:path";
import { mkdir } from "node:fs/promises";
import type { Document } from "../../types.js";
import { StageStats } from "../../stats/stage-stats.js";
import { AtomicWriteStream } from "../../io/atomic-file.js";
import { openDecompressed } from "../../io/decompress.js";
import { detectFormat } from "../../io/formats.js";
import { SIDE_FILES } from "../../io/input-discovery.js";
import { partFile, recordToDocument, type InputPart } from "../../stages/read.js";
import { documentToRecord, JsonlOutput, planOutputs, type WriteOptions } from "../../stages/write.js";
import { InputChangedError, RemovalCursor } from "../../dedup/phases/removal-list.js";
import { dataDir, isCommandPlan, splitStages, taskOutputRename, type RunPlan } from "../plan/plan.js";
import { PLACE_DERIVED_ID, PlacesReader, placesFile } from "./document-places.js";
import { dedupParams, dedupWorkDir } from "./dedup-phases.js";
import type { TaskOutcome } from "./task-state.js";

const NEWLINE = 0x0a;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const NL = Buffer.from("\n");

/** How task i's JSONL outputs are named and written (shared with the document writer). */
export function jsonlWriteOptions(plan: RunPlan, i: number): WriteOptions {
  return {
    outputDir: dataDir(plan),
    inputs: [...new Set(plan.tasks[i]!.map(partFile))],
    // Tasks sharing a big file each write their part of it: news.jsonl → news.part-00003.jsonl.
    renameOutput: taskOutputRename(plan, i),
    baseDir: plan.baseDir,
    ...(isCommandPlan(plan) ? { reservedNames: SIDE_FILES } : {}),
    compression: plan.config.compression,
    textKey: plan.config.read.textKey,
    idKey: plan.config.read.idKey,
  };
}

/**
 * Whether finalize copies lines: dedup is the only stage, the output is JSONL and every input of
 * the run is JSONL. Decided for the whole run, not per task, so that how a file's records are
 * written never depends on which files share a task (that is, on --tasks).
 */
export function copiesLines(plan: RunPlan): boolean {
  const split = splitStages(plan.config);
  if (!split.dedup || split.before.length > 0 || split.after.length > 0 || split.tokenize) return false;
  return plan.files.every((f) => detectFormat(f, plan.config.read)?.records === "jsonl");
}

interface Sink {
  filtered: AtomicWriteStream;
  duplicates: AtomicWriteStream;
}

export interface ProgressCounter {
  addDocs(n: number): void;
  addBytes(n: number): void;
}

/** Finalize task i by copying its kept lines; returns the dedup stage's statistics like the document path does. */
export async function copyKeptLines(plan: RunPlan, i: number, reportDir: string, progress: ProgressCounter): Promise<TaskOutcome> {
  const t0 = performance.now();
  const dedup = splitStages(plan.config).dedup!;
  // Both lists are checked in full before anything is opened for writing.
  const places = new PlacesReader(placesFile(plan, i));
  let removals: RemovalCursor;
  try {
    removals = new RemovalCursor(dedupWorkDir(plan), i, dedupParams(dedup));
  } catch (err) {
    places.close();
    throw err;
  }
  await mkdir(reportDir, { recursive: true });
  const sink: Sink = {
    filtered: await AtomicWriteStream.open(path.join(reportDir, "filtered.jsonl")),
    duplicates: await AtomicWriteStream.open(path.join(reportDir, "duplicates.jsonl")),
  };
  const stats = new StageStats("dedup", (e) => sink.filtered.stream.write(JSON.stringify(e) + "\n"));
  const options = jsonlWriteOptions(plan, i);
  const outputs = planOutputs(options.inputs!, options);
  let out: { file: string; output: JsonlOutput } | undefined;
  try {
    removals.checkCount(places.count);
    const copier = new LineCopier(plan, i, places, removals, stats, sink, progress);
    const parts = plan.tasks[i]!;
    for (let p = 0; p < parts.length; p++) {
      const file = partFile(parts[p]!);
      if (out?.file !== file) {
        await out?.output.commit();
        out = undefined; // committed: nothing to abort if the next one fails to open
        out = { file, output: await JsonlOutput.open(outputs.get(file)!, options.compression ?? "none") };
      }
      await copier.copyPart(p, parts[p]!, out.output);
    }
    await out?.output.commit();
    out = undefined;
    if (copier.ordinal !== places.count) throw new InputChangedError(`task ${i}: found ${copier.ordinal} of its ${places.count} documents in its inputs; the input changed since prepare, so rerun with --force`);
    await sink.filtered.commit();
    await sink.duplicates.commit();
  } catch (err) {
    await out?.output.abort();
    await sink.filtered.abort();
    await sink.duplicates.abort();
    throw err;
  } finally {
    places.close();
    removals.close();
  }
  stats.addTime(performance.now() - t0);
  return { stages: [stats.toJSON()], unreadable: [], sections: {} };
}

/** Walks a task's parts line by line, in step with the recorded places. */
class LineCopier {
  /** Ordinal of the next document, i.e. documents passed so far. */
  ordinal = 0;
  private hasPlace: boolean;
  private readonly place;
  private readonly read;
  private readonly docStub: Document = { id: "", text: "", meta: {}, source: { file: "", line: 0 } };

  constructor(
    plan: RunPlan,
    private readonly task: number,
    private readonly places: PlacesReader,
    private readonly removals: RemovalCursor,
    private readonly stats: StageStats,
    private readonly sink: Sink,
    private readonly progress: ProgressCounter,
  ) {
    this.place = places.place;
    this.hasPlace = places.next();
    this.read = plan.config.read;
  }

  /** Copies the kept lines of part p into `out`. */
  async copyPart(p: number, part: InputPart, out: JsonlOutput): Promise<void> {
    if (!this.hasPlace || this.place.part !== p) return; // no documents in this part
    const file = partFile(part);
    const slice = typeof part === "string" || !("firstLine" in part) ? undefined : part;
    const format = detectFormat(file, this.read)!;
    const source = openDecompressed(file, format.compression, undefined, slice);
    this.docStub.source!.file = file;
    let line = slice?.firstLine ?? 1;
    // What happens to the bytes of the current line: dropped, copied, or gathered to be rewritten.
    let mode: "drop" | "copy" | "gather" = "drop";
    let atLineStart = true;
    let gathered: Buffer[] = [];
    let done = false;
    const partDone = () => !this.hasPlace || this.place.part !== p;
    try {
      for await (const chunk of untilDamage(withoutByteOrderMark(source as AsyncIterable<Buffer>, line === 1), () => partDone() && (atLineStart || mode === "drop"))) {
        let pos = 0;
        // Contiguous kept lines are copied as one piece.
        let copyFrom = mode === "copy" && !atLineStart ? 0 : -1;
        while (pos < chunk.length) {
          if (atLineStart) {
            if (!this.hasPlace || this.place.part !== p) {
              done = true;
              break;
            }
            const next = this.nextMode(line);
            if (next === "copy" && copyFrom < 0) copyFrom = pos;
            if (next !== "copy" && copyFrom >= 0) {
              await out.add(chunk.subarray(copyFrom, pos));
              copyFrom = -1;
            }
            mode = next;
            atLineStart = false;
          }
          const nl = chunk.indexOf(NEWLINE, pos);
          const end = nl < 0 ? chunk.length : nl + 1;
          if (mode === "gather") gathered.push(chunk.subarray(pos, end));
          pos = end;
          if (nl >= 0) {
            if (mode === "gather") {
              await out.add(this.rewrite(Buffer.concat(gathered), line));
              gathered = [];
            }
            line++;
            atLineStart = true;
          }
        }
        if (copyFrom >= 0) await out.add(chunk.subarray(copyFrom, pos));
        // Nothing after the part's last document is needed (and a damaged rest is not read).
        if (done || (atLineStart && partDone())) break;
      }
      if (!atLineStart) {
        // The last line had no newline: every output line ends with one.
        if (mode === "copy") await out.add(NL);
        else if (mode === "gather") await out.add(this.rewrite(Buffer.concat(gathered), line));
      }
    } finally {
      source.destroy();
    }
    if (!partDone()) {
      throw new InputChangedError(`${file}: ended before line ${this.place.line}, where prepare read a document; the input changed since prepare, so rerun with --force`);
    }
  }

  /** What to do with line `line`: a document kept or removed, or a line that never became one. */
  private nextMode(line: number): "drop" | "copy" | "gather" {
    const place = this.place;
    if (place.line !== line) {
      if (place.line < line) throw new InputChangedError(`task ${this.task}: document ${this.ordinal} was read from line ${place.line}, which this pass has already passed; the input changed since prepare, so rerun with --force`);
      return "drop";
    }
    const stub = this.docStub;
    stub.source!.line = line;
    this.stats.in(stub, place.bytes);
    this.progress.addDocs(1);
    this.progress.addBytes(place.bytes);
    let mode: "drop" | "copy" | "gather";
    if (this.ordinal === this.removals.next) {
      const record = this.removals.take(this.removals.idOf(this.ordinal));
      stub.id = record.id;
      this.stats.duplicate(stub);
      this.sink.duplicates.stream.write(JSON.stringify(record) + "\n");
      mode = "drop";
    } else {
      this.stats.out(stub, place.bytes, place.chars);
      mode = place.flags & PLACE_DERIVED_ID ? "gather" : "copy";
    }
    this.ordinal++;
    this.hasPlace = this.places.next();
    return mode;
  }

  /** A kept record without an id field, given the id a re-serialized record would carry. */
  private rewrite(lineBytes: Buffer, line: number): Buffer {
    const file = this.docStub.source!.file;
    const idKey = this.read.idKey ?? "id";
    let k = 0;
    while (k < lineBytes.length && (lineBytes[k] === 0x20 || lineBytes[k] === 0x09 || lineBytes[k] === 0x0d)) k++;
    const withNewline = lineBytes[lineBytes.length - 1] === NEWLINE ? lineBytes : Buffer.concat([lineBytes, NL]);
    if (lineBytes[k] === 0x7b /* { */) {
      // An object holds at least its text field, so a comma always follows the inserted id.
      return Buffer.concat([withNewline.subarray(0, k + 1), Buffer.from(`${JSON.stringify(idKey)}:${JSON.stringify(`${file}:${line}`)},`), withNewline.subarray(k + 1)]);
    }
    // A bare JSON string: the document it became, written as the record writer writes it.
    const text = withNewline.toString("utf8").replace(/\r?\n$/, "");
    const r = recordToDocument(JSON.parse(text), { file, line, textKey: this.read.textKey ?? "text", idKey });
    if (!("doc" in r)) throw new InputChangedError(`${file}:${line}: no longer a document; the input changed since prepare, so rerun with --force`);
    return Buffer.from(JSON.stringify(documentToRecord(r.doc, this.read.textKey, idKey)) + "\n");
  }
}

/**
 * The chunks of a stream, ending quietly at a read error once `enough()` says all that is needed
 * was read: the damaged rest of a file (trailing garbage after gzip members) was reported by
 * prepare, which read the same documents before it.
 */
async function* untilDamage(chunks: AsyncIterable<Buffer>, enough: () => boolean): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of chunks) yield chunk;
  } catch (err) {
    if (!enough()) throw err;
  }
}

/** The chunks of a stream without the UTF-8 byte order mark a file may start with (the reader drops it too). */
async function* withoutByteOrderMark(chunks: AsyncIterable<Buffer>, atFileStart: boolean): AsyncGenerator<Buffer> {
  let head: Buffer | undefined;
  for await (const chunk of chunks) {
    if (!atFileStart) {
      yield chunk;
      continue;
    }
    head = head ? Buffer.concat([head, chunk]) : chunk;
    if (head.length < BOM.length) continue;
    atFileStart = false;
    yield head.subarray(0, BOM.length).equals(BOM) ? head.subarray(BOM.length) : head;
    head = undefined;
  }
  if (head && head.length > 0) yield head;
}
