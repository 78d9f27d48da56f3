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

const TOO_BIG: RecordProblem = { reason: "number_out_of_range", detail: "a number too large to store (it would be written back as null)" };
const TOO_DEEP: RecordProblem = { reason: "nesting_too_deep", detail: `nested more than ${MAX_NESTING} levels deep` };

/** The first problem in a record's other fields, walking without recursion; undefined when it is sound. */
export function recordProblem(fields: Record<string, unknown>): RecordProblem | undefined {
  // Most records hold only strings and small numbers here: check them in place, walk only what nests.
  let stack: [unknown, number][] | undefined;
  for (const k in fields) {
    const v = fields[k];
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return TOO_BIG;
    } else if (v !== null && typeof v === "object") (stack ??= []).push([v, 1]);
  }
  while (stack && stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth >= MAX_NESTING) return TOO_DEEP;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const c of children) {
      if (typeof c === "number") {
        if (!Number.isFinite(c)) return TOO_BIG;
      } else if (c !== null && typeof c === "object") stack.push([c, depth + 1]);
    }
  }
  return undefined;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Text with a lone surrogate cannot be encoded as UTF-8 (tokenizers turn it into U+FFFD). Text
 * decoded from valid UTF-8 cannot hold one, so for a JSON line the scan is needed only when the
 * line has a `\u` escape (`rawLine`); values from other parsers are always scanned.
 */
export function textProblem(text: string, rawLine?: string): RecordProblem | undefined {
  if (rawLine !== undefined && rawLine.indexOf("\\u") < 0) return undefined;
  if (!SURROGATE.test(text) || !LONE_SURROGATE.test(text)) return undefined;
  return { reason: "invalid_text", detail: "text holds a lone UTF-16 surrogate (not valid Unicode)" };
}
