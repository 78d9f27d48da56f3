/**
 * What the three recognizers share: they read the NFKC view and report candidates, which the
 * scrubber resolves (one span per place) and maps back to the original text.
 */
import type { PiiType } from "./privacy-tokens.js";

export interface Candidate {
  type: PiiType;
  /** View offsets, end exclusive. */
  start: number;
  end: number;
  /** Where candidates overlap, the higher priority wins (then the longer one). */
  priority: number;
  /** RRNs only: whether the check digit holds (absent for masked numbers). */
  checksum?: boolean;
}

export interface RecognizerContext {
  /** Privacy tokens already in the text end a clause, like another number would. */
  tokens: readonly string[];
  /** Today as YYYYMMDD: registration numbers of people not yet born are not numbers of people. */
  today: number;
}

export type Recognizer = (view: string, context: RecognizerContext, out: Candidate[]) => void;

/** Candidate priorities: an account cue right before a number beats its shape. */
export const PRIORITY = { accountAfterCue: 3, rrn: 2, tell: 1, account: 0 } as const;
