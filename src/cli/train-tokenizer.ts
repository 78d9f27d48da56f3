import type { Command } from "commander";
import { writeFileAtomic } from "../io/atomic-file.js";
import { PII_TYPES, parsePrivacyTokens } from "../pii/privacy-tokens.js";
import { trainTokenizer } from "../shard/train-tokenizer.js";
import type { Document } from "../types.js";
import { addInputOptions, CommandRun, parsePositiveInt, INPUTS_HELP, readFlags } from "./common.js";
import { privacyTokensSpec } from "./tokenize.js";

const fmt = (n: number) => n.toLocaleString("en-US");

/**
 * Progress of the merge phase, which follows reading and can take minutes: a line on stderr at
 * most every KORPIPE_PROGRESS_SECONDS (default 5), and at the end.
 */
function mergeProgress(enabled: boolean): ((size: number, target: number) => void) | undefined {
  if (!enabled) return undefined;
  const every = Number(process.env.KORPIPE_PROGRESS_SECONDS ?? 5) * 1000;
  let last = Date.now();
  return (size, target) => {
    const now = Date.now();
    if (now - last < every && size < target) return;
    last = now;
    process.stderr.write(`train-tokenizer: learning merges, vocabulary ${fmt(size)} / ${fmt(target)} (${Math.floor((100 * size) / target)}%)\n`);
  };
}

export function register(program: Command): void {
  const cmd = program
    .command("train-tokenizer")
    .summary("train a small byte-level BPE tokenizer.json on your text")
    .description(
      "Train a byte-level BPE tokenizer (NFC, no prefix space, like Polyglot-Ko's) on documents and write a Hugging Face " +
        "tokenizer.json with <|endoftext|> (id 0) and the privacy tokens (ids 1-3) as special tokens, ready for " +
        "'korpipe tokenize --tokenizer'. Meant for a start without a tokenizer of your own; word counts are kept " +
        "in memory, so train on a sample of a large corpus.\n\n" +
        "Reports go to OUTPUT.report/ (stats.json, rejects.jsonl) unless --report-dir says otherwise.\n" +
        "Exit status: 0 all good, 3 finished with rejected records or unreadable files, 1 failure.",
    )
    .argument("<inputs...>", INPUTS_HELP)
    .requiredOption("-o, --output <file>", "tokenizer.json to write")
    .requiredOption("--vocab-size <n>", "(required) vocabulary size, special tokens and the 256 byte tokens included, e.g. 30000", parsePositiveInt("--vocab-size"))
    .option("--min-frequency <n>", "never merge a pair seen fewer times than this", parsePositiveInt("--min-frequency"), 2)
    .option("--privacy-tokens <spec>", "privacy tokens to make special tokens: a preset (default, polyglot-ko) or rrn=…,tell=…,acc=…")
    .option("--no-privacy-tokens", "add no privacy tokens")
    .option("--report-dir <dir>", "where stats.json and rejects.jsonl go (default OUTPUT.report)");
  addInputOptions(cmd);
  cmd.action(async (inputs: string[], opts: Record<string, unknown>) => {
    const output = opts.output as string;
    const spec = privacyTokensSpec(opts.privacyTokens);
    const privacy = spec === undefined ? null : parsePrivacyTokens(spec);
    const specialTokens = privacy ? PII_TYPES.map((t) => privacy[t]) : [];
    const run = await CommandRun.open({
      command: "train-tokenizer",
      inputs,
      ...readFlags(opts),
      reportDir: (opts.reportDir as string | undefined) ?? `${output.replace(/\.json$/, "")}.report`,
    });
    let summary: string;
    try {
      const stats = run.stage("train");
      async function* counted(): AsyncGenerator<Document> {
        for await (const doc of run.documents()) {
          stats.in(doc);
          stats.out(doc);
          yield doc;
        }
      }
      const onMerge = mergeProgress(opts.progress !== false);
      const trained = await trainTokenizer(counted(), { vocabSize: opts.vocabSize as number, specialTokens, minFrequency: opts.minFrequency as number, ...(onMerge ? { onMerge } : {}) });
      stats.stop();
      await writeFileAtomic(output, trained.json);
      const { json: _json, ...section } = trained;
      run.section("train_tokenizer", { output, special_tokens: ["<|endoftext|>", ...specialTokens], ...section });
      summary = `  wrote ${output}: ${fmt(trained.vocabSize)} tokens (${fmt(trained.merges)} merges from ${fmt(trained.distinctWords)} distinct words)\n`;
      if (trained.vocabSize < (opts.vocabSize as number)) {
        summary += `  the text ran out of pairs seen ${opts.minFrequency} times or more before ${fmt(opts.vocabSize as number)} tokens; give more text or a lower --min-frequency\n`;
      }
    } catch (err) {
      await run.abort();
      throw err;
    }
    process.exitCode = await run.finish();
    process.stderr.write(summary);
  });
}
