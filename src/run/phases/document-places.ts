/**
 * Where each document of a task sits in its input: which of the task's parts, which line, and what
 * the statistics need of its text (UTF-8 bytes, UTF-16 length). Prepare records it as it reads, so
 * that finalize can copy kept lines without decoding or parsing them again (finalize-copy.ts).
 *
 *   record: u32 part, u32 flags, u32 line (low), u32 line (high), u32 text bytes, u32 text chars
 */
import path from "node:path";
import type { Document } from "../../types.js";
import { FileKind, RecordFileReader, RecordFileWriter, verifyRecordFile } from "../../dedup/files/record-file.js";
import { partFile, type InputPart } from "../../stages/read.js";
import { textBytes } from "../../io/text-bytes.js";
import { taskName } from "../plan/tasks.js";
import { workDir, type RunPlan } from "../plan/plan.js";

const PLACE_WORDS = 6;
/** The record has no id field of its own: its output gets the derived one (`file:line`), as when re-serialized. */
export const PLACE_DERIVED_ID = 1;

export interface DocumentPlace {
  part: number;
  flags: number;
  line: number;
  bytes: number;
  chars: number;
}

export const placesFile = (plan: RunPlan, i: number) => path.join(workDir(plan), "prepared", `${taskName(i)}.places.bin`);

/** Records the place of each document of a task, in order. */
export class PlacesWriter {
  private readonly file: RecordFileWriter;
  private readonly rec = new Uint32Array(PLACE_WORDS);
  private part = 0;

  constructor(
    target: string,
    private readonly parts: InputPart[],
    private readonly idKey: string,
  ) {
    this.file = new RecordFileWriter(target, FileKind.documentPlaces, PLACE_WORDS * 4);
  }

  add(doc: Document): void {
    const src = doc.source;
    if (!src) throw new Error(`document ${JSON.stringify(doc.id)} has no source line; it cannot be copied from its input`);
    // Documents come part by part; consecutive slices of one file tell apart by their first line.
    while (this.part < this.parts.length && !this.holds(this.parts[this.part]!, src.file, src.line, this.parts[this.part + 1])) this.part++;
    if (this.part >= this.parts.length) throw new Error(`${src.file}:${src.line} is in none of the task's inputs`);
    const r = this.rec;
    r[0] = this.part;
    r[1] = this.idKey in doc.meta ? 0 : PLACE_DERIVED_ID;
    r[2] = src.line % 2 ** 32;
    r[3] = Math.floor(src.line / 2 ** 32);
    r[4] = textBytes(doc.text);
    r[5] = doc.text.length;
    this.file.appendWords(r, 0, PLACE_WORDS);
  }

  private holds(part: InputPart, file: string, line: number, next: InputPart | undefined): boolean {
    if (partFile(part) !== file) return false;
    return next === undefined || typeof next === "string" || partFile(next) !== file || !("firstLine" in next) || line < next.firstLine;
  }

  commit(): void {
    this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }
}

/** Reads a task's places front to back; the whole file is checked before the first is returned. */
export class PlacesReader {
  readonly count: number;
  private readonly reader: RecordFileReader;
  private pos = 0;
  private end = 0;
  /** The current place; valid after next() returned true. */
  readonly place: DocumentPlace = { part: 0, flags: 0, line: 0, bytes: 0, chars: 0 };

  constructor(file: string) {
    verifyRecordFile(file, FileKind.documentPlaces, PLACE_WORDS * 4);
    this.reader = new RecordFileReader(file, FileKind.documentPlaces, PLACE_WORDS * 4);
    this.count = this.reader.count;
  }

  next(): boolean {
    if (this.pos >= this.end) {
      if (!this.reader.nextChunk()) return false;
      this.pos = 0;
      this.end = this.reader.chunkRecords * PLACE_WORDS;
    }
    const w = this.reader.words;
    const p = this.place;
    const k = this.pos;
    p.part = w[k]!;
    p.flags = w[k + 1]!;
    p.line = w[k + 2]! + w[k + 3]! * 2 ** 32;
    p.bytes = w[k + 4]!;
    p.chars = w[k + 5]!;
    this.pos += PLACE_WORDS;
    return true;
  }

  close(): void {
    this.reader.close();
  }
}
