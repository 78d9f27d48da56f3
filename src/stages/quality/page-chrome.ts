/**
 * Pages that are only their chrome: menus, login and sign-up forms, cookie banners, terms and
 * footers (wordlists/ko/page-chrome.txt), measured as chrome words per line, since chrome is many
 * short lines each naming one.
 */
import type { TextProfile } from "./profile.js";
import { wordListPattern } from "./wordlists.js";

/** Fewest chrome words a document is dropped for: an article may name 이용약관 once. */
export const MIN_CHROME_HITS = 3;

let pattern: RegExp | undefined;

/** Chrome-word hits per non-empty line (per 10 eojeol for long single-line texts); 0 under MIN_CHROME_HITS. */
export function chromeWordRate(p: TextProfile): number {
  if (p.chromeCandidates < MIN_CHROME_HITS) return 0;
  pattern ??= wordListPattern("page-chrome");
  pattern.lastIndex = 0;
  const hits = p.text.match(pattern)?.length ?? 0;
  if (hits < MIN_CHROME_HITS) return 0;
  const units = Math.max(p.lines.length, p.wordCount / 10);
  return hits / units;
}
