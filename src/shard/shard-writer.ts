/**
 * Output naming and shard rolling on top of the single-dataset writer: `PREFIX_text_document`, or
 * with a token limit numbered shards `PREFIX-00000_text_document`, `PREFIX-00001_text_document`, ...
 * each a complete dataset the trainer can be given on its own or in a list of data paths.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { DatasetWriter, datasetFiles, type DatasetSummary, type TokenDtype } from "./indexed-dataset.js";

/** GPT-NeoX's preprocess_data.py names datasets `<prefix>_<jsonl key>_document`; the key is `text`. */
export const DATASET_SUFFIX = "_text_document";

/**
 * The dataset path of an output prefix, or of its shard number `shard`; `key` names the JSON key
 * the text came from, as preprocess_data.py does with --json-keys (`PREFIX_title_document`).
 */
export function datasetPathFor(prefix: string, shard?: number, key = "text"): string {
  const suffix = `_${key}_document`;
  return shard === undefined ? `${prefix}${suffix}` : `${prefix}-${String(shard).padStart(5, "0")}${suffix}`;
}

export interface IndexedDatasetWriterOptions {
  /** Output prefix, e.g. `out/ko` for `out/ko_text_document.bin/.idx`. */
  prefix: string;
  dtype: TokenDtype;
  /**
   * Start a new numbered shard before a document that would take the current one past this many
   * tokens. A single document longer than the limit gets a shard of its own (documents are never split).
   */
  shardTokens?: number;
  /** The JSON key in the dataset name (default `text`: `PREFIX_text_document`). */
  key?: string;
}

/** Appends documents' token ids in order and rolls to numbered shards at the token limit. */
export class IndexedDatasetWriter {
  private readonly options: IndexedDatasetWriterOptions;
  private current: DatasetWriter | undefined;
  private readonly done: DatasetSummary[] = [];

  constructor(options: IndexedDatasetWriterOptions) {
    if (options.shardTokens !== undefined && !(Number.isInteger(options.shardTokens) && options.shardTokens > 0)) {
      throw new RangeError(`shard token limit must be a positive integer, got ${options.shardTokens}`);
    }
    this.options = options;
  }

  private open(): DatasetWriter {
    const shard = this.options.shardTokens === undefined ? undefined : this.done.length;
    this.current = new DatasetWriter(datasetPathFor(this.options.prefix, shard, this.options.key), this.options.dtype);
    return this.current;
  }

  append(ids: ArrayLike<number>): void {
    let writer = this.current ?? this.open();
    const limit = this.options.shardTokens;
    if (limit !== undefined && writer.documents > 0 && writer.tokens + ids.length > limit) {
      this.done.push(writer.finish());
      writer = this.open();
    }
    writer.append(ids);
  }

  /**
   * Completes the last dataset (an empty one when nothing was appended, so the output always
   * exists) and removes numbered shards left over from an earlier, longer run of the same prefix.
   */
  finish(): DatasetSummary[] {
    this.done.push((this.current ?? this.open()).finish());
    this.current = undefined;
    if (this.options.shardTokens !== undefined) {
      for (let shard = this.done.length; ; shard++) {
        const stale = datasetFiles(datasetPathFor(this.options.prefix, shard, this.options.key));
        if (!existsSync(stale.idx) && !existsSync(stale.bin)) break;
        rmSync(stale.idx, { force: true });
        rmSync(stale.bin, { force: true });
      }
    }
    return [...this.done];
  }

  abort(): void {
    this.current?.abort();
    this.current = undefined;
  }
}

/**
 * The datasets a user means by `arg`: a dataset path (with or without .bin/.idx), an output
 * prefix (`out/ko` for `out/ko_text_document`), or the prefix of numbered shards (all of them, in order).
 */
export function findDatasets(arg: string): string[] {
  const p = arg.replace(/\.(bin|idx)$/, "");
  const exists = (dataset: string) => existsSync(`${dataset}.idx`) || existsSync(`${dataset}.bin`);
  if (exists(p)) return [p];
  if (exists(datasetPathFor(p))) return [datasetPathFor(p)];
  const dir = path.dirname(p);
  const base = path.basename(p);
  const numbered = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-(\\d{5})${DATASET_SUFFIX}\\.(idx|bin)$`);
  const shards = new Set<string>();
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const m = numbered.exec(name);
    if (m) shards.add(m[1]!);
  }
  if (shards.size === 0) {
    throw new Error(`${arg}: no dataset found; expected ${p}.idx, ${datasetPathFor(p)}.idx or numbered shards ${datasetPathFor(p, 0)}.idx`);
  }
  return [...shards].sort().map((n) => path.join(dir, `${base}-${n}${DATASET_SUFFIX}`));
}
