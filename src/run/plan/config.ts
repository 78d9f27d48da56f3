/**
 * The pipeline config of `korpipe run`: inputs, output directory and the stages in order, validated
 * up front so that a typo stops the run before any work, with the key it concerns.
 */
import { readFile } from "node:fs/promises";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { DEFAULT_MAX_DOC_BYTES } from "../../stages/read.js";
import { stageEntrySchema } from "../../stages/registry.js";
import { normalizeDefinition } from "../../stages/normalize.js";
import { filterDefinition } from "../../stages/quality-filter.js";
import { scrubDefinition } from "../../pii/stage.js";
import { dedupDefinition } from "../../dedup/dedup-options.js";
import { tokenizeDefinition } from "../../shard/tokenize-options.js";
import { DEFAULT_BANDING } from "../../dedup/minhash/lsh-params.js";
import { PRESETS } from "../../stages/quality/options.js";
import { defaultTaskCount } from "./tasks.js";
import os from "node:os";

const ReadConfig = z
  .object({
    textKey: z.string().min(1).default("text"),
    idKey: z.string().min(1).default("id"),
    txtMode: z.enum(["line", "paragraph"]).default("line"),
    jsonPath: z.string().min(1).optional(),
    maxDocBytes: z.number().int().positive().default(DEFAULT_MAX_DOC_BYTES),
    keepRejectedText: z.boolean().default(false),
  })
  .strict();

// Each built-in stage declares its options beside its code (src/stages/registry.ts).
const NormalizeStage = stageEntrySchema(normalizeDefinition);
const FilterStage = stageEntrySchema(filterDefinition);
const ScrubStage = stageEntrySchema(scrubDefinition);
const DedupStage = stageEntrySchema(dedupDefinition);
const TokenizeStage = stageEntrySchema(tokenizeDefinition);

/** A user's stage: a module whose default export is a stage factory (docs/stages.md). */
const ModuleStage = z
  .object({
    stage: z.literal("module"),
    /** A path (relative to the working directory) or a package name. */
    import: z.string().min(1),
    /** The name it reports under; defaults to the stage's own `stageName`, else the file name. */
    name: z
      .string()
      .regex(/^[\w.:-]+$/, "letters, digits, _ . : - only")
      .optional(),
    /** Handed to the module's factory as they are. */
    options: z.record(z.unknown()).default({}),
  })
  .strict();

export const StageConfig = z.discriminatedUnion("stage", [NormalizeStage, FilterStage, ScrubStage, DedupStage, TokenizeStage, ModuleStage]);

export const PipelineConfig = z
  .object({
    /** Files, directories or globs, relative to the working directory. */
    inputs: z.array(z.string().min(1)).min(1),
    output: z.string().min(1),
    read: ReadConfig.default({}),
    stages: z.array(StageConfig).min(1),
    /** JSONL output compression when the pipeline does not tokenize. */
    compression: z.enum(["none", "gzip", "zstd"]).default("none"),
    /** How many tasks the inputs are split into (default: 2 per core, at most one per file). */
    tasks: z.number().int().positive().optional(),
    /** Keep every intermediate file under OUTPUT/.korpipe/work (default: delete each once no later phase needs it). */
    keepWork: z.boolean().default(false),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const names = cfg.stages.map((s) => s.stage);
    for (const once of ["dedup", "tokenize"] as const) {
      const at = names.indexOf(once);
      if (at >= 0 && names.indexOf(once, at + 1) >= 0) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["stages", names.indexOf(once, at + 1)], message: `only one ${once} stage is allowed` });
      }
    }
    // Prepare spills every document to the work directory for dedup; text there must already be scrubbed.
    const dedupAt = names.indexOf("dedup");
    const lateScrub = names.findIndex((n, i) => n === "scrub" && dedupAt >= 0 && i > dedupAt);
    if (lateScrub >= 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["stages", lateScrub],
        message:
          "scrub comes after dedup, so every document would be stored on disk between phases with its personal information; " +
          "move the scrub stage before dedup (dedup then compares scrubbed text, which changes only the numbers)",
      });
    }
    const tok = names.indexOf("tokenize");
    if (tok >= 0 && tok !== names.length - 1) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["stages", tok], message: "tokenize must be the last stage" });
    }
  });

