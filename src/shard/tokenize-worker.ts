/**
 * Piscina worker: tokenizes one batch. Each worker thread builds an engine for a tokenizer.json
 * once and keeps it (and the fast engine's word cache) for every later batch.
 */
import { loadEngine, type EngineName, type TokenEngine } from "./engine/engines.js";
import { encodeBatch, type EncodeBatchOptions, type EncodedBatch } from "./encode-batch.js";

export interface TokenizeTask extends EncodeBatchOptions {
  tokenizerPath: string;
  /** Already chosen on the main thread (see chooseEngine). */
  engine: EngineName;
  texts: string[];
}

const loaded = new Map<string, TokenEngine>();

export default async function tokenizeTask(task: TokenizeTask): Promise<EncodedBatch> {
  const key = `${task.engine}\0${task.tokenizerPath}`;
  let engine = loaded.get(key);
  if (!engine) {
    engine = loadEngine(task.tokenizerPath, task.engine);
    loaded.set(key, engine);
  }
  return encodeBatch(engine, task.texts, task);
}
