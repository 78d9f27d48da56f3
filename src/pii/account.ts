/**
 * Bank account numbers (type "acc"): 10-14 digits in 2-5 groups or unbroken. The shape alone
 * says little (order numbers, ISBNs and phone numbers share it), so a number counts only with
 * a bank name or an account word in the same clause.
 */
import { clauseAfter, clauseBefore, digitBoundaryOk, lastMatchEnd } from "./context.js";
import {
  ACCOUNT_BLOCK,
  ACCOUNT_CUE,
  ACCOUNT_RIGHT_BEFORE,
  BANK,
  WORD_BANK_TOUCHING_AFTER,
  WORD_BANK_TOUCHING_BEFORE,
} from "./cues.js";
import { PRIORITY, type Candidate, type RecognizerContext } from "./recognizer.js";
import { structuralContext } from "./structure.js";

// At least ten digits, each optionally after "-", " - ", a space or a line break (with or without
// a dash): a chain of groups that candidates are cut from. Years and amounts fail after a few
// digits, which keeps this cheap.
const CHAIN = /\d(?:(?: ?-[ \t]?(?:\r?\n[ \t]?)?| ?\r?\n[ \t]?(?:-[ \t]?)?| )?\d){9,}/g;

const MIN_DIGITS = 10;
const MAX_DIGITS = 14;
const MAX_GROUPS = 5;
const BEFORE_CHARS = 30;
const AFTER_CHARS = 20;

/** A chain split into digit groups: starts/ends are view offsets; dashed[i] is the separator after group i. */
interface Groups {
  start: number[];
  end: number[];
  dashed: boolean[];
}

function splitGroups(view: string, from: number, to: number): Groups {
  const g: Groups = { start: [], end: [], dashed: [] };
  let i = from;
  while (i < to) {
    const s = i;
    while (i < to && view.charCodeAt(i) >= 0x30 && view.charCodeAt(i) <= 0x39) i++;
    g.start.push(s);
    g.end.push(i);
    let dashed = false;
    while (i < to && (view.charCodeAt(i) < 0x30 || view.charCodeAt(i) > 0x39)) {
      // A line break counts as a dash: "110-842⏎937409" is one dashed number.
      const c = view.charCodeAt(i);
      if (c === 0x2d || c === 0x0a) dashed = true;
      i++;
    }
    g.dashed.push(dashed);
  }
  return g;
}

/** Finds account numbers in the view. */
export function findAccounts(view: string, ctx: RecognizerContext, out: Candidate[]): void {
  CHAIN.lastIndex = 0;
  for (let m = CHAIN.exec(view); m !== null; m = CHAIN.exec(view)) {
    const g = splitGroups(view, m.index, m.index + m[0].length);
    const n = g.start.length;
    for (let first = 0; first < n; first++) {
      // The longest run of groups from `first` that makes an account number, if any.
      for (let last = Math.min(n - 1, first + MAX_GROUPS - 1); last >= first; last--) {
        const candidate = accountCandidate(view, g, first, last, ctx);
        if (candidate) {
          out.push(candidate);
          first = last;
          break;
        }
      }
    }
  }
}

function accountCandidate(view: string, g: Groups, first: number, last: number, ctx: RecognizerContext): Candidate | null {
  let digits = 0;
  for (let k = first; k <= last; k++) digits += g.end[k]! - g.start[k]!;
  if (digits < MIN_DIGITS || digits > MAX_DIGITS) return null;
  // One kind of separator throughout: a dashed number does not run on into a spaced one.
  for (let k = first + 1; k < last; k++) if (g.dashed[k] !== g.dashed[first]) return null;
  const start = g.start[first]!;
  const end = g.end[last]!;
  const spaced = last > first && !g.dashed[first];
  if (!digitBoundaryOk(view, start, end, spaced)) return null;

  const before = clauseBefore(view, start, BEFORE_CHARS, ctx.tokens);
  const cueEnd = lastMatchEnd(ACCOUNT_CUE, before);
  const bankEnd = Math.max(lastMatchEnd(BANK, before), WORD_BANK_TOUCHING_BEFORE.test(before) ? before.length : -1);
  const blockEnd = lastMatchEnd(ACCOUNT_BLOCK, before);
  if (blockEnd > Math.max(cueEnd, bankEnd)) return null;
  if (cueEnd < 0 && hasBusinessRegistrationLayout(g, first, last)) return null;
  if (cueEnd < 0 && bankEnd < 0) {
    const after = clauseAfter(view, end, AFTER_CHARS, ctx.tokens);
    BANK.lastIndex = 0;
    if (!BANK.test(after) && !WORD_BANK_TOUCHING_AFTER.test(after) && !structureSaysAccount(view, start, end, ctx.tokens)) return null;
  }
  const priority = ACCOUNT_RIGHT_BEFORE.test(before) ? PRIORITY.accountAfterCue : PRIORITY.account;
  return { type: "acc", start, end, priority };
}

/**
 * A number with no account word or bank name in its clause: in a table, its column header or
 * the cell beside it may name one (계좌번호, 신한은행); on a line of its own, the lines around it
 * must hold an account word (입금하실 곳…, 예금주 …), since a bank name alone above a number is a heading.
 */
function structureSaysAccount(view: string, start: number, end: number, tokens: readonly string[]): boolean {
  const s = structuralContext(view, start, end, tokens);
  if (s === null) return false;
  const cue = lastMatchEnd(ACCOUNT_CUE, s.before);
  const bank = Math.max(lastMatchEnd(BANK, s.before), WORD_BANK_CELL.test(s.before) ? s.before.length : -1);
  const block = lastMatchEnd(ACCOUNT_BLOCK, s.before);
  if (block > Math.max(cue, bank)) return false;
  if (s.kind === "line") return cue >= 0 || lastMatchEnd(ACCOUNT_CUE, s.after) >= 0;
  return cue >= 0 || bank >= 0 || lastMatchEnd(BANK, s.after) >= 0 || WORD_BANK_CELL.test(s.after);
}

/** A cell holding only a bank name that is also a word ("국민", "우리"). */
const WORD_BANK_CELL = /(?:^|\s)(?:국민|우리|하나|기업|부산|대구|광주|경남|전북|제주)\s*$/;

/** 3-2-5, the layout of business registration numbers: only an account word makes it an account. */
function hasBusinessRegistrationLayout(g: Groups, first: number, last: number): boolean {
  const len = (k: number) => g.end[k]! - g.start[k]!;
  return last - first === 2 && len(first) === 3 && len(first + 1) === 2 && len(first + 2) === 5;
}
