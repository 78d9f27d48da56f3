/**
 * A small sample of a run's real inputs, for measuring before the run: a prefix of whole records
 * from files spread over the input list, written uncompressed into a directory of its own. Each
 * sampled file also says how many bytes of the original it stands for (for a compressed file, the
 * compressed bytes read to get it), so rates measured on the sample scale to the whole input.
 */
import { createReadStream } from "node:fs";
import { copyFile, mkdir, stat, writeFile } from "node:fs/promises";
import { once } from "node:events";
import path from "node:path";
import { createGunzip } from "node:zlib";
import { DecompressStream } from "zstd-napi";
import { detectFormat, stripCompressionSuffix } from "../../io/formats.js";

export interface SampleReadOptions {
  jsonPath?: string;
  txtMode?: "line" | "paragraph";
}

export interface InputSample {
  files: string[];
  /** Bytes of the original inputs the sample stands for. */
  inputBytes: number;
  /** Inputs that could not be cut (one nested JSON value) and were too big to take whole. */
  skipped: string[];
}

/** Most files the sample draws from: enough to see several sources, few enough to get whole records of each. */
const MAX_SAMPLED_FILES = 8;
/** Compressed bytes handed to a decoder at a time: the error in a compressed file's share is below one piece. */
const FEED_BYTES = 16 * 1024;

/**
 * Up to `bytes` of records from files evenly spread over `files` (sorted, as the plan has them).
 * A line-based file gives its first records; a nested JSON file is taken whole when it is small.
 */
export async function sampleInputs(files: string[], bytes: number, dir: string, read: SampleReadOptions): Promise<InputSample> {
  await mkdir(dir, { recursive: true });
  const n = Math.min(files.length, MAX_SAMPLED_FILES);
  const picked = Array.from({ length: n }, (_, j) => files[Math.floor((j * files.length) / n)]!);
  const budget = Math.max(1, Math.floor(bytes / n));
  const sample: InputSample = { files: [], inputBytes: 0, skipped: [] };
  for (const [j, file] of picked.entries()) {
    const format = detectFormat(file, read);
    if (!format) continue;
    const cuttable = format.records === "jsonl" || format.records === "txt";
    // The index keeps two inputs with one name apart.
    const target = path.join(dir, `${String(j).padStart(2, "0")}-${path.basename(cuttable ? stripCompressionSuffix(file).base : file)}`);
    if (cuttable) {
      const separator = format.records === "txt" && read.txtMode === "paragraph" ? "\n\n" : "\n";
      const prefix = await recordPrefix(file, format.compression, budget, separator);
      if (prefix.data.length === 0) continue;
      await writeFile(target, prefix.data);
      sample.inputBytes += prefix.inputBytes;
    } else {
      const size = (await stat(file)).size;
      if (size > 2 * budget) {
        sample.skipped.push(file);
        continue;
      }
      await copyFile(file, target);
      sample.inputBytes += size;
    }
    sample.files.push(target);
  }
  return sample;
}

/**
 * The first whole records of a file, at least `budget` decompressed bytes when the file has that
 * many, and the original bytes they stand for. A compressed file is fed to its decoder in small
 * pieces, each decoded in full before the next, so the compressed bytes behind every decoded byte
 * are known whatever the decoder and the disk read ahead.
 */
async function recordPrefix(
  file: string,
  compression: "none" | "gzip" | "zstd",
  budget: number,
  separator: string,
): Promise<{ data: Buffer; inputBytes: number }> {
  const decoder = compression === "none" ? undefined : compression === "gzip" ? createGunzip() : new DecompressStream();
  const chunks: Buffer[] = [];
  let decoded = 0;
  decoder?.on("data", (c: Buffer) => {
    chunks.push(c);
    decoded += c.length;
  });
  let fed = 0;
  let cut = -1;
  const raw = createReadStream(file, { highWaterMark: FEED_BYTES });
  try {
    for await (const piece of raw as AsyncIterable<Buffer>) {
      if (decoder) {
        await new Promise<void>((resolve, reject) => decoder.write(piece, (err) => (err ? reject(err) : resolve())));
        await new Promise((resolve) => setImmediate(resolve)); // let the decoder's output events run
      } else {
        chunks.push(piece);
        decoded += piece.length;
      }
      fed += piece.length;
      if (decoded >= budget) {
        const all = Buffer.concat(chunks);
        chunks.splice(0, chunks.length, all);
        cut = all.lastIndexOf(separator);
        if (cut >= 0) break;
      }
    }
    if (decoder && cut < 0) {
      // The whole file was fed: flush what the decoder still holds.
      decoder.end();
      await once(decoder, "end");
    }
  } finally {
    raw.destroy();
    decoder?.destroy();
  }
  const all = Buffer.concat(chunks);
  // The whole file fitted: keep all of it (a last record without a newline is still a record).
  const data = cut < 0 ? all : all.subarray(0, cut + separator.length);
  return { data, inputBytes: all.length === 0 ? 0 : Math.round(fed * (data.length / all.length)) };
}
