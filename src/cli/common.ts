/**
 * What every korpipe command shares: input/output flags and how they become read and write options.
 * The pass over the inputs itself (CommandRun) is the run engine's, in run/command-run.ts.
 */
import { InvalidArgumentError, Option, type Command } from "commander";
import { DEFAULT_MAX_DOC_BYTES, type ReadOptions } from "../stages/read.js";
import { RunRefusedError } from "../run/refused.js";
/** The inputs argument's help, the same for every command that reads a corpus. */
export const INPUTS_HELP = "files, directories or globs: .jsonl, .json (with --json-path), .txt, each optionally .gz or .zst, and .parquet";

export { EXIT_OK, EXIT_FAILURE, EXIT_REJECTS, CommandRun, resolveCommandInputs } from "../run/command-run.js";
export type { CommandRunOptions } from "../run/command-run.js";

/** A mistake in how korpipe was called; printed on one line, exit status 1. */
export class UsageError extends RunRefusedError {}

export function parsePositiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${flag} takes a positive whole number, got "${value}"`);
    return n;
  };
}

export function parseRatio(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`${flag} takes a number from 0 to 1, got "${value}"`);
    return n;
  };
}

/** Byte sizes like 64MiB, 500kB, 1048576. */
export function parseByteSize(flag: string) {
  return (value: string): number => {
    const m = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?$/i.exec(value.trim());
    if (!m) throw new InvalidArgumentError(`${flag} takes a size like 64MiB or 1048576, got "${value}"`);
    const unit = (m[2] ?? "b").toLowerCase();
    const mult: Record<string, number> = { b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 };
    return Math.floor(Number(m[1]) * mult[unit]!);
  };
}

export function addInputOptions(cmd: Command): Command {
  return cmd
    .option("--text-key <key>", "JSON field (or Parquet column) holding the document text", "text")
    .option("--id-key <key>", "JSON field (or Parquet column) holding the document id; documents without one get FILE:LINE", "id")
    .addOption(
      new Option("--txt-mode <mode>", ".txt files: one document per line, or per blank-line-separated paragraph").choices(["line", "paragraph"]).default("line"),
    )
    .option("--json-path <selector>", "read .json files as one nested document and take the values at this dot path, * = any key or index (e.g. 'data.*.paragraphs.*.context')")
    .option("--max-doc-bytes <size>", "reject documents whose text is larger than this (e.g. 64MiB)", parseByteSize("--max-doc-bytes"), DEFAULT_MAX_DOC_BYTES)
    .option("--keep-rejected-text", "copy the raw input line into rejects.jsonl (off by default: it may hold personal information)", false)
    .option("--no-progress", "do not print progress on stderr");
}

export function addOutputOptions(cmd: Command): Command {
  return cmd
    .requiredOption(
      "-o, --output <dir>",
      "output directory (JSONL files mirroring the input names, stats.json, rejects.jsonl); refused if it is or holds an input, left out of the inputs if inside one; one korpipe at a time (DIR/.korpipe.lock)",
    )
    .addOption(new Option("--compression <kind>", "compress output files").choices(["none", "gzip", "zstd"]).default("none"));
}

export function readOptionsFrom(cliOptions: Record<string, unknown>): ReadOptions {
  return {
    textKey: (cliOptions.textKey as string | undefined) ?? "text",
    idKey: (cliOptions.idKey as string | undefined) ?? "id",
    txtMode: (cliOptions.txtMode as "line" | "paragraph" | undefined) ?? "line",
    jsonPath: cliOptions.jsonPath as string | undefined,
    maxDocBytes: (cliOptions.maxDocBytes as number | undefined) ?? DEFAULT_MAX_DOC_BYTES,
    keepRejectedText: Boolean(cliOptions.keepRejectedText),
  };
}

/** How a command reads its inputs and whether it shows progress, from its flags. */
export function readFlags(cliOptions: Record<string, unknown>): { readOptions: ReadOptions; showProgress: boolean } {
  return { readOptions: readOptionsFrom(cliOptions), showProgress: cliOptions.progress !== false };
}
