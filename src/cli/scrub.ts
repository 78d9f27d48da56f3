import { InvalidArgumentError, type Command } from "commander";
import { PII_TYPES, parsePrivacyTokens, type PiiType } from "../pii/privacy-tokens.js";
import { addInputOptions, addOutputOptions, INPUTS_HELP } from "./common.js";
import { addEngineOptions, runCommand } from "./engine.js";

/** Checked here, passed on as written: the stage's config takes the spec. */
function privacyTokensOption(value: string): string {
  try {
    parsePrivacyTokens(value);
    return value;
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function typesOption(value: string): PiiType[] {
  const types = value.split(",").map((t) => t.trim());
  for (const t of types) {
    if (!(PII_TYPES as readonly string[]).includes(t)) throw new InvalidArgumentError(`unknown type "${t}"; choose from ${PII_TYPES.join(", ")}`);
  }
  return types as PiiType[];
}

export function register(program: Command): void {
  const cmd = program
    .command("scrub")
    .summary("replace Korean personal information with privacy tokens")
    .description(
      "Replace resident registration numbers, phone numbers and bank account numbers with privacy tokens (<|rrn|>, <|tell|>, <|acc|> by default), also when written in number words (공일공), look-alike letters (O1O), spaced or keycap digits, with invisible characters or a spelt hyphen inside, or given context only by a table header, a neighbouring cell or a JSON field. Writes JSONL mirroring the input file names under -o DIR, plus DIR/stats.json (counts per type as pii.rrn, pii.tell, pii.acc; never the values), DIR/rejects.jsonl and DIR/report.html. The rules are in docs/pii.md. Runs as tasks on --workers threads; run again after a kill to resume (korpipe status DIR shows progress; --force starts over).\n\nExit status: 0 all good, 3 finished with rejected records or unreadable files, 1 failure.",
    )
    .argument("<inputs...>", INPUTS_HELP);
  addInputOptions(cmd);
  addOutputOptions(cmd);
  cmd
    .option(
      "--privacy-tokens <spec>",
      "the replacement tokens: a preset (default, polyglot-ko = <|rrn|>, <|tel|>, <|acc|>) or a list rrn=…,tell=…,acc=…",
      privacyTokensOption,
    )
    .option("--types <list>", `which kinds to replace, comma-separated (default ${PII_TYPES.join(",")})`, typesOption);
  addEngineOptions(cmd);
  cmd.action(async (inputs: string[], opts: Record<string, unknown>) => {
    const stage = { stage: "scrub", ...(opts.privacyTokens !== undefined ? { privacyTokens: opts.privacyTokens } : {}), ...(opts.types !== undefined ? { types: opts.types } : {}) };
    process.exitCode = await runCommand("scrub", inputs, opts, [stage]);
  });
}
