/**
 * Every stage a config can name: the built-in declarations (each beside its own code) and user
 * modules. A module stage is `{"stage": "module", "import": "./my-stage.mjs", "options": {...}}`
 * whose default export is a stage factory `(options) => Stage`; its import is resolved once when
 * the run is planned and recorded in the plan, so worker threads and Slurm tasks load the same file.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { NamedStage, Stage } from "../../types.js";
import type { StageContext, StageDefinition } from "../../stages/registry.js";
import { normalizeDefinition } from "../../stages/normalize.js";
import { filterDefinition } from "../../stages/quality-filter.js";
import { scrubDefinition } from "../../pii/stage.js";
import { dedupDefinition } from "../../dedup/dedup-options.js";
import { tokenizeDefinition } from "../../shard/tokenize-options.js";

/** The built-in stages, in the order the docs list them. */
export const BUILTIN_STAGES = [normalizeDefinition, filterDefinition, scrubDefinition, dedupDefinition, tokenizeDefinition] as const;

export function builtinStage(name: string): StageDefinition | undefined {
  return (BUILTIN_STAGES as readonly StageDefinition[]).find((d) => d.name === name);
}

/** The config entry of a user's stage module. */
export interface ModuleStageEntry {
  stage: "module";
  import: string;
  name?: string | undefined;
  options: Record<string, unknown>;
}

/** A config stage entry as the engine sees it: a built-in's options, or a module. */
export type StageEntry = { stage: string } & Record<string, unknown>;

export class StageModuleError extends Error {}

/**
 * Where a module stage's `import` points, fixed for the plan: a path (relative to `baseDir`)
 * becomes a file URL; a package name is resolved from `baseDir` as Node would from there.
 */
export function resolveStageImport(spec: string, baseDir: string): string {
  if (spec.startsWith("file:")) return spec;
  if (spec.startsWith(".") || path.isAbsolute(spec)) {
    const file = path.resolve(baseDir, spec);
    if (!existsSync(file)) throw new StageModuleError(`stage module ${spec} not found (looked for ${file}); paths are relative to the working directory`);
    return pathToFileURL(file).href;
  }
  try {
    return pathToFileURL(createRequire(path.join(baseDir, "package.json")).resolve(spec)).href;
  } catch {
    throw new StageModuleError(`stage module package "${spec}" cannot be found from ${baseDir}; install it there or give a path starting with ./`);
  }
}

type StageFactory = (options: Record<string, unknown>) => Stage | Promise<Stage>;

async function loadFactory(url: string): Promise<StageFactory> {
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (err) {
    throw new StageModuleError(`stage module ${url} failed to load: ${(err as Error).message}`);
  }
  if (typeof mod.default !== "function") {
    throw new StageModuleError(`stage module ${url} must default-export a stage factory, (options) => (docs, stats) => docs`);
  }
  return mod.default as StageFactory;
}

function moduleStageName(entry: ModuleStageEntry, stage: Stage): string {
  const fromStage = (stage as Stage & { stageName?: unknown }).stageName;
  if (entry.name) return entry.name;
  if (typeof fromStage === "string" && fromStage) return fromStage;
  return path.basename(new URL(entry.import).pathname).replace(/\.[cm]?[jt]s$/, "");
}

async function buildModuleStage(entry: ModuleStageEntry): Promise<NamedStage> {
  const factory = await loadFactory(entry.import);
  const stage = await factory(entry.options);
  if (typeof stage !== "function") throw new StageModuleError(`stage module ${entry.import}: its factory must return a stage function (docs, stats) => docs`);
  return { name: moduleStageName(entry, stage), run: stage };
}

/** Builds the per-document stages of a config for one task. */
export async function buildStages(entries: readonly StageEntry[], context: StageContext): Promise<NamedStage[]> {
  const out: NamedStage[] = [];
  for (const entry of entries) {
    if (entry.stage === "module") {
      out.push(await buildModuleStage(entry as unknown as ModuleStageEntry));
      continue;
    }
    const def = builtinStage(entry.stage);
    if (!def?.create) throw new Error(`${entry.stage} is not a per-document stage`);
    const { stage: _stage, ...options } = entry;
    out.push({ name: def.name, run: def.create(def.options.parse(options), context) });
  }
  return out;
}

/**
 * Checks module stages before any work: each loads, its factory accepts the options, and no two
 * stages report under one name. Returns the entries with imports resolved for the plan.
 */
export async function resolveModuleStages<T extends StageEntry>(entries: readonly T[], baseDir: string): Promise<T[]> {
  const out: T[] = [];
  const names = new Map<string, number>();
  for (const [i, entry] of entries.entries()) {
    let name = entry.stage;
    if (entry.stage !== "module") {
      out.push(entry);
    } else {
      const m = entry as unknown as ModuleStageEntry;
      try {
        const resolved = { ...m, import: resolveStageImport(m.import, baseDir) };
        name = (await buildModuleStage(resolved)).name;
        out.push(resolved as unknown as T);
      } catch (err) {
        throw new StageModuleError(`stages[${i}]: ${(err as Error).message}`);
      }
    }
    const twin = names.get(name);
    if (twin !== undefined) {
      throw new StageModuleError(`stages[${i}]: a stage named "${name}" is already stages[${twin}]; give the module stage a "name" of its own (statistics are kept per name)`);
    }
    names.set(name, i);
  }
  return out;
}
