/**
 * A small JSON file beside each dataset (`PREFIX_text_document.json`) saying which tokenizer made
 * it, so that datasets made by different tokenizers are never merged or mixed without a word:
 * their ids would mean different text. GPT-NeoX reads only the .bin/.idx and ignores it.
 */
import { createHash } from "node:crypto";
import { readFileSync, renameSync, existsSync, rmSync } from "node:fs";
import { writeFileSync } from "node:fs";
import { temporaryNameFor } from "../io/atomic-file.js";
import type { TokenDtype } from "./indexed-dataset.js";

export interface TokenizerStamp {
  /** sha256 of the tokenizer.json bytes: two files with the same hash give the same ids. */
  tokenizer_sha256: string;
  tokenizer_path: string;
  vocab_size: number;
  eod_id: number | null;
  dtype: TokenDtype;
}

export const sidecarPath = (dataset: string) => `${dataset}.json`;

const hashes = new Map<string, string>();

/** The sha256 of a tokenizer file, computed once per process. */
export function tokenizerFileHash(file: string): string {
  let h = hashes.get(file);
  if (h === undefined) {
    h = createHash("sha256").update(readFileSync(file)).digest("hex");
    hashes.set(file, h);
  }
  return h;
}

export function writeSidecar(dataset: string, stamp: TokenizerStamp): void {
  const file = sidecarPath(dataset);
  const tmp = temporaryNameFor(file);
  try {
    writeFileSync(tmp, JSON.stringify({ format: "korpipe-dataset/1", ...stamp }, null, 2) + "\n");
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** The stamp of a dataset, or undefined for one without a sidecar (made by another tool). */
export function readSidecar(dataset: string): TokenizerStamp | undefined {
  const file = sidecarPath(dataset);
  if (!existsSync(file)) return undefined;
  try {
    const j = JSON.parse(readFileSync(file, "utf8")) as Partial<TokenizerStamp>;
    if (typeof j.tokenizer_sha256 !== "string") return undefined;
    return j as TokenizerStamp;
  } catch {
    throw new Error(`${file} is not valid JSON; delete it to merge without the tokenizer check, or re-tokenize`);
  }
}

/** Moves a dataset's sidecar along with it (when there is one). */
export function renameSidecar(from: string, to: string): void {
  if (existsSync(sidecarPath(from))) renameSync(sidecarPath(from), sidecarPath(to));
}

/** Whether two stamps come from the same tokenizer (the path may differ: the bytes decide). */
export const sameTokenizer = (a: TokenizerStamp, b: TokenizerStamp) => a.tokenizer_sha256 === b.tokenizer_sha256 && a.eod_id === b.eod_id;
