/**
 * Gambling, adult, loan and pharmacy spam, by the density of spam words (wordlists/ko/spam.txt).
 * A news report names a trade or a drug a few times ("비아그라, 레비트라, 시알리스와 같은 …"); spam
 * repeats its words in every line.
 */
import type { TextProfile } from "./profile.js";
import { wordListPattern } from "./wordlists.js";

/** Fewest hits a document is dropped for, whatever its length. */
export const MIN_SPAM_HITS = 5;

let pattern: RegExp | undefined;

/** Spam-word hits per 100 eojeol; 0 with fewer than MIN_SPAM_HITS hits. */
export function spamWordRate(p: TextProfile): number {
  if (p.spamCandidates < MIN_SPAM_HITS) return 0;
  pattern ??= wordListPattern("spam");
  pattern.lastIndex = 0;
  const hits = p.text.match(pattern)?.length ?? 0;
  return hits < MIN_SPAM_HITS ? 0 : (100 * hits) / Math.max(1, p.wordCount);
}
