/**
 * Piscina worker: tokenizes one batch. Each worker thread builds an engine for a tokenizer.json
 * once and keeps it (and the fast engine's word cache) for every later batch.
 */
import { threadEngine, type EngineName } from "./engine/engines.js";
import { encodeBatch, type EncodeBatchOptions, type EncodedBatch } from "./encode-batch.js";

export interface TokenizeTask extends EncodeBatchOptions {
  tokenizerPath: string;
  /** Already chosen on the main thread (see chooseEngine). */
  engine: EngineName;
  texts: string[];
}

export default async function tokenizeTask(task: TokenizeTask): Promise<EncodedBatch> {
  return encodeBatch(threadEngine(task.tokenizerPath, task.engine), task.texts, task);
}
