/**
 * Piscina worker: tokenizes one batch (or one piece of a long document). Each worker thread builds
 * an engine for a tokenizer.json once and keeps it (and the fast engine's word cache) for every
 * later batch.
 */
import { move, transferableSymbol, valueSymbol } from "piscina";
import { threadEngine, type EngineName } from "./engine/engines.js";
import { encodeBatch, type EncodeBatchOptions, type EncodedBatch } from "./encode-batch.js";

export interface TokenizeTask extends EncodeBatchOptions {
  tokenizerPath: string;
  /** Already chosen on the main thread (see chooseEngine). */
  engine: EngineName;
  texts: string[];
}

export default async function tokenizeTask(task: TokenizeTask): Promise<EncodedBatch> {
  const batch = await encodeBatch(threadEngine(task.tokenizerPath, task.engine), task.texts, task);
  // Handed over, not copied: a copy would hold the ids in both threads for a moment.
  const handover = {
    get [transferableSymbol]() {
      return [batch.tokens.buffer, batch.lengths.buffer];
    },
    get [valueSymbol]() {
      return batch;
    },
  };
  return move(handover) as unknown as EncodedBatch;
}
