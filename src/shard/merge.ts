/**
 * Concatenating datasets into one: the `.bin` files are copied back to back as they are, and the
 * `.idx` is rebuilt from the inputs' sizes, so pointers are rebased and doc_idx stays [0..N]
 * (GPT-NeoX's own merge_file_ leaves doc_idx at [0]). Memory holds one input's sizes at a time.
 */
import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { temporaryNameFor } from "../io/atomic-file.js";
import { readSidecar, sameTokenizer, writeSidecar, type TokenizerStamp } from "./dataset-sidecar.js";
import {
  INDEX_HEADER_BYTES,
  datasetFiles,
  readIndexedDataset,
  verifyIndexedDataset,
  writeIndex,
  type DatasetSummary,
  type TokenDtype,
} from "./indexed-dataset.js";

export class MergeError extends Error {}

const COPY_BUFFER = 8 << 20;
const SIZES_CHUNK = 1 << 20;

function appendFile(fromPath: string, toFd: number, buffer: Buffer): void {
  const fd = openSync(fromPath, "r");
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n <= 0) break;
      writeSync(toFd, buffer, 0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** The sizes array of a verified input, read straight from its `.idx` in chunks. */
function* sizesOf(dataset: string, documents: number): Generator<Int32Array> {
  const fd = openSync(datasetFiles(dataset).idx, "r");
  try {
    for (let from = 0; from < documents; from += SIZES_CHUNK) {
      const n = Math.min(SIZES_CHUNK, documents - from);
      const buf = Buffer.alloc(4 * n);
      let got = 0;
      while (got < buf.length) {
        const r = readSync(fd, buf, got, buf.length - got, INDEX_HEADER_BYTES + 4 * from + got);
        if (r <= 0) throw new MergeError(`${dataset}.idx changed while merging`);
        got += r;
      }
      yield new Int32Array(buf.buffer, buf.byteOffset, n);
    }
  } finally {
    closeSync(fd);
  }
}

export interface MergeOptions {
  /** Merge datasets whose sidecars name different tokenizers (their ids then mean different text). */
  allowMixedTokenizers?: boolean;
}

/** The common tokenizer of the inputs; refuses a mix unless allowed. Undefined when any input has no sidecar. */
function commonTokenizer(inputs: string[], options: MergeOptions): TokenizerStamp | undefined {
  const stamps = inputs.map((i) => readSidecar(i));
  const first = stamps[0];
  for (const [k, s] of stamps.entries()) {
    if (!first || !s || sameTokenizer(first, s)) continue;
    if (options.allowMixedTokenizers) return undefined;
    throw new MergeError(
      `refusing to merge datasets made by different tokenizers: ${inputs[0]} by ${first.tokenizer_path} (sha256 ${first.tokenizer_sha256.slice(0, 12)}, eod ${first.eod_id}), ` +
        `${inputs[k]} by ${s.tokenizer_path} (sha256 ${s.tokenizer_sha256.slice(0, 12)}, eod ${s.eod_id}); re-tokenize one of them, or pass --allow-mixed-tokenizers`,
    );
  }
  return stamps.every((s) => s !== undefined) ? first : undefined;
}

/**
 * Merges `inputs` (dataset paths) in order into the dataset `output`. Refuses inputs that fail
 * verification, mixed dtypes, datasets made by different tokenizers (unless allowed), and an
 * output that is one of the inputs. The output's sidecar names the inputs' common tokenizer.
 */
export function mergeIndexedDatasets(inputs: string[], output: string, options: MergeOptions = {}): DatasetSummary {
  if (inputs.length === 0) throw new MergeError("nothing to merge: name at least one dataset");
  const parts: { path: string; documents: number; tokens: number; dtype: TokenDtype }[] = [];
  for (const input of inputs) {
    if (path.resolve(input) === path.resolve(output)) throw new MergeError(`${output} is also an input; write the merge to a new prefix`);
    const problems = verifyIndexedDataset(input);
    if (problems.length > 0) throw new MergeError(`refusing to merge ${input}: ${problems.join("; ")}`);
    const { dtype, documents, tokens } = readIndexedDataset(input);
    parts.push({ path: input, documents, tokens, dtype });
  }
  const dtype = parts[0]!.dtype;
  const odd = parts.find((p) => p.dtype !== dtype);
  if (odd) {
    throw new MergeError(`refusing to merge datasets of different dtypes: ${parts[0]!.path} is ${dtype}, ${odd.path} is ${odd.dtype} (they were made with tokenizers of different vocabulary sizes)`);
  }
  const stamp = commonTokenizer(inputs, options);
  const documents = parts.reduce((n, p) => n + p.documents, 0);
  const tokens = parts.reduce((n, p) => n + p.tokens, 0);

  const files = datasetFiles(output);
  mkdirSync(path.dirname(files.bin), { recursive: true });
  const binTemp = temporaryNameFor(files.bin);
  const idxTemp = temporaryNameFor(files.idx);
  try {
    const binFd = openSync(binTemp, "w");
    try {
      const buffer = Buffer.alloc(COPY_BUFFER);
      for (const p of parts) appendFile(datasetFiles(p.path).bin, binFd, buffer);
    } finally {
      closeSync(binFd);
    }
    const idxFd = openSync(idxTemp, "w");
    try {
      writeIndex(idxFd, dtype, documents, function* () {
        for (const p of parts) yield* sizesOf(p.path, p.documents);
      });
    } finally {
      closeSync(idxFd);
    }
    renameSync(binTemp, files.bin);
    renameSync(idxTemp, files.idx);
    if (stamp) writeSidecar(output, stamp);
  } catch (err) {
    rmSync(binTemp, { force: true });
    rmSync(idxTemp, { force: true });
    throw err;
  }
  return { path: output, dtype, documents, tokens };
}
