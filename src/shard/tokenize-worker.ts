/**
 * Piscina worker: tokenizes one batch. Each worker thread loads a tokenizer.json once and keeps it
 * for every later batch.
 */
import { Tokenizer } from "tokenizers";
import { encodeBatch, type EncodeBatchOptions, type EncodedBatch } from "./encode-batch.js";

export interface TokenizeTask extends EncodeBatchOptions {
  tokenizerPath: string;
  texts: string[];
}

const loaded = new Map<string, Tokenizer>();

export default async function tokenizeTask(task: TokenizeTask): Promise<EncodedBatch> {
  let tokenizer = loaded.get(task.tokenizerPath);
  if (!tokenizer) {
    tokenizer = Tokenizer.fromFile(task.tokenizerPath);
    loaded.set(task.tokenizerPath, tokenizer);
  }
  return encodeBatch(tokenizer, task.texts, task);
}
