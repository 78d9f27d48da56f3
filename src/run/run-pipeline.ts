/**
 * A whole pipeline run from one config, as `korpipe run` does it and as a library call:
 * validate, plan, check what can fail late (tokenizer, privacy tokens) before any task, then run
 * the phases locally and return the run's statistics.
 */
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { RunRefusedError } from "./refused.js";
import { ConfigError, parsePipelineConfig, privacyTokenSpecs, type PipelineConfig } from "./plan/config.js";
import { buildPlan, changedCodeFile, isCommandPlan, loadPlan, savePlan, splitStages, type RunPlan } from "./plan/plan.js";
import { clearState, ensureStateDir } from "./phases/task-state.js";
import { removeTemporaryFiles } from "./phases/phases.js";
import { describeInputChanges } from "../io/input-stamps.js";
import { OutputLock } from "../io/output-lock.js";
import { removeStaleTemporaryFiles } from "../io/atomic-file.js";
import { parsePrivacyTokens } from "../pii/privacy-tokens.js";
import { runLocal } from "./local/local-executor.js";
import type { RunStatsJSON } from "../stats/run-stats.js";
import { DEFAULT_EOD_TOKEN, eodTokenId, loadTokenizer } from "../shard/tokenizer.js";
import { checkPrivacyTokens } from "../shard/privacy-check.js";
import { releaseIntermediates } from "./phases/work-cleanup.js";
import { chooseEngine } from "../shard/engine/engines.js";

export { RunRefusedError };

/** Refuses to mix a new config into an output directory that holds another run's finished tasks. */
export async function preparePlan(plan: RunPlan, force: boolean): Promise<void> {
  const previous = await loadPlan(plan.outDir);
  // Content hashes (--verify-inputs) are compared apart from the fingerprint: a run started without them stays resumable.
  const contentChanged = (previous?.inputStamps ?? []).some((o, i) => o.hash && plan.inputStamps?.[i]?.hash && o.hash !== plan.inputStamps[i]!.hash);
  const changedCode = previous && changedCodeFile(previous, plan);
  if (changedCode && !force) {
    throw new RunRefusedError(
      `${plan.outDir} holds a run made with another version of ${changedCode.role} ${changedCode.file} (the file changed since; its finished tasks used the old one); ` +
        `add --force to start over with this one, or put the old file back to resume`,
    );
  }
  if (previous && !force && (previous.fingerprint !== plan.fingerprint || contentChanged)) {
    const changed = describeInputChanges(previous.inputStamps, plan.inputStamps ?? []);
    throw new RunRefusedError(
      `${plan.outDir} holds a run ${changed ? `over inputs that changed since (${changed})` : "with a different config, inputs or task count"}; ` +
        `add --force to start over there, or choose another output directory`,
    );
  }
  if (force) await clearState(plan.outDir);
  // A resumed run keeps what its plan pinned, so tasks done before and after the resume agree.
  else if (previous?.today) plan.today = previous.today;
  await ensureStateDir(plan.outDir);
  await savePlan(plan);
  await removeTemporaryFiles(plan.outDir);
  // A dataset outside the output directory (korpipe tokenize -o PREFIX): what a killed merge left beside it.
  if (plan.dataset) await removeStaleTemporaryFiles(path.dirname(plan.dataset.prefix), path.basename(plan.dataset.prefix), false);
}

/**
 * Checks what can fail late (tokenizer file, end-of-document token, privacy tokens) before any task
 * starts. Messages name the config key; a command's (korpipe tokenize) already name its flags.
 */
export async function preflight(plan: RunPlan): Promise<void> {
  const t = splitStages(plan.config).tokenize;
  if (!t) return;
  const refuse = (where: string, err: unknown) => new RunRefusedError(isCommandPlan(plan) ? (err as Error).message : `${where}: ${(err as Error).message}`);
  let tok;
  try {
    tok = loadTokenizer(t.tokenizer);
  } catch (err) {
    throw refuse("tokenize.tokenizer", err);
  }
  try {
    if (t.eod) eodTokenId(tok, t.eodToken ?? DEFAULT_EOD_TOKEN);
  } catch (err) {
    throw refuse("tokenize.eodToken", err);
  }
  let notice: string | undefined;
  try {
    notice = chooseEngine(t.tokenizer, t.engine).notice;
  } catch (err) {
    throw refuse("tokenize.engine", err);
  }
  // Every scrub stage's own tokens, not only the one spec tokenize names: a preset must not hide what scrub writes.
  for (const { where, spec } of privacyTokenSpecs(plan.config)) {
    try {
      await checkPrivacyTokens(tok, parsePrivacyTokens(spec));
    } catch (err) {
      throw refuse(where, err);
    }
  }
  // Said once here, not once per task: the tasks choose the same engine quietly.
  if (notice) process.stderr.write(notice + "\n");
}

export interface RunPipelineOptions {
  /** Worker threads (default: one per core). */
  workers?: number;
  /** Tasks the inputs are split into (default: the config's, else 2 per core). */
  tasks?: number;
  /** Discard finished tasks of an earlier run in the output directory. */
  force?: boolean;
  /** Progress lines on stderr (default false for a library call). */
  progress?: boolean;
  /** Where log lines go (default: stderr). */
  log?: (line: string) => void;
}

/**
 * Runs a pipeline config (an object as in a config file; validated here) to the end on worker
 * threads, resuming finished tasks in its output directory, and returns report.json's content.
 * Throws ConfigError for a bad config and RunRefusedError for a run refused before any work.
 */
export async function runPipeline(config: PipelineConfig | Record<string, unknown>, options: RunPipelineOptions = {}): Promise<RunStatsJSON> {
  const valid = parsePipelineConfig(config);
  const plan = await buildPlan(valid, options.tasks !== undefined ? { tasks: options.tasks } : {});
  await preflight(plan);
  const lock = await OutputLock.acquire(plan.outDir, "run");
  try {
    await preparePlan(plan, options.force ?? false);
    await runLocal(plan, {
      workers: options.workers ?? os.availableParallelism(),
      progress: options.progress ?? false,
      ...(options.log ? { log: options.log } : {}),
    });
    // Tasks release what they no longer need as they finish; this catches a run killed in between.
    await releaseIntermediates(plan);
  } finally {
    await lock.release();
  }
  return JSON.parse(await readFile(path.join(plan.outDir, "report.json"), "utf8")) as RunStatsJSON;
}

export { ConfigError };
