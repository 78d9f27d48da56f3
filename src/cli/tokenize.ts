import path from "node:path";
import { InvalidArgumentError, Option, type Command } from "commander";
import { removeStaleTemporaryFiles } from "../io/atomic-file.js";
import { parsePrivacyTokens, type PrivacyTokens } from "../pii/privacy-tokens.js";
import { checkPrivacyTokens } from "../shard/privacy-check.js";
import { chooseEngine, ENGINE_CHOICES, type EngineChoice } from "../shard/engine/engines.js";
import { DEFAULT_EOD_TOKEN, eodTokenId, loadTokenizer } from "../shard/tokenizer.js";
import { DEFAULT_BATCH_SIZE, defaultWorkers, reserveTokenizerThreads } from "../shard/tokenize-documents.js";
import { tokenizeToShards } from "../shard/tokenize-to-shards.js";
import { addInputOptions, CommandRun, parsePositiveInt, UsageError, INPUTS_HELP, readFlags } from "./common.js";

export function parseWorkerCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--workers takes a whole number (0 tokenizes on the main thread), got "${value}"`);
  return n;
}

/** `--privacy-tokens SPEC` as in `korpipe scrub`; `--no-privacy-tokens` (false) for a corpus that was never scrubbed. */
export function privacyTokensFrom(value: unknown): PrivacyTokens | null {
  if (value === false) return null;
  try {
    return parsePrivacyTokens(value as string | undefined);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

const fmt = (n: number) => n.toLocaleString("en-US");

export function register(program: Command): void {
  const cmd = program
    .command("tokenize")
    .summary("tokenize documents into GPT-NeoX .bin/.idx shards")
    .description(
      "Tokenize documents with a Hugging Face tokenizer.json into GPT-NeoX's mmap indexed dataset " +
        "PREFIX_text_document.bin/.idx (GPT-NeoX data_path: PREFIX_text_document), or with --shard-tokens into " +
        "numbered shards PREFIX-00000_text_document.bin/.idx. One sequence per document, the end-of-document token " +
        "appended; documents that tokenize to nothing are skipped and counted. The privacy tokens are checked to be " +
        "special tokens of the tokenizer before anything is read.\n\n" +
        "Reports go to PREFIX.report/ (stats.json, rejects.jsonl, filtered.jsonl) unless --report-dir says otherwise.\n" +
        "Exit status: 0 all good, 3 finished with rejected records or unreadable files, 1 failure.",
    )
    .argument("[inputs...]", INPUTS_HELP)
    .option("--input <paths...>", "the inputs, as preprocess_data.py takes them (same as the positional inputs)")
    .option("-o, --output <prefix>", "output prefix, e.g. out/ko for out/ko_text_document.bin/.idx (required, or --output-prefix)")
    .option("--output-prefix <prefix>", "the same as -o, as preprocess_data.py names it")
    .requiredOption("--tokenizer <file>", "Hugging Face tokenizer.json (e.g. Polyglot-Ko's, or one from 'korpipe train-tokenizer')")
    .option("--json-keys <keys...>", "one dataset per JSON key, named PREFIX_KEY_document as preprocess_data.py names them (default: --text-key, named PREFIX_text_document)")
    .option("--append-eod", "append the end-of-document token (the default; accepted for preprocess_data.py habits)")
    .option("--shard-tokens <n>", "roll to a new numbered shard before a document that would take the current one past N tokens", parsePositiveInt("--shard-tokens"))
    .option("--no-eod", "do not append the end-of-document token")
    .option("--eod-token <token>", "token appended after each document", DEFAULT_EOD_TOKEN)
    .option("--privacy-tokens <spec>", "privacy tokens the corpus was scrubbed with, as for 'korpipe scrub': a preset (default, polyglot-ko) or rrn=…,tell=…,acc=…")
    .option("--no-privacy-tokens", "skip the privacy-token check (the corpus was never scrubbed)")
    .option("--workers <n>", `tokenizer worker threads (default: the number of cores, ${defaultWorkers()} here; 0 = main thread)`, parseWorkerCount)
    .option("--batch-size <n>", "documents per batch sent to a worker", parsePositiveInt("--batch-size"), DEFAULT_BATCH_SIZE)
    .addOption(
      new Option("--engine <engine>", "auto: korpipe's own engine when it gives Hugging Face's ids exactly for this tokenizer.json (byte-level BPE), else Hugging Face tokenizers with a notice saying why; fast: korpipe's or refuse; hf: Hugging Face's")
        .choices(ENGINE_CHOICES)
        .default("auto"),
    )
    .option("--report-dir <dir>", "where stats.json, rejects.jsonl and filtered.jsonl go (default PREFIX.report)");
  addInputOptions(cmd);
  cmd.action(async (positional: string[], opts: Record<string, unknown>) => {
    const inputs = [...positional, ...((opts.input as string[] | undefined) ?? [])];
    if (inputs.length === 0) throw new UsageError("name the inputs: korpipe tokenize FILES... (or --input FILES...)");
    if (opts.output && opts.outputPrefix && opts.output !== opts.outputPrefix) throw new UsageError("give -o or --output-prefix, not two different prefixes");
    const prefix = (opts.output ?? opts.outputPrefix) as string | undefined;
    if (!prefix) throw new UsageError("name the output prefix with -o PREFIX (or --output-prefix PREFIX)");
    opts.output = prefix; // what the output checks look at, however it was named
    if (opts.appendEod && opts.eod === false) throw new UsageError("--append-eod and --no-eod contradict each other; give one");
    if (String(opts.textKey).includes(",")) {
      throw new UsageError(`--text-key takes one field, not "${String(opts.textKey)}"; for one dataset per key, give --json-keys ${String(opts.textKey).split(",").join(" ")}`);
    }
    reserveTokenizerThreads((opts.workers as number | undefined) ?? defaultWorkers());
    const privacyTokens = privacyTokensFrom(opts.privacyTokens);
    // Everything about the tokenizer is checked before reading input or creating any file.
    const tokenizer = loadTokenizer(opts.tokenizer as string);
    if (privacyTokens) await checkPrivacyTokens(tokenizer, privacyTokens);
    if (opts.eod !== false) eodTokenId(tokenizer, opts.eodToken as string);
    let engine: EngineChoice;
    try {
      const plan = chooseEngine(tokenizer.path, opts.engine as EngineChoice);
      if (plan.notice) process.stderr.write(plan.notice + "\n");
      engine = plan.engine;
    } catch (err) {
      throw new UsageError((err as Error).message);
    }

    // preprocess_data.py habit: one dataset per JSON key, the corpus read once per key.
    const keys = (opts.jsonKeys as string[] | undefined) ?? [undefined];
    let exit = 0;
    for (const key of keys) {
      const reportDir = (opts.reportDir as string | undefined) ?? (key ? `${prefix}_${key}.report` : `${prefix}.report`);
      const run = await CommandRun.open({ command: "tokenize", inputs, ...readFlags(key ? { ...opts, textKey: key } : opts), reportDir });
      let written: string[];
      try {
        // Shards of a killed run of this prefix, left under temporary names beside it.
        await removeStaleTemporaryFiles(path.dirname(prefix), path.basename(prefix), false);
        const result = await tokenizeToShards(run.documents(), {
          prefix,
          ...(key ? { key } : {}),
          tokenizer,
          shardTokens: opts.shardTokens as number | undefined,
          eod: opts.eod !== false,
          eodToken: opts.eodToken as string,
          privacyTokens,
          workers: opts.workers as number | undefined,
          engine,
          batchSize: opts.batchSize as number,
          stats: run.stage("tokenize"),
        });
        run.section("tokenize", { tokenizer: tokenizer.path, ...(key ? { json_key: key } : {}), ...result });
        written = result.shards.map((s) => `  wrote ${s.path}.bin/.idx: ${fmt(s.documents)} documents, ${fmt(s.tokens)} tokens (${s.dtype})\n`);
      } catch (err) {
        await run.abort();
        throw err;
      }
      exit = Math.max(exit, await run.finish());
      process.stderr.write(written.join(""));
    }
    process.exitCode = exit;
  });
}
