import { readFile } from "node:fs/promises";
import path from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { filterDefinition, optionHelp } from "../stages/quality-filter.js";
import { declaredDefault } from "../stages/registry.js";
import { OPTION_SPECS, QUALITY_PRESETS, type QualityFilterOptions, type QualityPreset, type QualitySettings } from "../stages/quality/options.js";
import type { RunStatsJSON } from "../stats/run-stats.js";
import { addInputOptions, addOutputOptions, parseRatio, INPUTS_HELP } from "./common.js";
import { addEngineOptions, runCommand } from "./engine.js";
import { formatFilterExplanation } from "./explain-filters.js";

const QUALITY_KEYS = Object.keys(OPTION_SPECS) as (keyof QualitySettings)[];
const flagOf = (key: string) => "--" + key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());

function parseNonNegative(flag: string, whole: boolean) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || (whole && !Number.isInteger(n))) throw new InvalidArgumentError(`${flag} takes a ${whole ? "whole " : ""}number of 0 or more, got "${value}"`);
    return n;
  };
}

function parsePreset(value: string): QualityPreset {
  if (!(QUALITY_PRESETS as readonly string[]).includes(value)) throw new InvalidArgumentError(`--preset takes one of ${QUALITY_PRESETS.join(", ")}, got "${value}"`);
  return value as QualityPreset;
}

/** The filter's options as given on the command line: the preset and only the rule keys the user set. */
export function qualityFilterOptionsFrom(o: Record<string, unknown>): QualityFilterOptions {
  const out: QualityFilterOptions = { preset: o.preset as QualityPreset };
  for (const key of QUALITY_KEYS) if (o[key] !== undefined) (out as Record<string, unknown>)[key] = o[key];
  return out;
}

/** `--preset` and one flag per rule, each defaulting to the preset's value (see docs/quality.md). */
export function addQualityFilterOptions(cmd: Command): Command {
  cmd.option("--preset <name>", `quality rules: korean-web (every rule, the default) or basic (length, Hangul share, repeated lines only)`, parsePreset, declaredDefault(filterDefinition, "preset") as QualityPreset);
  for (const key of QUALITY_KEYS) {
    const flag = flagOf(key);
    const { kind } = OPTION_SPECS[key];
    if (kind === "switch") {
      cmd.option(flag, optionHelp(key));
      cmd.option(`--no-${flag.slice(2)}`, `turn ${flag} off`);
      continue;
    }
    const parse = kind === "share" ? parseRatio(flag) : parseNonNegative(flag, kind === "count");
    cmd.option(`${flag} <${kind === "count" ? "n" : "x"}>`, optionHelp(key), parse);
  }
  return cmd;
}

export function register(program: Command): void {
  const cmd = program
    .command("clean")
    .summary("normalize and quality-filter documents")
    .description(
      "Normalize (NFC, spaces, control and zero-width characters), cut boilerplate lines and news tails, and drop documents by Korean quality rules (preset korean-web; docs/quality.md explains each rule and threshold). Writes JSONL mirroring the input file names under -o DIR, plus DIR/stats.json, DIR/rejects.jsonl, DIR/filtered.jsonl and DIR/report.html. --explain prints per reason a count and a few example ids. Runs as tasks on --workers threads; run again after a kill to resume (korpipe status DIR shows progress; --force starts over).\n\nExit status: 0 all good, 3 finished with rejected records or unreadable files, 1 failure.",
    )
    .argument("<inputs...>", INPUTS_HELP);
  addInputOptions(cmd);
  addOutputOptions(cmd);
  addQualityFilterOptions(cmd);
  addEngineOptions(cmd);
  cmd.option("--explain", "after the run, print each filter reason with its count, share and up to 3 example ids (never text), and the lines cut per rule");
  cmd.action(async (inputs: string[], opts: Record<string, unknown>) => {
    const reportDir = opts.output as string;
    process.exitCode = await runCommand("clean", inputs, opts, [{ stage: "normalize" }, { stage: "filter", ...qualityFilterOptionsFrom(opts) }]);
    if (opts.explain) {
      const run = JSON.parse(await readFile(path.join(reportDir, "stats.json"), "utf8")) as RunStatsJSON;
      process.stdout.write(formatFilterExplanation(run));
    }
  });
}
