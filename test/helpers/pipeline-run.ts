import { readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./cli.js";

export const SAMPLE_TOKENIZER = path.join(ROOT, "samples/tokenizer.json");

/** Every stage, dedup included, over the sample corpus. */
export const FULL_STAGES = [{ stage: "normalize" }, { stage: "filter" }, { stage: "scrub" }, { stage: "dedup" }, { stage: "tokenize", tokenizer: SAMPLE_TOKENIZER }];

/** Writes DIR/pipeline.json over the sample corpus with output DIR/out; returns its path. */
export function samplePipeline(dir: string, overrides: Record<string, unknown> = {}): string {
  const config = {
    inputs: [path.join(ROOT, "samples/corpus")],
    output: path.join(dir, "out"),
    read: { jsonPath: "data.*.paragraphs.*.context" },
    stages: FULL_STAGES,
    ...overrides,
  };
  const file = path.join(dir, "pipeline.json");
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** Files under `dir`, relative, sorted. */
export function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => statSync(path.join(dir, f)).isFile()).sort();
}

/** Bytes of all files under `dir`. */
export function treeBytes(dir: string): number {
  return listFiles(dir).reduce((a, f) => a + statSync(path.join(dir, f)).size, 0);
}
