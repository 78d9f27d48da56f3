import type { Command } from "commander";
import { normalize } from "../stages/normalize.js";
import { DEFAULT_QUALITY_FILTER, qualityFilter, type QualityFilterOptions } from "../stages/quality-filter.js";
import type { NamedStage } from "../types.js";
import { addInputOptions, addOutputOptions, parsePositiveInt, parseRatio, runStreamCommand, writeOptionsFrom, INPUTS_HELP } from "./common.js";

export function qualityFilterOptionsFrom(o: Record<string, unknown>): QualityFilterOptions {
  return {
    minChars: o.minChars as number,
    minHangulRatio: o.minHangulRatio as number,
    maxRepeatedLineRatio: o.maxRepeatedLineRatio as number,
  };
}

export function addQualityFilterOptions(cmd: Command): Command {
  const d = DEFAULT_QUALITY_FILTER;
  return cmd
    .option("--min-chars <n>", "drop documents shorter than this many characters (reason too_short)", parsePositiveInt("--min-chars"), d.minChars)
    .option("--min-hangul-ratio <r>", "drop documents with a smaller share of Hangul among non-space characters (reason low_hangul_ratio; 0 turns it off)", parseRatio("--min-hangul-ratio"), d.minHangulRatio)
    .option("--max-repeated-line-ratio <r>", "drop documents with a larger share of lines repeating an earlier line (reason repeated_lines; 1 turns it off)", parseRatio("--max-repeated-line-ratio"), d.maxRepeatedLineRatio);
}

export function register(program: Command): void {
  const cmd = program
    .command("clean")
    .summary("normalize and quality-filter documents")
    .description(
      "Normalize (NFC, spaces, control and zero-width characters) and quality-filter documents, writing JSONL\n" +
        "that mirrors the input file names under -o DIR, plus DIR/stats.json, DIR/rejects.jsonl and DIR/filtered.jsonl.\n" +
        "Exit status: 0 all good, 3 finished with rejected records or unreadable files, 1 failure.",
    )
    .argument("<inputs...>", INPUTS_HELP);
  addInputOptions(cmd);
  addOutputOptions(cmd);
  addQualityFilterOptions(cmd);
  cmd.action(async (inputs: string[], opts: Record<string, unknown>) => {
    const filterOptions = qualityFilterOptionsFrom(opts);
    const stages: NamedStage[] = [
      { name: "normalize", run: (docs, stats) => normalize(docs, {}, stats) },
      { name: "filter", run: (docs, stats) => qualityFilter(docs, filterOptions, stats) },
    ];
    process.exitCode = await runStreamCommand({ command: "clean", inputs, cliOptions: opts, reportDir: opts.output as string, stages, output: writeOptionsFrom(opts) });
  });
}
