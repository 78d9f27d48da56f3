/**
 * Documents between the phases of a run: every document (id, text, meta, source) written by one
 * task and read back by the next phase, atomically. The writer is synchronous so that it can sit
 * in a callback (dedup's signature pass hands each document over as it goes); tasks run on worker
 * threads, where blocking writes stall nobody else.
 *
 * A record is two little-endian u32 lengths, then `{"id","meta","source"}` as JSON, then the text
 * as UTF-8. The text is not put through JSON: escaping it, splitting the stream into lines and
 * parsing it back cost more than compressing it (bench/dump-compression.mjs). Only a text with a
 * lone surrogate, which UTF-8 cannot hold, is stored as a JSON string (flagged in the top bit of
 * the first length), so every text reads back exactly. Reading checks every length, the JSON and
 * the UTF-8, so a damaged dump is an error that names it.
 *
 * With compression "zstd" the dump is a series of independent zstd frames, one per flush, which
 * any zstd reader decodes as one stream. Level 3 (DUMP_ZSTD_LEVEL) was measured against level 1
 * and no compression in bench/dump-compression.mjs (see docs/run.md): about 0.3x the bytes for a
 * few percent of what the pipeline spends on the same documents; the dumps are the largest
 * intermediate.
 */
import { isUtf8 } from "node:buffer";
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { compress } from "zstd-napi";
import type { Document } from "../types.js";
import { temporaryNameFor } from "./atomic-file.js";
import { openDecompressed } from "./decompress.js";
import { textBytes } from "./text-bytes.js";
import { textProblem } from "./record-checks.js";

const FLUSH_BYTES = 1 << 20;
const LENGTHS_BYTES = 8;
const TEXT_AS_JSON = 0x80000000;

export const DUMP_ZSTD_LEVEL = 3;

export type DumpCompression = "none" | "zstd";

export interface DumpOptions {
  compression?: DumpCompression;
  /** zstd level (default DUMP_ZSTD_LEVEL). */
  level?: number;
}

/** The dump's file name for a stem: `prepared/task-00003` → `.docs` or `.docs.zst`. */
export function dumpFileName(stem: string, compression: DumpCompression): string {
  return `${stem}.docs${compression === "zstd" ? ".zst" : ""}`;
}

export class DocumentDumpWriter {
  private readonly temp: string;
  private readonly fd: number;
  private buf = Buffer.allocUnsafe(FLUSH_BYTES * 2);
  private used = 0;
  private readonly level: number | undefined;
  count = 0;
  /** Bytes written to disk so far. */
  bytes = 0;

  constructor(
    private readonly file: string,
    options: DumpOptions = {},
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.temp = temporaryNameFor(file);
    this.fd = openSync(this.temp, "w");
    this.level = options.compression === "zstd" ? (options.level ?? DUMP_ZSTD_LEVEL) : undefined;
  }

  add(d: Document): void {
    const head = JSON.stringify({ id: d.id, meta: d.meta, source: d.source });
    const asJson = textProblem(d.text) !== undefined;
    const text = asJson ? JSON.stringify(d.text) : d.text;
    // The text's size is usually known already (the stages measured it); the head's is bounded.
    const room = LENGTHS_BYTES + 3 * head.length + (asJson ? 3 * text.length : textBytes(text));
    if (this.used + room > this.buf.length) {
      this.flush();
      if (room > this.buf.length) this.buf = Buffer.allocUnsafe(room);
    }
    const at = this.used;
    const headLength = this.buf.write(head, at + LENGTHS_BYTES, "utf8");
    const textLength = this.buf.write(text, at + LENGTHS_BYTES + headLength, "utf8");
    this.buf.writeUInt32LE((headLength | (asJson ? TEXT_AS_JSON : 0)) >>> 0, at);
    this.buf.writeUInt32LE(textLength, at + 4);
    this.used = at + LENGTHS_BYTES + headLength + textLength;
    this.count++;
    if (this.used >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.used > 0) {
      const raw = this.buf.subarray(0, this.used);
      const out = this.level === undefined ? raw : compress(raw, { compressionLevel: this.level });
      let off = 0;
      while (off < out.length) off += writeSync(this.fd, out, off, out.length - off);
      this.bytes += out.length;
    }
    this.used = 0;
    // A huge document grew the buffer: give that memory back.
    if (this.buf.length > FLUSH_BYTES * 2) this.buf = Buffer.allocUnsafe(FLUSH_BYTES * 2);
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

class DumpDamagedError extends Error {}

/** The documents of a dump, in the order they were added. */
export async function* readDocumentDump(file: string): AsyncGenerator<Document> {
  const bytes = openDecompressed(file, file.endsWith(".zst") ? "zstd" : "none");
  let record = 0;
  const damaged = (what: string) => new DumpDamagedError(`${file}: damaged intermediate file (${what} in record ${record + 1}); rerun with --force`);
  try {
    // Chunks are joined only once they hold a whole record, so a record of many chunks is copied once.
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let need = LENGTHS_BYTES;
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < need) continue;
      const buf = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
      let at = 0;
      for (;;) {
        need = LENGTHS_BYTES;
        if (buf.length - at < need) break;
        const first = buf.readUInt32LE(at);
        const textStart = at + LENGTHS_BYTES + (first & ~TEXT_AS_JSON);
        const end = textStart + buf.readUInt32LE(at + 4);
        need = end - at;
        if (end > buf.length) break;
        const text = buf.subarray(textStart, end);
        if (!isUtf8(text)) throw damaged("invalid UTF-8");
        let head: Omit<Document, "text">;
        try {
          head = JSON.parse(buf.toString("utf8", at + LENGTHS_BYTES, textStart)) as Omit<Document, "text">;
        } catch {
          // JSON.parse's message can quote the input, i.e. ids and meta: say where, never what.
          throw damaged("not valid JSON");
        }
        let body = text.toString("utf8");
        if (first & TEXT_AS_JSON) {
          try {
            body = JSON.parse(body) as string;
          } catch {
            throw damaged("not valid JSON");
          }
        }
        const doc: Document = { id: head.id, text: body, meta: head.meta };
        if (head.source !== undefined) doc.source = head.source;
        record++;
        yield doc;
        at = end;
      }
      pending = at < buf.length ? [buf.subarray(at)] : [];
      pendingBytes = buf.length - at;
    }
    if (pendingBytes > 0) throw damaged("cut short");
  } catch (err) {
    if (err instanceof DumpDamagedError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw err;
    // A decoder error (not zstd, cut short) names no file: name it, and say it is damaged.
    throw new DumpDamagedError(`${file}: damaged intermediate file (${code ?? "cannot be decompressed"}); rerun with --force`);
  }
}
