/**
 * The tokenize stage's config entry: the last stage of a pipeline, carried out by the run's
 * finalize phase. This module only declares its options and their defaults.
 */
import { z } from "zod";
import { defineStage } from "../stages/registry.js";
import { tokenizeReport } from "./report-section.js";

export const TokenizeStageOptionsSchema = z.object({
  tokenizer: z.string().min(1).describe("a Hugging Face tokenizer.json"),
  prefix: z
    .string()
    .regex(/^[\w.-]+$/, "letters, digits, _ . - only")
    .default("corpus")
    .describe("output dataset name: OUTPUT/PREFIX_text_document.bin/.idx"),
  eod: z.boolean().default(true).describe("append the end-of-document token to every document"),
  eodToken: z.string().min(1).optional().describe("the end-of-document token (default <|endoftext|>)"),
  privacyTokens: z.string().optional().describe("checked against the tokenizer before any work; defaults to the scrub stage's tokens"),
  batchSize: z.number().int().positive().optional().describe("documents per encode batch"),
});

export const tokenizeDefinition = defineStage({
  name: "tokenize",
  kind: "tokenize",
  description: "Hugging Face tokenizer.json → GPT-NeoX mmap .bin/.idx shards",
  options: TokenizeStageOptionsSchema,
  report: tokenizeReport,
});
