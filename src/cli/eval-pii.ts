import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { InvalidArgumentError, type Command } from "commander";
import { evaluateCases, formatEvalReport, type LabelledCase } from "../pii/evaluate.js";
import { PII_TYPES, parsePrivacyTokens, type PrivacyTokens } from "../pii/privacy-tokens.js";
import { Scrubber } from "../pii/scrub.js";
import { EXIT_FAILURE, EXIT_OK, parseRatio, UsageError } from "./common.js";

function privacyTokensOption(value: string): PrivacyTokens {
  try {
    return parsePrivacyTokens(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** The cases of one file, each with where it came from ("file:line"). */
async function readCases(file: string): Promise<{ cases: LabelledCase[]; where: string[] }> {
  let content: string;
  try {
    content = await readFile(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const cases: LabelledCase[] = [];
  const where: string[] = [];
  content.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let c: unknown;
    try {
      c = JSON.parse(line);
    } catch {
      throw new UsageError(`${file}:${i + 1}: not valid JSON; each line must be {"text": ..., "expected": ...}`);
    }
    const o = c as Partial<LabelledCase>;
    if (typeof o.text !== "string" || typeof o.expected !== "string") {
      throw new UsageError(`${file}:${i + 1}: needs string fields "text" and "expected" (the text as it should read after scrubbing)`);
    }
    cases.push(o as LabelledCase);
    where.push(`${file}:${i + 1}`);
  });
  return { cases, where };
}

/**
 * The project's own labelled fixtures, shipped in the npm package (package.json "files"): found
 * from this module's place in dist/cli/, so they run from an install as from a checkout.
 */
export const BUILTIN_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../test/fixtures/pii");

function builtinFixtureFiles(): string[] {
  let names: string[];
  try {
    names = readdirSync(BUILTIN_FIXTURES).filter((f) => f.endsWith(".jsonl"));
  } catch {
    names = [];
  }
  if (names.length === 0) throw new UsageError(`no built-in fixtures in ${BUILTIN_FIXTURES}; reinstall korpipe, or pass fixture files`);
  return names.sort().map((f) => path.join(BUILTIN_FIXTURES, f));
}

export function register(program: Command): void {
  program
    .command("eval-pii")
    .summary("score the PII scrubber on labelled cases")
    .description(
      'Scrub labelled cases (JSONL, one {"text", "expected"} per line, "expected"\n' +
        "being the text with privacy tokens where the personal information was;\n" +
        'optional "spans": [{type, start, end}]) and print recall, precision and\n' +
        "exact match per type, per class of case (the \"kind\" label), and how\n" +
        "many look-alikes (cases with nothing to replace) were changed. Recall\n" +
        "counts labelled information that is gone whatever token replaced it;\n" +
        "exact needs the same span and type. Mismatches\n" +
        "are listed by position and note, never by text. --builtin runs the\n" +
        "project's own fixtures (1,049 cases, shipped with the package).\n" +
        "Exit status: 0; 1 when a type's recall is below --min-recall, or a\n" +
        "look-alike was changed and --fail-on-destroyed is given.",
    )
    .argument("[fixtures...]", "labelled JSONL files")
    .option("--builtin", "also run the fixtures shipped with korpipe (test/fixtures/pii/*.jsonl)")
    .option("--privacy-tokens <spec>", "the tokens the expected texts use (as for 'korpipe scrub')", privacyTokensOption)
    .option("--min-recall <r>", "fail when any type's recall is below this (0 to 1)", parseRatio("--min-recall"))
    .option("--fail-on-destroyed", "fail when any look-alike is changed")
    .option("--json", "print the report as JSON")
    .action(async (files: string[], opts: Record<string, unknown>) => {
      if (opts.builtin) files = [...builtinFixtureFiles(), ...files];
      if (files.length === 0) throw new UsageError("give labelled JSONL files, or --builtin for the fixtures shipped with korpipe");
      const cases: LabelledCase[] = [];
      const where: string[] = [];
      for (const f of files) {
        const read = await readCases(f);
        cases.push(...read.cases);
        where.push(...read.where);
      }
      const scrubber = new Scrubber({ tokens: opts.privacyTokens as PrivacyTokens | undefined });
      let report;
      try {
        report = evaluateCases(cases, scrubber);
      } catch (err) {
        const message = (err as Error).message.replace(/^case (\d+)/, (_, n: string) => where[Number(n) - 1]!);
        throw new UsageError(`${message}; fix the fixture (or pass the tokens it uses with --privacy-tokens)`);
      }
      if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
      else {
        process.stdout.write(formatEvalReport(report) + "\n");
        for (const m of report.mismatches) {
          // Positions and labels only: the cases may hold real personal information.
          process.stdout.write(`  ${where[m.index]}${m.kind ? ` [${m.kind}]` : ""}${m.note ? ` ${m.note}` : ""}: ${m.destroyed ? "look-alike changed" : "output differs from expected"}\n`);
        }
      }
      const failures: string[] = [];
      const minRecall = opts.minRecall as number | undefined;
      if (minRecall !== undefined) {
        for (const t of PII_TYPES) {
          const r = report.perType[t].recall;
          if (r !== null && r < minRecall) failures.push(`${t} recall ${(r * 100).toFixed(2)}% is below ${(minRecall * 100).toFixed(2)}%`);
        }
      }
      if (opts.failOnDestroyed && report.lookalikesDestroyed > 0) failures.push(`${report.lookalikesDestroyed} look-alike(s) changed`);
      for (const f of failures) process.stderr.write(`korpipe eval-pii: ${f}\n`);
      process.exitCode = failures.length > 0 ? EXIT_FAILURE : EXIT_OK;
    });
}
