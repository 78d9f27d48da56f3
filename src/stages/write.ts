/**
 * Writing documents back out as JSONL, one output file per input file, mirroring the input names
 * under the output directory. Each output appears only when complete (temp name + rename).
 */
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { once } from "node:events";
import type { Transform } from "node:stream";
import { CompressStream } from "zstd-napi";
import type { Document } from "../types.js";
import { AtomicWriteStream } from "../io/atomic-file.js";
import { writeErrorFor } from "../io/write-error.js";
import { stripCompressionSuffix, type Compression } from "../io/formats.js";

export { writeFileAtomic } from "../io/atomic-file.js";

export interface WriteOptions {
  outputDir: string;
  compression?: Compression;
  /** Input paths are mirrored relative to this directory (default: the inputs' common directory). */
  baseDir?: string;
  /** All input files, so that a file whose documents were all dropped still gets its (empty) output. */
  inputs?: string[];
  /** Field the text is written to (default "text"), matching the reader's --text-key. */
  textKey?: string;
  /** Field the id is written to when the input had none (default "id"). */
  idKey?: string;
  /** Changes the output path chosen for an input (e.g. a part suffix when tasks share a file). */
  renameOutput?: (outputPath: string, input: string) => string;
  /** Names directly under outputDir that belong to something else (korpipe's side files): an input mirrored onto one is refused. */
  reservedNames?: string[];
}

export interface WriteResult {
  files: string[];
  docs: number;
  bytes: number;
}

/** Name for documents that carry no source file (library use). */
export const UNSOURCED_OUTPUT = "documents.jsonl";

const COMPRESSION_EXT: Record<Compression, string> = { none: "", gzip: ".gz", zstd: ".zst" };
const FLUSH_BYTES = 1 << 19;

