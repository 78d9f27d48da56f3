/**
 * The tokenized end of a run: each task tokenizes its documents into shards of its own under the
 * work directory; the report phase makes the dataset the trainer is given from them, in task
 * order: one merged PREFIX_text_document, or numbered shards renamed into place (sharded-output.ts).
 * The dataset lands in OUTPUT/PREFIX for a run, beside `-o PREFIX` for `korpipe tokenize`.
 */
import path from "node:path";
import type { Document } from "../../types.js";
import type { StageStats } from "../../stats/stage-stats.js";
import { mergeIndexedDatasets } from "../../shard/merge.js";
import { datasetPathFor } from "../../shard/shard-writer.js";
import { verifyIndexedDataset } from "../../shard/indexed-dataset.js";
import { parsePrivacyTokens } from "../../pii/privacy-tokens.js";
import { splitStages, workDir, type RunPlan } from "../plan/plan.js";
import { taskName } from "../plan/tasks.js";
import { publishShards, type TaskShard } from "./sharded-output.js";

const taskShardPrefix = (plan: RunPlan, i: number) => path.join(workDir(plan), "shards", taskName(i));

/** Where the finished dataset goes: OUTPUT/PREFIX for a run, the command's own prefix for `korpipe tokenize` (plan.dataset). */
export function finalDatasetPrefix(plan: RunPlan): string | undefined {
  const t = splitStages(plan.config).tokenize;
  return t ? (plan.dataset?.prefix ?? path.join(plan.outDir, t.prefix)) : undefined;
}

/** The JSON key in the final dataset's name: PREFIX_KEY_document. */
export const finalDatasetKey = (plan: RunPlan) => plan.dataset?.key ?? "text";

/** The privacy tokens the tokenizer must know: the tokenize stage's own, else the scrub stage's, else none. */
export function privacyTokensFor(plan: RunPlan) {
  const split = splitStages(plan.config);
  const scrub = plan.config.stages.find((s) => s.stage === "scrub");
  const spec = split.tokenize?.privacyTokens ?? (scrub && scrub.stage === "scrub" ? scrub.privacyTokens : undefined);
  return spec === undefined ? null : parsePrivacyTokens(spec);
}

export interface OutputTiming {
  statsFor(name: string): StageStats;
  /** Milliseconds the stages before tokenize spent (known once recordTimes ran). */
  upstreamMs(): number;
  recordTimes(): void;
}

/** What a task tells the report phase about its tokenizing. */
export interface TaskTokenizeSection {
  dtype: string;
  vocab_size: number;
  eod_id: number | null;
  tokens: number;
  documents: number;
  empty_documents: number;
  text_bytes: number;
  privacy_token_ids: Record<string, number> | null;
  /** Threads the task encoded on (its own, or a pool of its cores). */
  encode_threads?: number;
  /** With shardTokens: each shard the task wrote, in order. */
  shards?: TaskShard[];
}

/**
 * Task i's documents tokenized into its shard(s). A task given more than one core encodes on that
 * many threads of its own while its thread reads (one big compressed file is one task, yet need
 * not tokenize on one core).
 */
export async function tokenizeTask(plan: RunPlan, i: number, output: AsyncIterable<Document>, timing: OutputTiming, cores = 1): Promise<TaskTokenizeSection> {
  const t = splitStages(plan.config).tokenize!;
  // Loaded on demand: a task thread of a pipeline without tokenize never needs the tokenizer's modules.
  const { tokenizeToShards } = await import("../../shard/tokenize-to-shards.js");
  const tokStats = timing.statsFor("tokenize");
  const t0 = performance.now();
  const result = await tokenizeToShards(output, {
    prefix: taskShardPrefix(plan, i),
    tokenizer: t.tokenizer,
    shardTokens: t.shardTokens,
    eod: t.eod,
    eodToken: t.eodToken,
    privacyTokens: privacyTokensFor(plan),
    workers: cores > 1 ? cores : 0,
    batchSize: t.batchSize,
    engine: t.engine,
    onNotice: () => {}, // said once by the run's preflight, not once per task
    stats: tokStats,
  });
  timing.recordTimes();
  // The tokenizer pulls from the stages: its own time is the total minus theirs.
  tokStats.addTime(Math.max(performance.now() - t0 - timing.upstreamMs(), 0));
  return {
    dtype: result.dtype,
    vocab_size: result.vocab_size,
    eod_id: result.eod_id,
    tokens: result.tokens,
    documents: result.documents,
    empty_documents: result.empty_documents,
    text_bytes: result.text_bytes,
    privacy_token_ids: result.privacy_token_ids,
    encode_threads: Math.max(1, cores),
    ...(t.shardTokens !== undefined ? { shards: result.shards.map((s): TaskShard => ({ documents: s.documents, tokens: s.tokens })) } : {}),
  };
}

/** The run's tokenize section: the tasks' counts summed, bytes per token over all of them (EOD not counted). */
export function sumTokenizeSections(tasks: TaskTokenizeSection[]): Record<string, unknown> {
  const sum = (key: "tokens" | "documents" | "empty_documents" | "text_bytes") => tasks.reduce((a, s) => a + (s[key] ?? 0), 0);
  const { shards: _, ...first } = tasks[0]!;
  const tokens = sum("tokens");
  const documents = sum("documents");
  const textTokens = tokens - (first.eod_id === null ? 0 : documents);
  const textBytes = sum("text_bytes");
  return {
    ...first,
    tokens,
    documents,
    empty_documents: sum("empty_documents"),
    text_bytes: textBytes,
    bytes_per_token: textTokens > 0 ? Math.round((textBytes / textTokens) * 1000) / 1000 : null,
    encode_threads: Math.max(...tasks.map((s) => s.encode_threads ?? 1)),
  };
}

/**
 * The dataset the trainer is given, from the tasks' shards in task order: numbered shards renamed
 * into place, or the one merged dataset (verified before the tasks' shards are let go).
 */
export function publishDataset(plan: RunPlan, perTask: TaskTokenizeSection[]): { section: Record<string, unknown>; datasets: string[] } {
  const finalPrefix = finalDatasetPrefix(plan)!;
  const key = finalDatasetKey(plan);
  const ids = perTask.map((_, i) => i);
  if (splitStages(plan.config).tokenize?.shardTokens !== undefined) {
    return publishShards(
      ids.map((i) => (k: number) => datasetPathFor(taskShardPrefix(plan, i), k)),
      perTask.map((s) => s.shards!),
      finalPrefix,
      key,
    );
  }
  const merged = datasetPathFor(finalPrefix, undefined, key);
  const summary = mergeIndexedDatasets(ids.map((i) => datasetPathFor(taskShardPrefix(plan, i))), merged);
  const problems = verifyIndexedDataset(merged);
  if (problems.length > 0) throw new Error(`${merged}: the merged dataset does not verify (${problems.join("; ")}); rerun with --force`);
  return { section: { prefix: path.relative(plan.outDir, merged), ...summary }, datasets: [merged] };
}
