/**
 * Amounts of money take the shapes of numbers too: "16600000원" reads as 1660-0000 and
 * "1234567890원" as an account. A currency unit right after a number, or a currency sign right
 * before it, makes it an amount, and no phone number or account.
 */
import type { Candidate } from "./recognizer.js";

// 원 as a unit: not the start of a word (원장, 원룸, 원본, 원래, 원하는 …) unless a particle or
// an amount word follows it (원을, 원이, 원에, 원씩, 원짜리, 원입니다, 원정도 …).
const WON = "원(?:(?![가-힣])|(?=[을를이가은는에의도만씩짜어입으과와까부대선정임]))";
const UNIT = `(?:${WON}|만\\s?${WON}|천\\s?${WON}|억|달러|불(?![가-힣])|엔(?![가-힣])|위안|유로|KRW|USD|EUR|JPY|won\\b|Won\\b)`;
/** A unit touching the number: any number. */
const UNIT_TOUCHING = new RegExp(`^${UNIT}`);
/** A unit one space away: only numbers without separators, which nobody writes a phone number as next to a unit. */
const UNIT_SPACED = new RegExp(`^[ \\u00a0]${UNIT}`);
const SIGN_BEFORE = /(?:[₩$€¥£￦]|KRW|USD|EUR)\s?$/;
const BARE = /^\d+$/;

function isAmount(view: string, c: Candidate): boolean {
  const after = view.slice(c.end, c.end + 8);
  if (UNIT_TOUCHING.test(after)) return true;
  if (UNIT_SPACED.test(after) && BARE.test(view.slice(c.start, c.end))) return true;
  return SIGN_BEFORE.test(view.slice(Math.max(0, c.start - 5), c.start));
}

/** The candidates without phone numbers and accounts that are amounts of money. */
export function dropAmounts(view: string, candidates: Candidate[]): Candidate[] {
  if (candidates.length === 0) return candidates;
  return candidates.filter((c) => c.type === "rrn" || !isAmount(view, c));
}
