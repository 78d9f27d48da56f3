/**
 * One pass of a command over its inputs, as a standalone command or a task of `korpipe run` does
 * it: read the inputs, account for every document (rejects.jsonl, filtered.jsonl, stats.json, the
 * summary) and return the exit status.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import type { Document, NamedStage, Reject } from "../types.js";
import { StageStats, type DropEvent } from "../stats/stage-stats.js";
import { buildRunStats, formatRunSummary, type RunStatsJSON, type UnreadableFile } from "../stats/run-stats.js";
import { InputError, partFile, readDocuments, resolveInputs, type InputPart, type ReadOptions } from "../stages/read.js";
import { OutputCollisionError } from "../stages/write.js";
import { refuseOutputsOverInputs } from "../io/input-discovery.js";
import { AtomicWriteStream, removeStaleTemporaryFiles, writeFileAtomic } from "../io/atomic-file.js";
import { OutputLock, OutputLockedError } from "../io/output-lock.js";
import { composeStages } from "../stages/compose.js";
import { Progress } from "../stats/progress.js";
import { RunRefusedError } from "./refused.js";

/** Exit statuses: 0 clean, 3 completed but something was rejected or unreadable, 1 failure. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_REJECTS = 3;

export interface CommandRunOptions {
  command: string;
  /** Files, directories or globs, as the user gave them. */
  inputs: string[];
  /** Already resolved files or file slices (a task of korpipe run); replaces `inputs`. */
  parts?: InputPart[];
  /** How the inputs are read (readOptionsFrom turns command-line flags into these). */
  readOptions: ReadOptions;
  /** Print a progress line on stderr (default true unless quiet). */
  showProgress?: boolean;
  /** Where stats.json, rejects.jsonl and filtered.jsonl go. */
  reportDir: string;
  /** Defaults to REPORTDIR/stats.json. */
  statsFile?: string;
  /** A task inside `korpipe run`: no summary on stderr, progress goes to `progress` instead. */
  quiet?: boolean;
  /** Where documents and raw bytes read are counted (default: a Progress line on stderr). */
  progress?: Pick<Progress, "addDocs" | "addBytes" | "finish">;
  /** Directories this command writes (default: reportDir): never read as input, never allowed to hold one. */
  outputDirs?: string[];
}

const jsonLine = (value: unknown) => JSON.stringify(value) + "\n";

/**
 * The input files of a command that writes to `outputDirs`: refused when an output would hold an
 * input, the outputs themselves left out of directory walks, links and loops told once on stderr.
 */
export async function resolveCommandInputs(patterns: string[], outputDirs: string[], quiet = false): Promise<string[]> {
  await refuseOutputsOverInputs(patterns, [], outputDirs);
  const files = await resolveInputs(patterns, {
    exclude: outputDirs,
    onSkip: (message) => {
      if (!quiet) process.stderr.write(`korpipe: warning: ${message}\n`);
    },
  });
  await refuseOutputsOverInputs([], files, outputDirs);
  return files;
}

/** Locks the report directory and clears what killed runs of a command left there under temporary names. */
async function lockOutputs(options: CommandRunOptions): Promise<OutputLock> {
  let lock: OutputLock;
  try {
    lock = await OutputLock.acquire(options.reportDir, options.command);
  } catch (err) {
    if (err instanceof OutputLockedError) throw new RunRefusedError(err.message);
    throw err;
  }
  for (const dir of options.outputDirs ?? [options.reportDir]) await removeStaleTemporaryFiles(dir);
  return lock;
}

export class CommandRun {
  /** The input files, in order. */
  readonly files: string[];
  private readonly parts: InputPart[];
  readonly readOptions: ReadOptions;
  private readonly startedAt = new Date();
  private readonly readStats = new StageStats("read");
  private readonly stages: StageStats[] = [];
  private readonly sections: Record<string, unknown> = {};
  private readonly unreadable: UnreadableFile[] = [];
  private readonly progress: Pick<Progress, "addDocs" | "addBytes" | "finish">;
  private rejectCount = 0;
  private lock: OutputLock | undefined;

  private constructor(
    private readonly options: CommandRunOptions,
    parts: InputPart[],
    totalBytes: number,
    private readonly rejects: AtomicWriteStream,
    private readonly filtered: AtomicWriteStream,
  ) {
    this.parts = parts;
    this.files = [...new Set(parts.map(partFile))];
    this.readOptions = options.readOptions;
    this.progress =
      options.progress ?? new Progress({ label: options.command, totalBytes, enabled: options.showProgress !== false && !options.quiet });
  }

