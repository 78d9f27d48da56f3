import path from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { removeStaleTemporaryFiles } from "../stages/atomic-file.js";
import { parsePrivacyTokens, type PrivacyTokens } from "../pii/privacy-tokens.js";
import { checkPrivacyTokens } from "../shard/privacy-check.js";
import { DEFAULT_EOD_TOKEN, eodTokenId, loadTokenizer } from "../shard/tokenizer.js";
import { DEFAULT_BATCH_SIZE, defaultWorkers, reserveTokenizerThreads } from "../shard/tokenize-documents.js";
import { tokenizeToShards } from "../shard/tokenize-to-shards.js";
import { addInputOptions, CommandRun, parsePositiveInt, UsageError, INPUTS_HELP } from "./common.js";

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
    .argument("<inputs...>", INPUTS_HELP)
    .requiredOption("-o, --output <prefix>", "output prefix, e.g. out/ko for out/ko_text_document.bin/.idx")
    .requiredOption("--tokenizer <file>", "Hugging Face tokenizer.json (e.g. Polyglot-Ko's, or one from 'korpipe train-tokenizer')")
    .option("--shard-tokens <n>", "roll to a new numbered shard before a document that would take the current one past N tokens", parsePositiveInt("--shard-tokens"))
    .option("--no-eod", "do not append the end-of-document token")
    .option("--eod-token <token>", "token appended after each document", DEFAULT_EOD_TOKEN)
    .option("--privacy-tokens <spec>", "privacy tokens the corpus was scrubbed with, as for 'korpipe scrub': a preset (default, polyglot-ko) or rrn=…,tell=…,acc=…")
    .option("--no-privacy-tokens", "skip the privacy-token check (the corpus was never scrubbed)")
    .option("--workers <n>", `tokenizer worker threads (default: the number of cores, ${defaultWorkers()} here; 0 = main thread)`, parseWorkerCount)
    .option("--batch-size <n>", "documents per batch sent to a worker", parsePositiveInt("--batch-size"), DEFAULT_BATCH_SIZE)
    .option("--report-dir <dir>", "where stats.json, rejects.jsonl and filtered.jsonl go (default PREFIX.report)");
  addInputOptions(cmd);
  cmd.action(async (inputs: string[], opts: Record<string, unknown>) => {
    reserveTokenizerThreads((opts.workers as number | undefined) ?? defaultWorkers());
    const prefix = opts.output as string;
    const privacyTokens = privacyTokensFrom(opts.privacyTokens);
    // Everything about the tokenizer is checked before reading input or creating any file.
    const tokenizer = loadTokenizer(opts.tokenizer as string);
    if (privacyTokens) await checkPrivacyTokens(tokenizer, privacyTokens);
    if (opts.eod !== false) eodTokenId(tokenizer, opts.eodToken as string);

    let written: string[] = [];
    const run = await CommandRun.open({ command: "tokenize", inputs, cliOptions: opts, reportDir: (opts.reportDir as string | undefined) ?? `${prefix}.report` });
    try {
      // Shards of a killed run of this prefix, left under temporary names beside it.
      await removeStaleTemporaryFiles(path.dirname(prefix), path.basename(prefix), false);
      const result = await tokenizeToShards(run.documents(), {
        prefix,
        tokenizer,
        shardTokens: opts.shardTokens as number | undefined,
        eod: opts.eod !== false,
        eodToken: opts.eodToken as string,
        privacyTokens,
        workers: opts.workers as number | undefined,
        batchSize: opts.batchSize as number,
        stats: run.stage("tokenize"),
      });
      run.section("tokenize", { tokenizer: tokenizer.path, ...result });
      written = result.shards.map((s) => `  wrote ${s.path}.bin/.idx: ${fmt(s.documents)} documents, ${fmt(s.tokens)} tokens (${s.dtype})\n`);
    } catch (err) {
      await run.abort();
      throw err;
    }
    process.exitCode = await run.finish();
    process.stderr.write(written.join(""));
  });
}
