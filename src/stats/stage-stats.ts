/**
 * Run statistics: what every stage counts, per stage and per input file, so that
 * docs_in = docs_out + filtered + duplicates + rejected can be checked for every run.
 * Nothing here ever holds document text: only ids, counts and sizes.
 */
import type { Document } from "../types.js";
import { textBytes } from "../io/text-bytes.js";

export interface Counts {
  docs_in: number;
  docs_out: number;
  /** Documents dropped by a filter, by reason. */
  filtered: Record<string, number>;
  duplicates: number;
  rejected: number;
  bytes_in: number;
  bytes_out: number;
}

/** Power-of-two buckets: key is the bucket's lower bound (0, 1, 2, 4, 8, ...). */
export type Histogram = Record<string, number>;

export interface StageStatsJSON extends Counts {
  name: string;
  elapsed_s: number;
  /** Free-form counters such as `pii.rrn` or `tokens`. */
  counters: Record<string, number>;
  histograms: Record<string, Histogram>;
  files: Record<string, Counts>;
  /** The first few ids dropped under each filter reason, so a user can audit a rule (ids only, never text). */
  examples?: Record<string, string[]>;
}

/** How many example ids each filter reason keeps. */
export const EXAMPLES_PER_REASON = 3;

function addExamples(into: Record<string, string[]>, from: Record<string, string[]> | undefined): void {
  for (const [reason, ids] of Object.entries(from ?? {})) {
    const list = (into[reason] ??= []);
    for (const id of ids) if (list.length < EXAMPLES_PER_REASON) list.push(id);
  }
}

/** A document leaving the stream anywhere but the output; written to filtered.jsonl by the CLI. */
export interface DropEvent {
  stage: string;
  id: string;
  file?: string;
  line?: number;
  reason: string;
}

export function emptyCounts(): Counts {
  return { docs_in: 0, docs_out: 0, filtered: {}, duplicates: 0, rejected: 0, bytes_in: 0, bytes_out: 0 };
}

export function sumFiltered(c: Pick<Counts, "filtered">): number {
  let n = 0;
  for (const v of Object.values(c.filtered)) n += v;
  return n;
}

/** The bucket a value falls in: 0 for 0, else the largest power of two not above it. */
export function histogramBucket(value: number): number {
  if (value < 1) return 0;
  return 2 ** Math.floor(Math.log2(value));
}

export function addCounts(into: Counts, from: Counts): void {
  into.docs_in += from.docs_in;
  into.docs_out += from.docs_out;
  into.duplicates += from.duplicates;
  into.rejected += from.rejected;
  into.bytes_in += from.bytes_in;
  into.bytes_out += from.bytes_out;
  for (const [k, v] of Object.entries(from.filtered)) into.filtered[k] = (into.filtered[k] ?? 0) + v;
}

function addRecord(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}


export class StageStats {
  readonly name: string;
  private readonly total: Counts = emptyCounts();
  private readonly files = new Map<string, Counts>();
  private readonly counters: Record<string, number> = {};
  private readonly histograms: Record<string, Histogram> = {};
  private readonly examples: Record<string, string[]> = {};
  private startedAt: number | undefined;
  private elapsedMs = 0;
  private readonly onDrop: ((event: DropEvent) => void) | undefined;

  constructor(name: string, onDrop?: (event: DropEvent) => void) {
    this.name = name;
    this.onDrop = onDrop;
  }

  private fileCounts(doc: Document): Counts | undefined {
    const file = doc.source?.file;
    return file === undefined ? undefined : this.forFile(file);
  }

  private forFile(file: string): Counts {
    let c = this.files.get(file);
    if (!c) {
      c = emptyCounts();
      this.files.set(file, c);
    }
    return c;
  }

  /** A document entered the stage (`bytes`: its text's UTF-8 size, when the caller already knows it). */
  in(doc: Document, bytes = textBytes(doc.text)): void {
    this.total.docs_in++;
    this.total.bytes_in += bytes;
    const f = this.fileCounts(doc);
    if (f) {
      f.docs_in++;
      f.bytes_in += bytes;
    }
  }

