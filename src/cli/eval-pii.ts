import { readFile } from "node:fs/promises";
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

async function readCases(file: string): Promise<LabelledCase[]> {
  let content: string;
  try {
    content = await readFile(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const cases: LabelledCase[] = [];
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
  });
  return cases;
}

export function register(program: Command): void {
  program
    .command("eval-pii")
    .summary("score the PII scrubber on labelled cases")
    .description(
      'Scrub each labelled case (JSONL, one {"text", "expected"} per line, "expected" being the text with privacy\n' +
        "tokens in place of the personal information; optional \"spans\": [{type, start, end}]) and print recall,\n" +
        "precision and exact-match per type, and how many look-alikes (cases with nothing to replace) were changed.\n" +
        "Recall counts labelled information that is gone whatever token replaced it; exact needs the same span and type.\n" +
        "Exit status: 0, or 1 when a type's recall is below --min-recall or a look-alike was changed with --fail-on-destroyed.",
    )
    .argument("<fixtures...>", "labelled JSONL files")
    .option("--privacy-tokens <spec>", "the tokens the expected texts use (as for 'korpipe scrub')", privacyTokensOption)
    .option("--min-recall <r>", "fail when any type's recall is below this (0 to 1)", parseRatio("--min-recall"))
    .option("--fail-on-destroyed", "fail when any look-alike is changed")
    .option("--json", "print the report as JSON")
    .action(async (files: string[], opts: Record<string, unknown>) => {
      const cases: LabelledCase[] = [];
      for (const f of files) cases.push(...(await readCases(f)));
      const scrubber = new Scrubber({ tokens: opts.privacyTokens as PrivacyTokens | undefined });
      let report;
      try {
        report = evaluateCases(cases, scrubber);
      } catch (err) {
        throw new UsageError(`${(err as Error).message}; fix the fixture (or pass the tokens it uses with --privacy-tokens)`);
      }
      if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
      else {
        process.stdout.write(formatEvalReport(report) + "\n");
        for (const m of report.mismatches) {
          // Positions and labels only: the cases may hold real personal information.
          process.stdout.write(`  case ${m.index + 1}${m.kind ? ` [${m.kind}]` : ""}${m.note ? ` ${m.note}` : ""}: ${m.destroyed ? "look-alike changed" : "output differs from expected"}\n`);
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
