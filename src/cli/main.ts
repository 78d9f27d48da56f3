/**
 * The korpipe command line: builds the program from each command's module and turns errors into
 * one-line messages with the right exit status.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { EXIT_FAILURE, UsageError } from "./common.js";

type CommandModule = { register(program: Command): void };

// Each command lives in its own module; a module that is missing from a partial build is skipped.
const COMMANDS = ["clean", "scrub", "eval-pii", "dedup", "tokenize", "merge", "inspect", "train-tokenizer", "run", "status"];

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    return pkg.version;
  } catch {
    return "unknown";
  }
}

export async function buildProgram(): Promise<Command> {
  const program = new Command("korpipe")
    .description("Prepare a Korean pretraining corpus for GPT-NeoX: clean, scrub personal information, deduplicate, tokenize into .bin/.idx shards.")
    .version(version())
    .showHelpAfterError("(add --help for usage)")
    .showSuggestionAfterError();
  for (const name of COMMANDS) {
    let mod: CommandModule;
    try {
      mod = (await import(`./${name}.js`)) as CommandModule;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" && String((err as Error).message).includes(`${name}.js`)) continue;
      throw err;
    }
    mod.register(program);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`korpipe: error: ${err.message}\n`);
    } else {
      const e = err as Error;
      process.stderr.write(`korpipe: error: ${e.message}\n`);
      if (process.env.KORPIPE_DEBUG) process.stderr.write(`${e.stack}\n`);
    }
    process.exitCode = EXIT_FAILURE;
  }
}
