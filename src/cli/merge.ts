import type { Command } from "commander";
import { mergeIndexedDatasets } from "../shard/merge.js";
import { datasetPathFor, findDatasets } from "../shard/shard-writer.js";
import { UsageError } from "./common.js";

const fmt = (n: number) => n.toLocaleString("en-US");

export function register(program: Command): void {
  program
    .command("merge")
    .summary("concatenate .bin/.idx datasets into one")
    .description(
      "Concatenate GPT-NeoX mmap datasets, in the order given, into PREFIX_text_document.bin/.idx. The .bin files are " +
        "copied as they are; the .idx is rebuilt with rebased pointers and doc_idx = [0..N]. Each input is verified " +
        "first; inputs of different dtypes are refused, and so are datasets whose sidecar (DATASET.json, written by korpipe) " +
        "names a different tokenizer, unless --allow-mixed-tokenizers. An input may be a dataset path, an output prefix, or the prefix " +
        "of numbered shards (all of them, in order).",
    )
    .argument("<prefixes...>", "datasets or output prefixes to merge, in order")
    .requiredOption("-o, --output <prefix>", "output prefix, e.g. out/ko-all for out/ko-all_text_document.bin/.idx")
    .option("--allow-mixed-tokenizers", "merge datasets made by different tokenizers (their ids then mean different text)")
    .action((prefixes: string[], opts: { output: string; allowMixedTokenizers?: boolean }) => {
      let inputs: string[];
      try {
        inputs = prefixes.flatMap(findDatasets);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const merged = mergeIndexedDatasets(inputs, datasetPathFor(opts.output), { allowMixedTokenizers: Boolean(opts.allowMixedTokenizers) });
      process.stderr.write(
        `korpipe merge: ${inputs.length} dataset(s) → ${merged.path}.bin/.idx: ${fmt(merged.documents)} documents, ${fmt(merged.tokens)} tokens (${merged.dtype})\n`,
      );
    });
}