export type PipelineConfig = z.infer<typeof PipelineConfig>;
export type StageConfig = z.infer<typeof StageConfig>;
export type DedupStageConfig = z.infer<typeof DedupStage>;
export type TokenizeStageConfig = z.infer<typeof TokenizeStage>;
export type ModuleStageConfig = z.infer<typeof ModuleStage>;

export class ConfigError extends Error {}

function formatPath(path: (string | number)[]): string {
  return path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), "");
}

/** Validates a parsed config; errors name the key, e.g. `stages[2].minChars: Expected number`. */
export function parsePipelineConfig(raw: unknown, source = "config"): PipelineConfig {
  const r = PipelineConfig.safeParse(raw);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => {
    const where = formatPath(i.path as (string | number)[]) || "(top level)";
    const msg = i.code === z.ZodIssueCode.unrecognized_keys ? `unknown key(s) ${i.keys.map((k) => `"${k}"`).join(", ")}` : i.message;
    return `${source}: ${where}: ${msg}`;
  });
  throw new ConfigError(lines.join("\n"));
}

const isYaml = (file: string) => /\.ya?ml$/i.test(file);

/** Parses a config file's text: YAML for .yaml/.yml, JSON otherwise. Errors name the line, never quote the file. */
function parseConfigText(file: string, text: string): unknown {
  if (isYaml(file)) {
    // prettyErrors would quote the offending line; the position alone is enough and leaks nothing.
    const lines = new LineCounter();
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
    const err = doc.errors[0];
    if (err) {
      const pos = lines.linePos(err.pos[0]);
      const where = ` at line ${pos.line}, column ${pos.col}`;
      throw new ConfigError(`${file}: not valid YAML${where} (${err.code})`);
    }
    return doc.toJS();
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file}: not valid JSON (${(err as Error).message}); configs ending in .yaml or .yml are read as YAML`);
  }
}

export async function loadPipelineConfig(file: string): Promise<PipelineConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new ConfigError(`${file}: cannot read the config file; give the path of a pipeline config, JSON or YAML (see korpipe run --print-config)`);
  }
  return parsePipelineConfig(parseConfigText(file, text), file);
}

/** An example config with every default filled in, for --print-config: only inputs, output and tokenizer are chosen. */
export function exampleConfig(): PipelineConfig {
  const config = parsePipelineConfig({
    inputs: ["data/"],
    output: "out/pipeline",
    stages: [{ stage: "normalize" }, { stage: "filter" }, { stage: "scrub" }, { stage: "dedup" }, { stage: "tokenize", tokenizer: "tokenizer.json" }],
  });
  // Options whose default is derived rather than fixed are shown with the value they take here.
  const stages = config.stages.map((s) => {
    if (s.stage === "dedup") return { ...s, bands: s.bands ?? DEFAULT_BANDING.bands, rows: s.rows ?? DEFAULT_BANDING.rows };
    // The filter's rule values come from its preset: shown, so a user sees what each rule does by default.
    if (s.stage === "filter") return { ...s, ...PRESETS[s.preset], ...Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) };
    return s;
  });
  return { ...config, stages, tasks: config.tasks ?? defaultTaskCount(os.availableParallelism()) };
}

/**
 * Every privacy-token spec the tokenizer must know: each scrub stage's (what it actually writes
 * into the text) and the tokenize stage's own, so a preset named on tokenize cannot hide a scrub
 * stage that emits other tokens.
 */
export function privacyTokenSpecs(config: PipelineConfig): { where: string; spec: string }[] {
  const specs: { where: string; spec: string }[] = [];
  config.stages.forEach((s, i) => {
    if (s.stage === "scrub") specs.push({ where: `stages[${i}] (scrub)`, spec: s.privacyTokens });
    if (s.stage === "tokenize" && s.privacyTokens !== undefined) specs.push({ where: `stages[${i}].privacyTokens`, spec: s.privacyTokens });
  });
  return specs;
}