export function commonDirectory(files: string[]): string {
  if (files.length === 0) return ".";
  const split = files.map((f) => path.resolve(path.dirname(f)).split(path.sep));
  const first = split[0]!;
  let n = first.length;
  for (const parts of split) {
    let i = 0;
    while (i < n && parts[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join(path.sep) || path.sep;
}

/** `a/b.txt.gz` → `OUT/a/b.jsonl.gz` (with compression gzip). */
export function outputPathFor(input: string, options: Pick<WriteOptions, "outputDir" | "baseDir" | "compression">): string {
  const rel = path.relative(options.baseDir ?? path.dirname(path.resolve(input)), path.resolve(input));
  const { base } = stripCompressionSuffix(rel);
  const ext = path.extname(base);
  const stem = [".jsonl", ".ndjson", ".json", ".txt", ".parquet"].includes(ext.toLowerCase()) ? base.slice(0, -ext.length) : base;
  return path.join(options.outputDir, `${stem}.jsonl${COMPRESSION_EXT[options.compression ?? "none"]}`);
}

/** Two inputs planned onto one output file, or an input onto a side file; raised before any work. */
export class OutputCollisionError extends Error {}

/** Maps every input to its output path and refuses two inputs that would write the same file. */
export function planOutputs(inputs: string[], options: WriteOptions): Map<string, string> {
  const baseDir = options.baseDir ?? commonDirectory(inputs);
  const plan = new Map<string, string>();
  const taken = new Map<string, string>();
  for (const input of inputs) {
    const mirrored = outputPathFor(input, { ...options, baseDir });
    const out = options.renameOutput ? options.renameOutput(mirrored, input) : mirrored;
    const other = taken.get(out);
    if (other !== undefined) {
      throw new OutputCollisionError(`${other} and ${input} would both be written to ${out}; rename one of them or process them in separate runs`);
    }
    if (options.reservedNames?.includes(path.basename(out)) && path.resolve(path.dirname(out)) === path.resolve(options.outputDir)) {
      throw new OutputCollisionError(`${input} would be written to ${out}, where korpipe writes its own ${path.basename(out)}; rename the input or put it in a subdirectory`);
    }
    taken.set(out, input);
    plan.set(input, out);
  }
  return plan;
}

/** One output file: buffered JSONL lines (text, or bytes copied from an input), optionally compressed, committed atomically. */
export class JsonlOutput {
  private pending: (string | Uint8Array)[] = [];
  private pendingChars = 0;
  private constructor(
    private readonly file: AtomicWriteStream,
    private readonly compressor: Transform | undefined,
    /** Settles when the compressor has drained into the file; rejects with the file's (or the compressor's) error. */
    private readonly piped: Promise<void> | undefined,
  ) {}

  static async open(finalPath: string, compression: Compression): Promise<JsonlOutput> {
    const file = await AtomicWriteStream.open(finalPath);
    if (compression === "none") return new JsonlOutput(file, undefined, undefined);
    const compressor: Transform = compression === "gzip" ? createGzip() : new CompressStream();
    // A failed write destroys the compressor, which then never drains: every wait races this promise.
    const piped = Promise.race([pipeline(compressor, file.stream), file.failure]).catch((err: unknown) => {
      throw writeErrorFor(finalPath, err);
    });
    piped.catch(() => {});
    return new JsonlOutput(file, compressor, piped);
  }

  async add(line: string | Uint8Array): Promise<void> {
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pendingChars >= FLUSH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const pieces = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    // Bytes copied from an input go out as they are, in one gathered write, not copied into one buffer first.
    if (!this.compressor && pieces.every((p) => typeof p !== "string")) return this.file.writeAll(pieces as Uint8Array[]);
    const chunk = pieces.every((p) => typeof p === "string") ? pieces.join("") : Buffer.concat(pieces.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));
    if (!this.compressor) return this.file.write(chunk);
    if (!this.compressor.write(chunk)) {
      await Promise.race([once(this.compressor, "drain"), this.piped]).catch((err: unknown) => {
        throw writeErrorFor(this.file.finalPath, err);
      });
    }
  }

  async commit(): Promise<void> {
    await this.flush();
    if (this.compressor) {
      this.compressor.end();
      await this.piped;
      await this.file.commitEnded();
    } else {
      await this.file.commit();
    }
  }

  abort(): Promise<void> {
    this.compressor?.destroy();
    return this.file.abort();
  }
}

/** The JSONL record for a document: its other fields unchanged, its id, and its (possibly new) text. */
export function documentToRecord(doc: Document, textKey = "text", idKey = "id"): Record<string, unknown> {
  const record: Record<string, unknown> = idKey in doc.meta ? { ...doc.meta } : { [idKey]: doc.id, ...doc.meta };
  record[textKey] = doc.text;
  return record;
}

/**
 * Writes documents in order. Documents arrive grouped by source file (readers read one file at a
 * time), so only one output is open at once.
 */
export async function writeDocuments(docs: AsyncIterable<Document>, options: WriteOptions): Promise<WriteResult> {
  const compression = options.compression ?? "none";
  const textKey = options.textKey ?? "text";
  const idKey = options.idKey ?? "id";
  const inputs = options.inputs ?? [];
  const plan = planOutputs(inputs, options);
  const baseDir = options.baseDir ?? commonDirectory(inputs);
  const done = new Set<string>();
  const result: WriteResult = { files: [], docs: 0, bytes: 0 };
  let current: { input: string; out: JsonlOutput } | undefined;

  const finishCurrent = async () => {
    if (!current) return;
    await current.out.commit();
    done.add(current.input);
    result.files.push(planned(current.input));
    current = undefined;
  };
  const planned = (input: string) => {
    const known = plan.get(input);
    if (known) return known;
    const mirrored = outputPathFor(input, { ...options, baseDir });
    return options.renameOutput ? options.renameOutput(mirrored, input) : mirrored;
  };

  try {
    for await (const doc of docs) {
      const input = doc.source?.file ?? UNSOURCED_OUTPUT;
      if (current?.input !== input) {
        await finishCurrent();
        if (done.has(input)) throw new Error(`documents of ${input} arrived after its output was closed; writeDocuments needs documents grouped by file`);
        const target = doc.source ? planned(input) : path.join(options.outputDir, UNSOURCED_OUTPUT + COMPRESSION_EXT[compression]);
        current = { input, out: await JsonlOutput.open(target, compression) };
      }
      const line = JSON.stringify(documentToRecord(doc, textKey, idKey)) + "\n";
      result.docs++;
      result.bytes += line.length;
      await current.out.add(line);
    }
    await finishCurrent();
    for (const input of inputs) {
      if (done.has(input)) continue;
      current = { input, out: await JsonlOutput.open(planned(input), compression) };
      await finishCurrent();
    }
  } catch (err) {
    await current?.out.abort();
    throw err;
  }
  return result;
}
