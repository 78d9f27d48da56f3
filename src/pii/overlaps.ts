/**
 * Where recognizers disagree about a place in the text (an account cue before a phone-shaped
 * number, a registration number that also has an account's length), one candidate wins.
 */
import type { Candidate } from "./recognizer.js";

/**
 * One span per place: among candidates that overlap, higher priority first, then the longer,
 * then the earlier. Works per run of overlapping candidates, so a text with thousands of
 * numbers costs n log n, not n².
 */
export function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  if (candidates.length === 1) return candidates;
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Candidate[] = [];
  let group: Candidate[] = [];
  let groupEnd = -1;
  for (const c of candidates) {
    if (group.length > 0 && c.start >= groupEnd) {
      keepBest(group, kept);
      group = [];
    }
    group.push(c);
    groupEnd = Math.max(groupEnd, c.end);
  }
  keepBest(group, kept);
  return kept;
}

function keepBest(group: Candidate[], kept: Candidate[]): void {
  if (group.length === 1) {
    kept.push(group[0]!);
    return;
  }
  const ranked = [...group].sort((a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const chosen: Candidate[] = [];
  for (const c of ranked) if (chosen.every((k) => c.end <= k.start || c.start >= k.end)) chosen.push(c);
  kept.push(...chosen.sort((a, b) => a.start - b.start));
}

