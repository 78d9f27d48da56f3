/**
 * A tokenizer.json read and parsed once per thread and file version: the loader, the engine
 * choice and the engine itself all need it, and Polyglot-Ko's (1.6 MB) takes tens of
 * milliseconds to parse each time.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";

export interface TokenizerFile {
  text: string;
  /** The parsed JSON; callers read it and never change it. */
  json: unknown;
}

const cache = new Map<string, TokenizerFile>();

/** The file's text and JSON; throws the read or parse error as it is, for the caller to explain. */
export function readTokenizerFile(file: string): TokenizerFile {
  const stat = statSync(file);
  const key = `${path.resolve(file)}\0${stat.mtimeMs}\0${stat.size}`;
  let entry = cache.get(key);
  if (!entry) {
    const text = readFileSync(file, "utf8");
    entry = { text, json: JSON.parse(text) as unknown };
    // One version per path: a file rewritten in place replaces its old entry.
    for (const k of cache.keys()) if (k.startsWith(`${path.resolve(file)}\0`)) cache.delete(k);
    cache.set(key, entry);
  }
  return entry;
}
