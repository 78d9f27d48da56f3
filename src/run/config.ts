/**
 * The pipeline config of `korpipe run`: inputs, output directory and the stages in order, validated
 * up front so that a typo stops the run before any work, with the key it concerns.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { DEFAULT_MAX_DOC_BYTES } from "../stages/read.js";
import { DEFAULT_QUALITY_FILTER } from "../stages/quality-filter.js";

const ratio = z.number().min(0).max(1);

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

const NormalizeStage = z.object({ stage: z.literal("normalize") }).strict();

const FilterStage = z
  .object({
    stage: z.literal("filter"),
    minChars: z.number().int().nonnegative().default(DEFAULT_QUALITY_FILTER.minChars),
    minHangulRatio: ratio.default(DEFAULT_QUALITY_FILTER.minHangulRatio),
    maxRepeatedLineRatio: ratio.default(DEFAULT_QUALITY_FILTER.maxRepeatedLineRatio),
  })
  .strict();

const ScrubStage = z
  .object({
    stage: z.literal("scrub"),
    /** A preset (`default`, `polyglot-ko`) or `rrn=…,tell=…,acc=…`. */
    privacyTokens: z.string().default("default"),
  })
  .strict();

const DedupStage = z
  .object({
    stage: z.literal("dedup"),
    bands: z.number().int().positive().optional(),
    rows: z.number().int().positive().optional(),
    shingle: z.string().regex(/^(word|char):\d+$/, "use word:N or char:N").default("word:5"),
    /** How candidate pairs are checked against the threshold: exact word n-gram Jaccard, the MinHash estimate, or not at all. */
    verify: z.enum(["exact", "estimate", "off"]).default("exact"),
    /** Jaccard similarity at or above which two documents count as near duplicates. */
    threshold: ratio.default(0.8),
    exactOnly: z.boolean().default(false),
    memoryMb: z.number().int().positive().default(1024),
  })
  .strict();

const TokenizeStage = z
  .object({
    stage: z.literal("tokenize"),
    tokenizer: z.string().min(1),
    /** Output dataset name: OUTPUT/PREFIX_text_document.bin/.idx. */
    prefix: z.string().regex(/^[\w.-]+$/, "letters, digits, _ . - only").default("corpus"),
    eod: z.boolean().default(true),
    eodToken: z.string().min(1).optional(),
    /** Checked against the tokenizer before any work; defaults to the scrub stage's tokens. */
    privacyTokens: z.string().optional(),
    batchSize: z.number().int().positive().optional(),
    /** auto: korpipe's own engine when it reproduces the tokenizer exactly, else Hugging Face tokenizers. */
    engine: z.enum(["auto", "fast", "hf"]).default("auto"),
  })
  .strict();

export const StageConfig = z.discriminatedUnion("stage", [NormalizeStage, FilterStage, ScrubStage, DedupStage, TokenizeStage]);

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
    const tok = names.indexOf("tokenize");
    if (tok >= 0 && tok !== names.length - 1) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["stages", tok], message: "tokenize must be the last stage" });
    }
  });

export type PipelineConfig = z.infer<typeof PipelineConfig>;
export type StageConfig = z.infer<typeof StageConfig>;
export type DedupStageConfig = z.infer<typeof DedupStage>;
export type TokenizeStageConfig = z.infer<typeof TokenizeStage>;

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

export async function loadPipelineConfig(file: string): Promise<PipelineConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new ConfigError(`${file}: cannot read the config file; give the path of a pipeline JSON (see korpipe run --print-config)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return parsePipelineConfig(raw, file);
}

/** An example config with every default filled in, for --print-config. */
export function exampleConfig(): PipelineConfig {
  return parsePipelineConfig({
    inputs: ["data/"],
    output: "out/pipeline",
    stages: [
      { stage: "normalize" },
      { stage: "filter" },
      { stage: "scrub", privacyTokens: "polyglot-ko" },
      { stage: "dedup" },
      { stage: "tokenize", tokenizer: "tokenizer.json" },
    ],
  });
}
