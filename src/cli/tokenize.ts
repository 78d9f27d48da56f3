/**
 * `korpipe tokenize INPUTS -o PREFIX`: a one-stage pipeline (tokenize) on the run engine. The
 * engine's output directory is the report directory (PREFIX.report); the dataset itself goes to
 * the prefix, merged from the tasks' shards in input order (plan.dataset).
 */
import path from "node:path";
import { Option, type Command } from "commander";
import { parsePrivacyTokens } from "../pii/privacy-tokens.js";
import { ENGINE_CHOICES } from "../shard/engine/engines.js";
import { DEFAULT_EOD_TOKEN } from "../shard/tokenizer.js";
import { DEFAULT_BATCH_SIZE, reserveTokenizerThreads } from "../shard/tokenize-documents.js";
import { addInputOptions, parsePositiveInt, UsageError, INPUTS_HELP } from "./common.js";
import { addEngineOptions, commandConfig, executePlan, planCommand } from "./engine.js";

/** `--privacy-tokens SPEC` checked as in `korpipe scrub` (default: the default preset); undefined for `--no-privacy-tokens`. */
export function privacyTokensSpec(value: unknown): string | undefined {
  if (value === false) return undefined;
  const spec = (value as string | undefined) ?? "default";
  try {
    parsePrivacyTokens(spec);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return spec;
}

const HELP_AFTER = `
Outputs: PREFIX_text_document.bin/.idx (GPT-NeoX data_path: PREFIX_text_document) and its tokenizer
sidecar PREFIX_text_document.json; with --json-keys one dataset per key, PREFIX_KEY_document; with
--shard-tokens numbered shards PREFIX-00000_text_document.bin/.idx, ... and PREFIX_shards.json (the
train_data_paths and weights GPT-NeoX takes). Each task rolls its own shards at the limit, so a
task's last shard may be short.
Reports: PREFIX.report/ (stats.json, report.html, rejects.jsonl, filtered.jsonl; PREFIX_KEY.report per
key with --json-keys), or --report-dir DIR (DIR/KEY per key when there are several).
How it runs: the inputs are split into --tasks tasks (big uncompressed files into slices), tokenized
side by side on --workers threads, and the tasks' datasets are merged in input order. The report
directory records finished tasks: after a crash or kill the same command resumes, with the same
dataset; korpipe status PREFIX.report shows how far it got; --force starts over.
Exit status: 0 all good, 3 finished with rejected records or unreadable files, 1 failure.`;

export function register(program: Command): void {
  const cmd = program
    .command("tokenize")
    .summary("tokenize documents into GPT-NeoX .bin/.idx shards")
    .description(
      "Tokenize documents with a Hugging Face tokenizer.json into GPT-NeoX's mmap indexed dataset " +
        "PREFIX_text_document.bin/.idx. One sequence per document, the end-of-document token appended; documents " +
        "that tokenize to nothing are skipped and counted. The tokenizer, the end-of-document token and the privacy " +
        "tokens (which must be special tokens of the tokenizer) are checked before anything is read.",
    )
    .argument("[inputs...]", INPUTS_HELP)
    .option("--input <paths...>", "the inputs, as preprocess_data.py takes them (same as the positional inputs)")
    .option("-o, --output <prefix>", "output prefix, e.g. out/ko for out/ko_text_document.bin/.idx (required, or --output-prefix)")
    .option("--output-prefix <prefix>", "the same as -o, as preprocess_data.py names it")
    .requiredOption("--tokenizer <file>", "Hugging Face tokenizer.json (e.g. Polyglot-Ko's, or one from 'korpipe train-tokenizer')")
    .option("--json-keys <keys...>", "one dataset per JSON key, named PREFIX_KEY_document as preprocess_data.py names them (default: --text-key, named PREFIX_text_document)")
    .option("--append-eod", "append the end-of-document token (the default; accepted for preprocess_data.py habits)")
    .option("--shard-tokens <n>", "numbered shards of at most N tokens (a longer document gets a shard of its own), listed in PREFIX_shards.json", parsePositiveInt("--shard-tokens"))
    .option("--no-eod", "do not append the end-of-document token")
    .option("--eod-token <token>", "token appended after each document", DEFAULT_EOD_TOKEN)
    .option("--privacy-tokens <spec>", "privacy tokens the corpus was scrubbed with, as for 'korpipe scrub': a preset (default, polyglot-ko) or rrn=…,tell=…,acc=…")
    .option("--no-privacy-tokens", "skip the privacy-token check (the corpus was never scrubbed)")
    .option("--batch-size <n>", "documents per encode batch", parsePositiveInt("--batch-size"), DEFAULT_BATCH_SIZE)
    .addOption(
      new Option("--engine <engine>", "auto: korpipe's own engine when it gives Hugging Face's ids exactly for this tokenizer.json (byte-level BPE), else Hugging Face tokenizers with a notice saying why; fast: korpipe's or refuse; hf: Hugging Face's")
        .choices(ENGINE_CHOICES)
        .default("auto"),
    )
    .option("--report-dir <dir>", "where stats.json, report.html, rejects.jsonl, filtered.jsonl and the resume state go (default PREFIX.report)")
    .addHelpText("after", HELP_AFTER);
  addInputOptions(cmd);
  addEngineOptions(cmd);
  cmd.action(async (positional: string[], opts: Record<string, unknown>) => {
    const inputs = [...positional, ...((opts.input as string[] | undefined) ?? [])];
    if (inputs.length === 0) throw new UsageError("name the inputs: korpipe tokenize FILES... (or --input FILES...)");
    if (opts.output && opts.outputPrefix && opts.output !== opts.outputPrefix) throw new UsageError("give -o or --output-prefix, not two different prefixes");
    const prefix = (opts.output ?? opts.outputPrefix) as string | undefined;
    if (!prefix) throw new UsageError("name the output prefix with -o PREFIX (or --output-prefix PREFIX)");
    if (opts.appendEod && opts.eod === false) throw new UsageError("--append-eod and --no-eod contradict each other; give one");
    if (String(opts.textKey).includes(",")) {
      throw new UsageError(`--text-key takes one field, not "${String(opts.textKey)}"; for one dataset per key, give --json-keys ${String(opts.textKey).split(",").join(" ")}`);
    }
    // Each task tokenizes in its own thread with two batches in flight on libuv's shared pool.
    reserveTokenizerThreads(2 * (opts.workers as number));
    const privacyTokens = privacyTokensSpec(opts.privacyTokens);
    const stage = {
      stage: "tokenize",
      tokenizer: opts.tokenizer,
      eod: opts.eod !== false,
      eodToken: opts.eodToken,
      batchSize: opts.batchSize,
      engine: opts.engine,
      ...(privacyTokens !== undefined ? { privacyTokens } : {}),
      ...(opts.shardTokens !== undefined ? { shardTokens: opts.shardTokens } : {}),
    };
    // preprocess_data.py habit: one dataset per JSON key, the corpus read once per key.
    const keys = (opts.jsonKeys as string[] | undefined) ?? [undefined];
    const reportDir = opts.reportDir as string | undefined;
    let exit = 0;
    for (const key of keys) {
      const output = reportDir !== undefined ? (keys.length > 1 ? path.join(reportDir, key!) : reportDir) : key ? `${prefix}_${key}.report` : `${prefix}.report`;
      const config = commandConfig(inputs, { ...opts, output, ...(key ? { textKey: key } : {}) }, [stage]);
      const plan = await planCommand(config, { command: "tokenize", tasks: opts.tasks as number | undefined, dataset: { prefix, ...(key ? { key } : {}) } });
      exit = Math.max(exit, await executePlan(plan, { workers: opts.workers as number, force: Boolean(opts.force), progress: opts.progress !== false }));
    }
    process.exitCode = exit;
  });
}
