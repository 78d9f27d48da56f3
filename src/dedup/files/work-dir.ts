/**
 * The layout of a dedup work directory, the only channel between phases (and between machines
 * on a cluster). Every file in it is a record file (see record-file.ts) or a small JSON manifest
 * written atomically; a manifest's presence means its phase finished for that task or band.
 *
 *   tasks/task-00000/sigs.bin        signature table, one record per document in input order
 *   tasks/task-00000/ids.bin         the documents' ids, back to back (UTF-8)
 *   tasks/task-00000/shingles.bin    each document's shingle hashes (for exact verification)
 *   tasks/task-00000/band-000.bin    (band key, ordinal) records sorted by key, one file per band
 *   tasks/task-00000/exact.bin       (exact hash, ordinal) records sorted by hash
 *   tasks/task-00000/done.json       the task's manifest: document count, settings, file checksums
 *   pairs/band-000.bin, pairs/exact.bin   candidate pairs per band, + .done.json
 *   clusters/task-00000.removals.bin      documents to remove, per task, in input order
 *   clusters/done.json                    cluster summary (counts, cluster-size histogram)
 */
import { taskName } from "../../io/task-name.js";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DamagedFileError } from "./record-file.js";
import { numPermutations, signatureParamsKey, type SignatureParams } from "../minhash/signature.js";
import type { VerifyMode } from "../minhash/lsh-params.js";
import { temporaryNameFor } from "../../io/atomic-file.js";

/** Default of --memory-mb: memory for sort and merge buffers, in MiB. */
export const DEFAULT_MEMORY_MB = 1024;

/** Which band a phase-2 job handles: a LSH band index, or the exact-hash "band". */
export type BandId = number | "exact";

const bandFileName = (band: BandId) => (band === "exact" ? "exact.bin" : `band-${String(band).padStart(3, "0")}.bin`);

export class WorkDir {
  constructor(readonly root: string) {}

  taskDir(task: number): string {
    return path.join(this.root, "tasks", taskName(task));
  }
  signatures(task: number): string {
    return path.join(this.taskDir(task), "sigs.bin");
  }
  ids(task: number): string {
    return path.join(this.taskDir(task), "ids.bin");
  }
  shingleSets(task: number): string {
    return path.join(this.taskDir(task), "shingles.bin");
  }
  bucket(task: number, band: BandId): string {
    return path.join(this.taskDir(task), bandFileName(band));
  }
  spillDir(task: number): string {
    return path.join(this.taskDir(task), "spill");
  }
  taskManifest(task: number): string {
    return path.join(this.taskDir(task), "done.json");
  }
  pairs(band: BandId): string {
    return path.join(this.root, "pairs", bandFileName(band));
  }
  pairsManifest(band: BandId): string {
    return this.pairs(band).replace(/\.bin$/, ".done.json");
  }
  removals(task: number): string {
    return path.join(this.root, "clusters", `${taskName(task)}.removals.bin`);
  }
  clustersManifest(): string {
    return path.join(this.root, "clusters", "done.json");
  }
}

/** The bands phase 2 runs over for these settings: every LSH band, then the exact band. */
export function bandsFor(params: SignatureParams): BandId[] {
  const bands: BandId[] = params.exactOnly ? [] : Array.from({ length: params.bands }, (_, i) => i);
  bands.push("exact");
  return bands;
}

/**
 * Bytes of one signature-table record: id offset (2 words), id length, shingle count, exact hash
 * (4 words), shingle-set offset (2 words), MinHash low 16 bits (padded to a word).
 */
export function signatureRecordBytes(params: SignatureParams): number {
  return 40 + Math.ceil((numPermutations(params) * 2) / 4) * 4;
}

export interface FileCheck {
  bytes: number;
  checksum: string;
}

export interface TaskManifest {
  task: number;
  docs: number;
  params: string;
  /** How often the sort buffers spilled to disk (0 when everything fit in --memory-mb). */
  spills: number;
  files: Record<string, FileCheck>;
}

export interface PairsManifest {
  band: BandId;
  params: string;
  tasks: number;
  /** How candidates were checked ("off" for the exact band), and against what threshold. */
  verify: VerifyMode;
  threshold?: number;
  pairs: number;
  /** Candidates dropped by verification. */
  verified_out: number;
  file: FileCheck;
}

export function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = temporaryNameFor(file);
  writeFileSync(tmp, JSON.stringify(value, null, 2) + "\n");
  renameSync(tmp, file);
}

export function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (err) {
    throw new DamagedFileError(file, `unreadable manifest: ${(err as Error).message}`);
  }
}

/** The manifest of a finished task, checked against the settings of this run. */
export function readTaskManifest(work: WorkDir, task: number, params: SignatureParams): TaskManifest {
  const file = work.taskManifest(task);
  if (!existsSync(file)) throw new Error(`${file} is missing: signature task ${task} has not finished; run it (phase 1) first`);
  const m = readJson<TaskManifest>(file);
  if (m.task !== task || typeof m.docs !== "number") throw new DamagedFileError(file, "manifest of another task");
  const key = signatureParamsKey(params);
  if (m.params !== key) {
    throw new Error(`${file} was made with dedup settings ${m.params}, this run uses ${key}; use a fresh work directory or the same settings`);
  }
  return m;
}

export function isTaskDone(work: WorkDir, task: number): boolean {
  return existsSync(work.taskManifest(task));
}
