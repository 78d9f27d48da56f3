/**
 * The first three characters (two for two-character entries) of every spam and page-chrome word, as
 * a lookup the character scan can afford: a document with fewer candidate starts than a rule's minimum hits cannot fail that rule,
 * so the word-list regular expressions run only on the few documents that might.
 */
import { wordList } from "./wordlists.js";

export const SPAM_TRIGGER = 1;
export const CHROME_TRIGGER = 2;

interface Triggers {
  /** Non-zero for a character that starts some entry. */
  first: Uint8Array;
  /** Non-zero at pairSlot(c0, c1) for every entry's first two characters (a filter in front of `pairs`). */
  pairFilter: Uint8Array;
  /** An entry's first characters (c0 * 2^32 + c1 * 2^16 + c2, or c0 * 2^16 + c1 for two) → which lists have an entry starting so. */
  starts: Map<number, number>;
}

let triggers: Triggers | undefined;

export function listTriggers(): Triggers {
  if (triggers) return triggers;
  const first = new Uint8Array(0x10000);
  const starts = new Map<number, number>();
  const pairFilter = new Uint8Array(0x10000);
  const add = (entries: string[], bit: number) => {
    for (const e of entries) {
      if (e.length < 2) continue;
      const c0 = e.charCodeAt(0);
      first[c0]! |= bit;
      const key = startKey(e, 0, e.length);
      starts.set(key, (starts.get(key) ?? 0) | bit);
      pairFilter[(Math.imul(c0, 31) + e.charCodeAt(1)) & 0xffff] = 1;
    }
  };
  add(wordList("spam"), SPAM_TRIGGER);
  add(wordList("page-chrome"), CHROME_TRIGGER);
  triggers = { first, pairFilter, starts };
  return triggers;
}

/** The key of the (up to) three characters of `text` at `at`, never reading past `end`. */
export function startKey(text: string, at: number, end: number): number {
  const two = text.charCodeAt(at) * 0x10000 + text.charCodeAt(at + 1);
  return at + 2 < end ? two * 0x10000 + text.charCodeAt(at + 2) : two;
}
