import { writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./cli.js";

/** Every file a run of samplePipeline writes that must not depend on where its tasks ran. */
export const SAMPLE_PIPELINE_OUTPUTS = ["corpus_text_document.bin", "corpus_text_document.idx", "duplicates.jsonl", "rejects.jsonl", "filtered.jsonl"];

/**
 * Writes DIR/pipeline.json: every stage over samples/corpus into DIR/out; returns its path.
 * `dedup` adds options to the dedup stage (fewer bands make fewer dedup-pairs tasks).
 */
export function samplePipeline(dir: string, dedup: Record<string, unknown> = {}): string {
  const file = path.join(dir, "pipeline.json");
  writeFileSync(
    file,
    JSON.stringify({
      inputs: [path.join(ROOT, "samples/corpus")],
      output: path.join(dir, "out"),
      read: { jsonPath: "data.*.paragraphs.*.context" },
      stages: [{ stage: "normalize" }, { stage: "filter" }, { stage: "scrub" }, { stage: "dedup", ...dedup }, { stage: "tokenize", tokenizer: path.join(ROOT, "samples/tokenizer.json") }],
    }),
  );
  return file;
}
