/**
 * The korpipe command line: builds the program from each command's module and turns errors into
 * one-line messages with the right exit status.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { EXIT_FAILURE } from "./common.js";
import { RunRefusedError } from "../run/refused.js";
import { isFileSystemError, WriteError, writeErrorFor } from "../io/write-error.js";
import * as clean from "./clean.js";
import * as scrub from "./scrub.js";
import * as evalPii from "./eval-pii.js";
import * as dedup from "./dedup.js";
import * as tokenize from "./tokenize.js";
import * as merge from "./merge.js";
import * as inspect from "./inspect.js";
import * as trainTokenizer from "./train-tokenizer.js";
import * as run from "./run.js";
import * as status from "./status.js";
import * as runTask from "./run-task.js";
import * as plan from "./plan.js";

type CommandModule = { register(program: Command): void };

/** In the order --help lists them: the whole pipeline first, then each stage on its own. */
const COMMANDS: CommandModule[] = [run, plan, status, clean, scrub, dedup, tokenize, merge, inspect, trainTokenizer, evalPii, runTask];

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    return pkg.version;
  } catch {
    return "unknown";
  }
}

export function buildProgram(): Command {
  const program = new Command("korpipe")
    .description("Prepare a Korean pretraining corpus for GPT-NeoX: clean, scrub personal information, deduplicate, tokenize into .bin/.idx shards.")
    .version(version())
    .showHelpAfterError("(add --help for usage)")
    .showSuggestionAfterError();
  for (const mod of COMMANDS) mod.register(program);
  return program;
}

/** The -o of the command being run, to name where a write failed when the error itself does not. */
function outputOf(program: Command, argv: string[]): string {
  const name = argv.slice(2).find((a) => !a.startsWith("-"));
  const output = program.commands.find((c) => c.name() === name)?.opts().output;
  return typeof output === "string" ? output : "the output";
}

export async function main(argv: string[]): Promise<void> {
  // korpipe spreads work over its own worker threads and tasks; the tokenizer's Rust thread pool on
  // top would oversubscribe the cores. Set before any thread starts, so the whole process sees it.
  process.env.TOKENIZERS_PARALLELISM ??= "false";
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof RunRefusedError) {
      process.stderr.write(`korpipe: error: ${err.message}\n`);
    } else {
      const e = err as Error;
      // A file-system failure that no module wrapped still gets the one-line form naming its path.
      const message = isFileSystemError(e) && !(e instanceof WriteError) ? writeErrorFor(e.path ?? outputOf(program, argv), e).message : e.message;
      process.stderr.write(`korpipe: error: ${message}\n`);
      if (process.env.KORPIPE_DEBUG) process.stderr.write(`${e.stack}\n`);
    }
    process.exitCode = EXIT_FAILURE;
  }
}
