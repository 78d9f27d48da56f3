/**
 * Finding the input files under directories and globs without the traps of real dumps: every
 * directory is entered once (by device and inode, so symlink loops and links to a directory already
 * read cannot repeat or hang the walk), a file reached twice is read once, the output directory of
 * the run is never read back, and korpipe's own side files in an earlier command's output directory
 * (stats.json, rejects.jsonl, ...) are never taken for corpus, so outputs chain into the next command.
 */
import { readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { SUPPORTED_SUFFIXES } from "./formats.js";

/** Thrown when inputs name nothing readable, or clash with the outputs; the message says what to do. */
export class InputError extends Error {}

/** Files korpipe writes beside the data in an output directory: never corpus. */
export const SIDE_FILES = ["stats.json", "rejects.jsonl", "filtered.jsonl", "duplicates.jsonl", "report.json", "report.html"];

/**
 * A tokenized dataset's own JSON files, never corpus: its tokenizer sidecar (`X_document.json`
 * beside `X_document.idx`) and, in a run's output directory, the shard manifest (`PREFIX_shards.json`).
 */
function isDatasetSideFile(name: string, siblings: Set<string>, outputDirectory: boolean): boolean {
  if (name.endsWith("_document.json") && siblings.has(name.replace(/\.json$/, ".idx"))) return true;
  return outputDirectory && name.endsWith("_shards.json");
}

/** Where a run keeps its state; its presence marks an output directory of `korpipe run`. */
const STATE_DIR_NAME = ".korpipe";

export interface DiscoveryOptions {
  /** Directories never read (the outputs of this command); absolute or relative to the working directory. */
  exclude?: string[];
  /** Told once per skipped link or duplicate (a loop, a second path to a file already found). */
  onSkip?: (message: string) => void;
}

const isReadableName = (name: string) => SUPPORTED_SUFFIXES.some((s) => name.toLowerCase().endsWith(s));

/** Whether a directory is the output of a korpipe command: its side files are not corpus. */
function isOutputDirectory(names: Set<string>): boolean {
  return names.has(STATE_DIR_NAME) || (names.has("stats.json") && names.has("rejects.jsonl"));
}

export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

export class InputWalk {
  private readonly seenDirs = new Set<string>();
  /** device:inode → the path it was first found under. */
  private readonly seenFiles = new Map<string, string>();
  private readonly exclude: string[];
  readonly found: string[] = [];

  constructor(private readonly options: DiscoveryOptions = {}) {
    this.exclude = (options.exclude ?? []).map((d) => path.resolve(d));
  }

  private excluded(p: string): boolean {
    const abs = path.resolve(p);
    return this.exclude.some((d) => isInside(abs, d));
  }

  /** Adds a file once per device and inode; false when it was already there. */
  async addFile(file: string, info?: { dev: number; ino: number }): Promise<boolean> {
    const s = info ?? (await stat(file));
    const key = `${s.dev}:${s.ino}`;
    const first = this.seenFiles.get(key);
    if (first !== undefined) {
      // Named twice (a directory and a glob over it) is no news; a second path to the same file is.
      if (first !== path.normalize(file)) this.options.onSkip?.(`${file}: the same file as ${first} (a link); read once`);
      return false;
    }
    this.seenFiles.set(key, path.normalize(file));
    this.found.push(path.normalize(file));
    return true;
  }

  /** Every readable file under `dir`, recursively, skipping dot entries, outputs and side files. */
  async addDirectory(dir: string, ancestors: Set<string> = new Set()): Promise<void> {
    if (this.excluded(dir)) return;
    const info = await stat(dir);
    const key = `${info.dev}:${info.ino}`;
    if (ancestors.has(key)) {
      this.options.onSkip?.(`${dir}: symbolic link loop back to a directory above it; not followed`);
      return;
    }
    if (this.seenDirs.has(key)) {
      this.options.onSkip?.(`${dir}: a directory already read through another path; read once`);
      return;
    }
    this.seenDirs.add(key);
    const entries = await readdir(dir, { withFileTypes: true });
    const names = new Set(entries.map((e) => e.name));
    const sideFiles = isOutputDirectory(names) ? new Set(SIDE_FILES) : new Set<string>();
    const inside = new Set(ancestors).add(key);
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith(".") || sideFiles.has(e.name) || isDatasetSideFile(e.name, names, sideFiles.size > 0)) continue;
      const p = path.join(dir, e.name);
      if (this.excluded(p)) continue;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      let target: { dev: number; ino: number } | undefined;
      if (e.isSymbolicLink()) {
        const s = await stat(p).catch(() => undefined);
        if (!s) {
          if (isReadableName(e.name)) this.options.onSkip?.(`${p}: broken symbolic link; skipped`);
          continue;
        }
        isDir = s.isDirectory();
        isFile = s.isFile();
        target = s;
      }
      if (isDir) await this.addDirectory(p, inside);
      else if (isFile && isReadableName(e.name)) await this.addFile(p, target);
    }
  }

  /** Adds the files matching a glob and returns how many matched; links are not followed (a glob over a looping tree would never end). */
  async addGlob(pattern: string): Promise<number> {
    // Imported here, not at the top: task threads never expand globs, and fast-glob's import cost each of them about 0.1 CPU-seconds.
    const { default: fg } = await import("fast-glob");
    const matches = await fg(pattern, { onlyFiles: true, followSymbolicLinks: false });
    let n = 0;
    const sideDirs = new Map<string, boolean>();
    for (const m of matches.sort()) {
      if (this.excluded(m)) continue;
      const dir = path.dirname(m);
      if (SIDE_FILES.includes(path.basename(m))) {
        if (!sideDirs.has(dir)) sideDirs.set(dir, isOutputDirectory(new Set(await readdir(dir).catch(() => []))));
        if (sideDirs.get(dir)) continue;
      }
      await this.addFile(m);
      n++;
    }
    return n;
  }
}

/**
 * Refuses outputs that would overwrite or reread inputs: an output directory equal to an input or
 * holding one. (An output directory inside an input directory is fine: the walk leaves it out.)
 */
export async function refuseOutputsOverInputs(patterns: string[], files: string[], outputDirs: string[]): Promise<void> {
  const outs = await Promise.all(outputDirs.map(async (d) => ({ given: d, real: await realPathOf(d) })));
  for (const out of outs) {
    for (const p of patterns) {
      if (!hasGlob(p) && isInside(await realPathOf(p), out.real)) {
        throw new InputError(`the output ${out.given} is or contains the input ${p}; korpipe would overwrite or reread its own input: choose an output outside the inputs`);
      }
    }
    for (const f of files) {
      if (isInside(await realPathOf(f), out.real)) {
        throw new InputError(`the output ${out.given} contains the input file ${f}; korpipe would overwrite or reread it: choose an output outside the inputs`);
      }
    }
  }
}

const hasGlob = (p: string) => /[*?[\]{}]/.test(p);

/** The real path of the longest existing prefix of `p`, joined with the rest (outputs may not exist yet). */
async function realPathOf(p: string): Promise<string> {
  const abs = path.resolve(p);
  let head = abs;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await realpath(head), ...rest);
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return abs;
      rest.unshift(path.basename(head));
      head = parent;
    }
  }
}