  static async open(options: CommandRunOptions): Promise<CommandRun> {
    let parts: InputPart[];
    try {
      parts = options.parts ?? (await resolveCommandInputs(options.inputs, options.outputDirs ?? [options.reportDir], options.quiet));
    } catch (err) {
      if (err instanceof InputError || err instanceof OutputCollisionError) throw new RunRefusedError(err.message);
      throw err;
    }
    let totalBytes = 0;
    for (const p of parts) totalBytes += typeof p === "string" ? (await stat(p)).size : p.end - p.start;
    // A task of korpipe run works under its run's lock; a command on its own takes one.
    const lock = options.parts ? undefined : await lockOutputs(options);
    let rejects: AtomicWriteStream | undefined;
    let filtered: AtomicWriteStream;
    try {
      rejects = await AtomicWriteStream.open(path.join(options.reportDir, "rejects.jsonl"));
      filtered = await AtomicWriteStream.open(path.join(options.reportDir, "filtered.jsonl"));
    } catch (err) {
      await rejects?.abort();
      await lock?.release();
      throw new RunRefusedError(`${(err as Error).message}`);
    }
    const run = new CommandRun(options, parts, totalBytes, rejects, filtered);
    run.lock = lock;
    return run;
  }

  /** The documents of all inputs, in order; rejects and "read" statistics are recorded. Read once. */
  documents(): AsyncIterable<Document> {
    return this.countProgress(
      readDocuments(this.parts, {
        ...this.readOptions,
        stats: this.readStats,
        onReject: (r: Reject) => {
          this.rejectCount++;
          this.rejects.stream.write(jsonLine(r));
        },
        onUnreadable: (u) => {
          this.unreadable.push(u);
          if (!this.options.quiet) process.stderr.write(`korpipe: ${u.file}: unreadable after ${u.docs_read} documents: ${u.error}\n`);
        },
        onRawBytes: (n) => this.progress.addBytes(n),
      }),
    );
  }

  /** A second pass over the same inputs (e.g. dedup's filter pass): nothing is recorded again. */
  rereadDocuments(): AsyncIterable<Document> {
    return readDocuments(this.parts, this.readOptions);
  }

  private async *countProgress(docs: AsyncIterable<Document>): AsyncGenerator<Document> {
    for await (const d of docs) {
      this.progress.addDocs();
      yield d;
    }
  }

  get readStageStats(): StageStats {
    return this.readStats;
  }

  /** Statistics for the next stage in order; documents it filters are listed in filtered.jsonl. */
  stage(name: string): StageStats {
    const s = new StageStats(name, (e: DropEvent) => this.filtered.stream.write(jsonLine(e)));
    this.stages.push(s);
    return s;
  }

  /** Read → stages, with each stage's own time recorded; drain the result, then call finish(). */
  pipeline(stages: NamedStage[]): { output: AsyncIterable<Document>; recordTimes(): void } {
    return composeStages(this.documents(), this.readStats, stages, (name) => this.stage(name));
  }

  section(key: string, value: unknown): void {
    this.sections[key] = value;
  }

  stats(): RunStatsJSON {
    return buildRunStats({
      command: this.options.command,
      startedAt: this.startedAt,
      inputs: this.files,
      stages: [this.readStats, ...this.stages].map((s) => s.toJSON()),
      unreadable: this.unreadable,
      sections: this.sections,
    });
  }

  /** Writes stats.json and the reject/filter lists, prints the summary; returns the exit status. */
  async finish(): Promise<number> {
    this.progress.finish();
    const run = this.stats();
    const statsFile = this.options.statsFile ?? path.join(this.options.reportDir, "stats.json");
    try {
      // A side list that could not be written (a full disk) fails here: nothing of it may stay behind.
      await this.rejects.commit();
      await this.filtered.commit();
      await writeFileAtomic(statsFile, JSON.stringify(run, null, 2) + "\n");
    } catch (err) {
      await this.rejects.abort();
      await this.filtered.abort();
      throw err;
    } finally {
      await this.lock?.release();
    }
    if (!this.options.quiet) {
      process.stderr.write(formatRunSummary(run) + "\n");
      if (this.rejectCount > 0) process.stderr.write(`  rejects listed in ${path.join(this.options.reportDir, "rejects.jsonl")}\n`);
      process.stderr.write(`  statistics in ${statsFile}\n`);
    }
    return this.rejectCount > 0 || this.unreadable.length > 0 ? EXIT_REJECTS : EXIT_OK;
  }

  /** On failure: remove the unfinished reject/filter lists. */
  async abort(): Promise<void> {
    this.progress.finish();
    await this.rejects.abort();
    await this.filtered.abort();
    await this.lock?.release();
  }
}
