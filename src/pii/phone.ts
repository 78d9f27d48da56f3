/**
 * Korean phone numbers (type "tell"): mobile, Seoul and area codes, internet phones, safe
 * numbers, toll-free, representative numbers, and +82 forms, with "-", ".", space or no
 * separator; an area code may stand in parentheses.
 */
import { clauseBefore, digitBoundaryOk, nearestCue, usesSpaceSeparator } from "./context.js";
import { TELL_BLOCK_BARE, TELL_CUE } from "./cues.js";
import { PRIORITY, type Candidate, type RecognizerContext } from "./recognizer.js";
import { structuralContext } from "./structure.js";

// Between groups: "-" or "." (spaces and one line break around it), a line break, a space, or
// nothing. A number broken over two lines is still one number.
const SEP = "(?: ?[-.] ?(?:\\r?\\n ?)?| ?\\r?\\n ?(?:- ?)?| )?";
/** A separator that must be there (layouts that are not phone numbers when written bare). */
const SEP_REQUIRED = "(?: ?[-.] ?(?:\\r?\\n ?)?| ?\\r?\\n ?(?:- ?)?| )";
// After the area code also "02)123-4567", the old way of writing it.
const SEP_AFTER_AREA = "(?: ?[-.] ?(?:\\r?\\n ?)?| ?\\r?\\n ?(?:- ?)?| |\\) ?)?";

/** Everything after the leading 0 of the area or carrier code, with the group lengths of the plan. */
const NATIONAL =
  "(?:" +
  [
    `10${SEP_AFTER_AREA}\\d{4}${SEP}\\d{4}`, // mobile 010: 3-4-4
    // 010 numbers written another way, told apart by their digit count (see mobileLayoutOk):
    // 3-3-4 (numbers moved over from 011/016-019 keep it) and mis-grouped eleven digits (3-3-5, 4-3-4 …).
    `10\\d{0,2}(?:${SEP_REQUIRED}|\\))\\d{2,6}${SEP_REQUIRED}\\d{2,6}`,
    `1[16789]${SEP_AFTER_AREA}\\d{3,4}${SEP}\\d{4}`, // legacy mobile 011/016/017/018/019: 3-3-4, 3-4-4
    `2${SEP_AFTER_AREA}\\d{3,4}${SEP}\\d{4}`, // Seoul 02: 2-3-4, 2-4-4
    `(?:3[1-3]|4[1-4]|5[1-5]|6[1-4])${SEP_AFTER_AREA}\\d{3,4}${SEP}\\d{4}`, // area codes: 3-3-4, 3-4-4
    `70${SEP_AFTER_AREA}\\d{4}${SEP}\\d{4}`, // internet phone 070: 3-4-4
    `50\\d${SEP_AFTER_AREA}\\d{3,4}${SEP}\\d{4}`, // safe numbers 050X: 4-3-4, 4-4-4
    `80${SEP_AFTER_AREA}\\d{3}${SEP}\\d{4}`, // toll-free 080: 3-3-4
  ].join("|") +
  ")";

/** Nationwide representative numbers: a whitelist, so that 1592-1598 stays a year range. */
const REPRESENTATIVE = `1(?:5(?:22|33|44|66|77|88|99)|6(?:00|44|6[0168]|70|88)|8(?:00|33|55|77|99))${SEP}\\d{4}`;

// +82 drops the leading 0 ("+82-10-…", "+82 2 …"), sometimes keeps it in parentheses or by
// mistake. The plus is often left out: "0082-10-…", or "82-10-…" / "82 10 …" with a separator
// after 82 (bare 8210… is too often something else).
const COUNTRY = "(?:\\+82|\\(\\+?82\\)|00 ?82|82(?=[ .-]))";
const INTERNATIONAL = `${COUNTRY}[ .-]?(?:\\(0\\) ?|0)?(?:${NATIONAL}|${REPRESENTATIVE})`;

const PHONE = new RegExp(`${INTERNATIONAL}|0${NATIONAL}|${REPRESENTATIVE}`, "g");
const ALL_DIGITS = /^\d+$/;

/** Finds phone numbers in the view. */
export function findPhoneNumbers(view: string, ctx: RecognizerContext, out: Candidate[]): void {
  PHONE.lastIndex = 0;
  for (let m = PHONE.exec(view); m !== null; m = PHONE.exec(view)) {
    const text = m[0];
    let start = m.index;
    const end = start + text.length;
    // "(02)123-4567" is replaced whole; in "센터(053-123-4567)로" the parentheses stay.
    if (text.charCodeAt(0) === 0x30 && text.includes(")") && start > 0 && view.charCodeAt(start - 1) === 0x28) start--;
    if (mobileLayoutOk(text) && digitBoundaryOk(view, start, end, usesSpaceSeparator(text)) && contextAllows(view, start, text, ctx)) {
      out.push({ type: "tell", start, end, priority: PRIORITY.tell });
    } else {
      PHONE.lastIndex = m.index + 1;
    }
  }
}

const MOBILE_010 = /(?:^|[^\d])0?10(\d{0,2})\D+(\d+)\D+(\d+)$/;

/**
 * An 010 number has eleven digits, however grouped ("010-629-05769"), or ten in the 3-3-4
 * layout of numbers moved over from 011/016-019 ("010-123-4567"). Other numbers pass.
 */
function mobileLayoutOk(text: string): boolean {
  const m = MOBILE_010.exec(text);
  if (m === null || !/^(?:\+?\(?\+?(?:00 ?)?82\)?[ .-]?(?:\(0\) ?)?0?|0)10/.test(text)) return true;
  const [, extra, middle, last] = m as unknown as [string, string, string, string];
  const digits = 3 + extra.length + middle.length + last.length;
  return digits === 11 || (digits === 10 && extra.length === 0 && middle.length === 3 && last.length === 4);
}

function contextAllows(view: string, start: number, text: string, ctx: RecognizerContext): boolean {
  const bare = ALL_DIGITS.test(text);
  const representative = text.charCodeAt(0) === 0x31;
  if (!bare && !representative) return true;
  let cue = nearestCue(clauseBefore(view, start, 24, ctx.tokens), TELL_CUE, TELL_BLOCK_BARE);
  if (cue === null) {
    // The column header (주문번호, 연락처 …) or the label on the line above.
    const structure = structuralContext(view, start, start + text.length, ctx.tokens);
    if (structure !== null) cue = nearestCue(structure.before, TELL_CUE, TELL_BLOCK_BARE);
  }
  if (bare && cue === "negative") return false;
  if (representative && cue !== "positive" && looksLikeYearRange(text)) return false;
  return true;
}

/** "1600-1700": a later second half below 2100 reads as years unless a phone cue says otherwise. */
function looksLikeYearRange(text: string): boolean {
  const first = Number(text.slice(0, 4));
  const second = Number(text.slice(-4));
  return second > first && second < 2100;
}