  /** A document left the stage; its length goes into the `chars` histogram (lengths before and after cleaning). */
  out(doc: Document, bytes = textBytes(doc.text), chars = doc.text.length): void {
    this.observe("chars", chars);
    this.total.docs_out++;
    this.total.bytes_out += bytes;
    const f = this.fileCounts(doc);
    if (f) {
      f.docs_out++;
      f.bytes_out += bytes;
    }
  }

  filter(doc: Document, reason: string): void {
    this.total.filtered[reason] = (this.total.filtered[reason] ?? 0) + 1;
    const examples = (this.examples[reason] ??= []);
    if (examples.length < EXAMPLES_PER_REASON) examples.push(doc.id);
    const f = this.fileCounts(doc);
    if (f) f.filtered[reason] = (f.filtered[reason] ?? 0) + 1;
    this.onDrop?.({ stage: this.name, id: doc.id, file: doc.source?.file, line: doc.source?.line, reason });
  }

  duplicate(doc: Document): void {
    this.total.duplicates++;
    const f = this.fileCounts(doc);
    if (f) f.duplicates++;
  }

  /** An input record that never became a document (counted as entering and rejected). */
  reject(file: string, n = 1): void {
    this.total.docs_in += n;
    this.total.rejected += n;
    const f = this.forFile(file);
    f.docs_in += n;
    f.rejected += n;
  }

  /** A named counter, e.g. `pii.rrn` or `tokens`. Never a value taken from a document. */
  count(counter: string, n = 1): void {
    this.counters[counter] = (this.counters[counter] ?? 0) + n;
  }

  observe(histogram: string, value: number): void {
    const h = (this.histograms[histogram] ??= {});
    const key = String(histogramBucket(value));
    h[key] = (h[key] ?? 0) + 1;
  }

  /** Time spent in this stage, measured by whoever drives it (the pipeline measures each stage's own share). */
  addTime(ms: number): void {
    this.elapsedMs += ms;
  }

  start(): void {
    this.startedAt = performance.now();
  }

  stop(): void {
    if (this.startedAt !== undefined) {
      this.elapsedMs += performance.now() - this.startedAt;
      this.startedAt = undefined;
    }
  }

  get docsIn(): number {
    return this.total.docs_in;
  }
  get docsOut(): number {
    return this.total.docs_out;
  }

  toJSON(): StageStatsJSON {
    const running = this.startedAt === undefined ? 0 : performance.now() - this.startedAt;
    const files: Record<string, Counts> = {};
    for (const key of [...this.files.keys()].sort()) files[key] = structuredClone(this.files.get(key)!);
    return {
      name: this.name,
      ...structuredClone(this.total),
      elapsed_s: Math.round((this.elapsedMs + running) / 10) / 100,
      counters: { ...this.counters },
      histograms: structuredClone(this.histograms),
      files,
      examples: structuredClone(this.examples),
    };
  }
}

/** Combines the statistics of the same stage from several tasks or workers. */
export function mergeStageStats(parts: StageStatsJSON[]): StageStatsJSON {
  if (parts.length === 0) throw new Error("mergeStageStats needs at least one part");
  const out: StageStatsJSON = { ...structuredClone(parts[0]!), elapsed_s: 0 };
  Object.assign(out, emptyCounts());
  out.counters = {};
  out.histograms = {};
  out.files = {};
  out.examples = {};
  for (const p of parts) {
    addCounts(out, p);
    // Time spent in the stage across tasks (CPU-like), so bytes_in / elapsed_s is a per-core rate.
    out.elapsed_s = Math.round((out.elapsed_s + p.elapsed_s) * 100) / 100;
    addRecord(out.counters, p.counters);
    for (const [name, h] of Object.entries(p.histograms)) addRecord((out.histograms[name] ??= {}), h);
    for (const [file, c] of Object.entries(p.files)) addCounts((out.files[file] ??= emptyCounts()), c);
    addExamples(out.examples, p.examples);
  }
  return out;
}
