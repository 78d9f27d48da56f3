import { InvalidArgumentError, type Command } from "commander";
import { checkIndexedDataset, DatasetFormatError, readDocument, readIndexedDataset, type IndexedDataset } from "../shard/indexed-dataset.js";
import { findDatasets } from "../shard/shard-writer.js";
import { loadTokenizer, type LoadedTokenizer } from "../shard/tokenizer.js";
import { EXIT_FAILURE, EXIT_OK, UsageError } from "./common.js";

const fmt = (n: number) => n.toLocaleString("en-US");

function parseDocumentNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${flag} takes a document number (0 is the first), got "${value}"`);
    return n;
  };
}

interface DatasetReport {
  path: string;
  ok: boolean;
  problems: string[];
  dtype?: string;
  documents?: number;
  tokens?: number;
  bin_bytes?: number;
  tokens_per_document?: { min: number; mean: number; max: number };
}

function describe(path: string, tokenizer: LoadedTokenizer | undefined): { report: DatasetReport; dataset?: IndexedDataset } {
  let dataset: IndexedDataset;
  try {
    dataset = readIndexedDataset(path);
  } catch (err) {
    if (err instanceof DatasetFormatError) return { report: { path, ok: false, problems: [err.message] } };
    throw err;
  }
  const problems = checkIndexedDataset(dataset, { vocabSize: tokenizer?.idLimit });
  let min = Infinity;
  let max = 0;
  for (const s of dataset.sizes) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const report: DatasetReport = {
    path,
    ok: problems.length === 0,
    problems,
    dtype: dataset.dtype,
    documents: dataset.documents,
    tokens: dataset.tokens,
    bin_bytes: dataset.binBytes,
  };
  if (dataset.documents > 0) report.tokens_per_document = { min, mean: Math.round((dataset.tokens / dataset.documents) * 10) / 10, max };
  return { report, dataset };
}

function printReport(r: DatasetReport): void {
  const lines = [`${r.path}: ${r.ok ? "ok" : "INCONSISTENT"}`];
  if (r.dtype) lines.push(`  ${r.dtype}, ${fmt(r.documents!)} documents, ${fmt(r.tokens!)} tokens, .bin ${fmt(r.bin_bytes!)} bytes`);
  const t = r.tokens_per_document;
  if (t) lines.push(`  tokens per document: min ${fmt(t.min)}, mean ${t.mean}, max ${fmt(t.max)}`);
  for (const p of r.problems) lines.push(`  problem: ${p}`);
  process.stdout.write(lines.join("\n") + "\n");
}

export function register(program: Command): void {
  program
    .command("inspect")
    .summary("verify .bin/.idx datasets and show their counts or a document")
    .description(
      "Verify GPT-NeoX mmap datasets (magic, version, dtype, pointer arithmetic, .bin size = sum(sizes) × itemsize, " +
        "doc_idx = [0..N]) and print their counts. A PREFIX may be a dataset path (out/ko_text_document), an output " +
        "prefix (out/ko), or the prefix of numbered shards (all of them). Documents are numbered from 0 across all " +
        "datasets named, in order.\n\nExit status: 0 all consistent, 1 any dataset missing or inconsistent.",
    )
    .argument("<prefixes...>", "datasets or output prefixes")
    .option("--tokenizer <file>", "tokenizer.json: also check every token id is in its vocabulary, and decode with it")
    .option("--decode <n>", "print document N decoded as text (needs --tokenizer), end-of-document token included", parseDocumentNumber("--decode"))
    .option("--ids <n>", "print the token ids of document N", parseDocumentNumber("--ids"))
    .option("--json", "print the reports as JSON")
    .action(async (prefixes: string[], opts: { tokenizer?: string; decode?: number; ids?: number; json?: boolean }) => {
      if (opts.decode !== undefined && !opts.tokenizer) throw new UsageError("--decode needs --tokenizer (the tokenizer.json the data was made with); --ids N prints the raw ids");
      const tokenizer = opts.tokenizer ? loadTokenizer(opts.tokenizer) : undefined;
      let paths: string[];
      try {
        paths = prefixes.flatMap(findDatasets);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const described = paths.map((p) => describe(p, tokenizer));
      const reports = described.map((d) => d.report);
      if (opts.json) process.stdout.write(JSON.stringify(reports, null, 2) + "\n");
      else reports.forEach(printReport);
      if (reports.length > 1 && !opts.json) {
        const docs = reports.reduce((n, r) => n + (r.documents ?? 0), 0);
        const tokens = reports.reduce((n, r) => n + (r.tokens ?? 0), 0);
        process.stdout.write(`total: ${reports.length} datasets, ${fmt(docs)} documents, ${fmt(tokens)} tokens\n`);
      }
      const ok = reports.every((r) => r.ok);
      const wanted = opts.decode ?? opts.ids;
      if (wanted !== undefined) {
        if (!ok) throw new UsageError("not decoding: a dataset is inconsistent (see the problems above)");
        let n = wanted;
        const hit = described.find(({ dataset }) => {
          if (n < dataset!.documents) return true;
          n -= dataset!.documents;
          return false;
        });
        if (!hit) throw new UsageError(`document ${wanted} does not exist; there are ${reports.reduce((s, r) => s + (r.documents ?? 0), 0)} documents (0 is the first)`);
        const ids = readDocument(hit.dataset!, n);
        process.stderr.write(`document ${wanted} (${hit.dataset!.path}, document ${n}, ${fmt(ids.length)} tokens):\n`);
        if (opts.decode !== undefined) process.stdout.write((await tokenizer!.tokenizer.decode([...ids], false)) + "\n");
        if (opts.ids !== undefined) process.stdout.write(JSON.stringify([...ids]) + "\n");
      }
      process.exitCode = ok ? EXIT_OK : EXIT_FAILURE;
    });
}
