/**
 * Documents between the phases of a run: JSONL of the full document (id, text, meta, source),
 * written atomically by one task and read back by the next phase. The writer is synchronous so
 * that it can sit in a callback (dedup's signature pass hands each document over as it goes);
 * tasks run on worker threads, where blocking writes stall nobody else.
 */
import { closeSync, createReadStream, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import type { Document } from "../types.js";
import { temporaryNameFor } from "../stages/atomic-file.js";
import { splitLines } from "../stages/lines.js";

const FLUSH_CHARS = 1 << 19;

export class DocumentDumpWriter {
  private readonly temp: string;
  private readonly fd: number;
  private pending: string[] = [];
  private chars = 0;
  count = 0;

  constructor(private readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.temp = temporaryNameFor(file);
    this.fd = openSync(this.temp, "w");
  }

  add(d: Document): void {
    const line = JSON.stringify({ id: d.id, text: d.text, meta: d.meta, source: d.source }) + "\n";
    this.pending.push(line);
    this.chars += line.length;
    this.count++;
    if (this.chars >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.pending.length) writeSync(this.fd, this.pending.join(""));
    this.pending = [];
    this.chars = 0;
  }

  commit(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.temp, this.file);
  }

  abort(): void {
    closeSync(this.fd);
    rmSync(this.temp, { force: true });
  }
}

export async function* readDocumentDump(file: string): AsyncGenerator<Document> {
  for await (const line of splitLines(createReadStream(file, { highWaterMark: 1 << 20 }), Number.MAX_SAFE_INTEGER)) {
    if (line.text === undefined) throw new Error(`${file}:${line.no}: damaged intermediate file (invalid UTF-8); rerun with --force`);
    if (line.text === "") continue;
    let doc: Document;
    try {
      doc = JSON.parse(line.text) as Document;
    } catch {
      // JSON.parse's message can quote the line, i.e. document text: say where, never what.
      throw new Error(`${file}:${line.no}: damaged intermediate file (not valid JSON); rerun with --force`);
    }
    yield doc;
  }
}
