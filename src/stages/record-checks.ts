/**
 * Checks on a parsed record that JSON.parse lets through but that would break or silently change
 * a document later: nesting deep enough to overflow recursive code downstream (JSON.stringify,
 * structured clone to worker threads), numbers that cannot be written back as they were read, and
 * text that is not valid Unicode (lone surrogates, which JSON can escape as "\ud800").
 */
import type { RejectReason } from "../types.js";

/** Deeper records are rejected: real corpora nest a few levels, and worker threads have small stacks. */
export const MAX_NESTING = 256;

export interface RecordProblem {
  reason: RejectReason;
  detail: string;
}

/** The first problem in a record's other fields, walking without recursion; undefined when it is sound. */
export function recordProblem(value: unknown): RecordProblem | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return { reason: "number_out_of_range", detail: "a number too large to store (it would be written back as null)" };
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (depth >= MAX_NESTING) return { reason: "nesting_too_deep", detail: `nested more than ${MAX_NESTING} levels deep` };
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const c of children) if (c !== null && (typeof c === "object" || typeof c === "number")) stack.push([c, depth + 1]);
  }
  return undefined;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const SURROGATE = /[\uD800-\uDFFF]/;

/** Text with a lone surrogate cannot be encoded as UTF-8 (tokenizers turn it into U+FFFD). */
export function textProblem(text: string): RecordProblem | undefined {
  // Most text has no surrogates at all (Hangul is in the BMP): one cheap scan settles it.
  if (!SURROGATE.test(text) || !LONE_SURROGATE.test(text)) return undefined;
  return { reason: "invalid_text", detail: "text holds a lone UTF-16 surrogate (not valid Unicode)" };
}
