/**
 * Resident registration numbers (주민등록번호) and foreigners' registration numbers, which share
 * the layout YYMMDD-SNNNNNN: a real birth date, then S giving century and sex.
 */
import { clauseBefore, digitBoundaryOk, nearestCue } from "./context.js";
import { RRN_BLOCK, RRN_CUE } from "./cues.js";
import { PRIORITY, type Candidate, type RecognizerContext } from "./recognizer.js";
import { structuralContext } from "./structure.js";

// Between the halves: "-", ".", "~" or "_" (spaces and one line break allowed around it), a line
// break, one or two spaces, or nothing (then the number needs its check digit or a cue).
const SEPARATOR = "(?:[ \\t]?[-.~_\u301C][ \\t]?(?:\\r?\\n[ \\t]?)?|[ \\t]?\\r?\\n[ \\t]?(?:[-.~_\u301C][ \\t]?)?|[ \\t]{1,2})?";
const RRN = new RegExp(`\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])(${SEPARATOR})([0-9*xX●]{7})`, "g");
const SECOND_HALF = /^(?:\d{7}|\d{0,6}[*xX●]+)$/;
const MASK = /[*xX●]/;

/** Check digit weights of the registration number (the 13th digit checks the first 12). */
const WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];

/**
 * Whether the 13th digit is (11 − Σ dᵢ·wᵢ mod 11) mod 10. Numbers issued since October 2020 no
 * longer carry this check digit, so it is only ever used for unseparated numbers.
 */
export function rrnChecksumValid(digits: string): boolean {
  if (!/^\d{13}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (digits.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return (11 - (sum % 11)) % 10 === digits.charCodeAt(12) - 48;
}

/** The EAN-13 check digit holds and the GS1 prefix is Korea's (880): a Korean product barcode. */
function isKoreanBarcode(digits: string): boolean {
  if (!digits.startsWith("880")) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (digits.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(12) - 48;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  return day <= days;
}

/** The century S stands for: 1/2/5/6 born 1900-1999, 3/4/7/8 born 2000 or later, 9/0 born 1800-1899. */
function centuryOf(s: string): number {
  if (s === "1" || s === "2" || s === "5" || s === "6") return 1900;
  if (s === "3" || s === "4" || s === "7" || s === "8") return 2000;
  return 1800;
}

/** A real birth date, not in the future, for YYMMDD and the digit S (or a masked S: any century). */
export function rrnBirthDateValid(yymmdd: string, s: string, today: number): boolean {
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  const centuries = MASK.test(s) ? [1900, 2000] : [centuryOf(s)];
  return centuries.some((c) => validDate(c + yy, mm, dd) && (c + yy) * 10000 + mm * 100 + dd <= today);
}

/** Finds registration numbers in the view. */
export function findRrns(view: string, ctx: RecognizerContext, out: Candidate[]): void {
  RRN.lastIndex = 0;
  for (let m = RRN.exec(view); m !== null; m = RRN.exec(view)) {
    const start = m.index;
    const end = start + m[0].length;
    const separator = m[1]!;
    const second = m[2]!;
    const accepted = SECOND_HALF.test(second) && digitBoundaryOk(view, start, end, false) && judge(view, start, end, m[0].slice(0, 6), separator, second, ctx);
    if (!accepted) {
      RRN.lastIndex = start + 1;
      continue;
    }
    const candidate: Candidate = { type: "rrn", start, end, priority: PRIORITY.rrn };
    if (!MASK.test(second)) candidate.checksum = rrnChecksumValid(m[0].slice(0, 6) + second);
    out.push(candidate);
  }
}

function judge(view: string, start: number, end: number, first: string, separator: string, second: string, ctx: RecognizerContext): boolean {
  const s = second[0]!;
  if (!rrnBirthDateValid(first, s, ctx.today)) return false;
  let cue = nearestCue(clauseBefore(view, start, 24, ctx.tokens), RRN_CUE, RRN_BLOCK);
  // A column headed 주민등록번호, or a label on the line above, speaks for a number with no cue of its own.
  if (cue === null) {
    const structure = structuralContext(view, start, end, ctx.tokens);
    if (structure !== null) cue = nearestCue(structure.before, RRN_CUE, RRN_BLOCK);
  }
  if (cue === "negative") return false;
  if ((s === "9" || s === "0") && cue !== "positive") return false;
  // Separated and masked numbers count whatever the check digit (not guaranteed since 2020).
  if (separator !== "" || MASK.test(second) || cue === "positive") return true;
  const digits = first + second;
  return rrnChecksumValid(digits) && !isKoreanBarcode(digits);
}
