/**
 * Sharded outputs of `korpipe run` (tokenize.shardTokens): every task writes its own numbered
 * shards while it runs; the report phase only gives them their final numbers, in task order,
 * by renaming (no copy), and writes the manifest GPT-NeoX's config takes:
 *
 *   OUTPUT/PREFIX-00000_text_document.bin/.idx, PREFIX-00001_..., ...
 *   OUTPUT/PREFIX_shards.json   { train_data_paths, train_data_weights, shards: [{path, documents, tokens}], ... }
 *
 * Renaming is idempotent (a shard already under its final name is left alone), so a report phase
 * killed half-way finishes on the rerun with the same files.
 */
import { existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { writeFileSync } from "node:fs";
import { datasetFiles, readIndexedDataset, verifyIndexedDataset } from "../../shard/indexed-dataset.js";
import { renameSidecar } from "../../shard/dataset-sidecar.js";
import { datasetPathFor } from "../../shard/shard-writer.js";
import { temporaryNameFor } from "../../io/atomic-file.js";

/** What a task reports about each shard it wrote, in order. */
export interface TaskShard {
  documents: number;
  tokens: number;
}

export interface ShardEntry {
  /** Dataset path relative to the output directory (no .bin/.idx), as train_data_paths takes it. */
  path: string;
  documents: number;
  tokens: number;
}

export interface ShardManifest {
  /** Relative to the directory of this file: prefix them with where the trainer finds it. */
  train_data_paths: string[];
  /** Each shard's share of all tokens; GPT-NeoX samples the datasets in these proportions. */
  train_data_weights: number[];
  shards: ShardEntry[];
  dtype: string;
  documents: number;
  tokens: number;
}

/** PREFIX_shards.json, or PREFIX_KEY_shards.json for a dataset named after another JSON key than text. */
export const shardManifestPath = (finalPrefix: string, key = "text") => `${finalPrefix}${key === "text" ? "" : `_${key}`}_shards.json`;

function renameDataset(from: string, to: string): void {
  const src = datasetFiles(from);
  const dst = datasetFiles(to);
  // Sidecar, then .bin: a .idx under the final name means all three are there.
  renameSidecar(from, to);
  if (existsSync(src.bin)) renameSync(src.bin, dst.bin);
  if (existsSync(src.idx)) renameSync(src.idx, dst.idx);
}

/**
 * Numbers the tasks' shards `finalPrefix-00000…` in task order (empty shards are dropped), removes
 * numbered shards of the same prefix beyond them (left by an earlier, longer run), verifies each and
 * writes the manifest. `shardOf[t](k)` is task t's k-th shard's dataset path; `key` is the JSON key
 * in the final names (PREFIX-00000_KEY_document).
 */
export function publishShards(
  shardOf: ((k: number) => string)[],
  perTask: TaskShard[][],
  finalPrefix: string,
  key = "text",
): { section: Record<string, unknown>; datasets: string[] } {
  const outDir = path.dirname(finalPrefix);
  const entries: ShardEntry[] = [];
  let dtype = "";
  for (let t = 0; t < perTask.length; t++) {
    perTask[t]!.forEach((shard, k) => {
      const source = shardOf[t]!(k);
      if (shard.documents === 0) {
        rmSync(datasetFiles(source).bin, { force: true });
        rmSync(datasetFiles(source).idx, { force: true });
        return;
      }
      const target = datasetPathFor(finalPrefix, entries.length, key);
      if (existsSync(datasetFiles(source).idx)) renameDataset(source, target);
      if (!existsSync(datasetFiles(target).idx)) throw new Error(`${source}: shard ${k} of task ${t} is missing; rerun with --force`);
      const problems = verifyIndexedDataset(target);
      if (problems.length > 0) throw new Error(`${target}: ${problems.join("; ")}; rerun with --force`);
      const found = readIndexedDataset(target);
      if (found.documents !== shard.documents || found.tokens !== shard.tokens) {
        throw new Error(`${target} holds ${found.documents} documents, ${found.tokens} tokens, its task wrote ${shard.documents}, ${shard.tokens}; rerun with --force`);
      }
      dtype = found.dtype;
      entries.push({ path: path.relative(outDir, target), documents: shard.documents, tokens: shard.tokens });
    });
  }
  removeShardsFrom(finalPrefix, entries.length, key);
  const tokens = entries.reduce((a, e) => a + e.tokens, 0);
  const documents = entries.reduce((a, e) => a + e.documents, 0);
  const manifest: ShardManifest = {
    train_data_paths: entries.map((e) => e.path),
    train_data_weights: entries.map((e) => (tokens > 0 ? e.tokens / tokens : 0)),
    shards: entries,
    dtype,
    documents,
    tokens,
  };
  const file = shardManifestPath(finalPrefix, key);
  const tmp = temporaryNameFor(file);
  writeFileSync(tmp, JSON.stringify(manifest, null, 2) + "\n");
  renameSync(tmp, file);
  return {
    section: { prefix: path.basename(finalPrefix), manifest: path.relative(outDir, file), shards: entries.length, dtype, documents, tokens },
    datasets: entries.map((e) => path.join(outDir, e.path)),
  };
}

/** Removes `prefix-NNNNN_KEY_document` datasets numbered `from` and up. */
function removeShardsFrom(prefix: string, from: number, key: string): void {
  const dir = path.dirname(prefix);
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const numbered = new RegExp(`^${escape(path.basename(prefix))}-(\\d{5})${escape(`_${key}_document`)}\\.(idx|bin)$`);
  for (const name of readdirSync(dir)) {
    const m = numbered.exec(name);
    if (m && Number(m[1]) >= from) rmSync(path.join(dir, name), { force: true });
  }
}
