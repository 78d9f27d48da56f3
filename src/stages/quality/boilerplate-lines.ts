/**
 * Line-level cleaning of web and news pages: the lines a page wraps around its text (share buttons,
 * copyright notices, navigation, link lists, bylines) are cut, the block that closes a news article
 * (from "무단전재 및 재배포 금지" or "관련기사" on) is cut with everything after it, and a dateline
 * such as "(서울=연합뉴스) 홍길동 기자 =" is taken off the front of its line. Only short lines are ever
 * cut whole (a sentence of prose that mentions copyright stays), and each cut is counted by rule.
 */
import { wordListPattern } from "./wordlists.js";

export type LineRule = "news_tail" | "boilerplate" | "link_line" | "nav_line" | "byline" | "dateline";

export interface CleanedLines {
  text: string;
  /** Lines cut (or, for `dateline`, shortened) per rule; absent rules cut nothing. */
  cuts: Partial<Record<LineRule, number>>;
}

/** Longest line cut whole: page furniture is short, and a long line is somebody's prose. */
const MAX_FURNITURE_CHARS = 80;

const LINK_LINE = /^[▶▷►☞→➤▸※]/;
const NAV_SEPARATORS = /\s*[|｜›»>ㅣ┃]\s*/;
const BYLINE = /^[[(/<]?\s*[가-힣]{2,4}\s?(?:기자|특파원|통신원|객원기자|인턴기자|PD)\s*[=\])>]?\s*(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+)?\s*$/;
const EMAIL_ONLY = /^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/;
// "(서울=연합뉴스) 홍길동 기자 =", "[부산=뉴시스]", "【도쿄=AP】": a place, "=", an agency.
const DATELINE = /^[[(【<]\s*[가-힣A-Za-z]{1,10}\s*=\s*[가-힣A-Za-z0-9 ]{1,15}[\])】>]\s*(?:[가-힣]{2,4}\s?(?:기자|특파원)\s*=\s*)?/;

let patterns: { tail: RegExp; furniture: RegExp } | undefined;
function lists() {
  return (patterns ??= { tail: wordListPattern("news-tails", ""), furniture: wordListPattern("boilerplate-lines", "") });
}

function isNavLine(line: string): boolean {
  const items = line.split(NAV_SEPARATORS);
  if (items.length < 4) return false;
  for (const item of items) if (item.length > 12) return false;
  return true;
}

/** Which rule cuts this whole line, if any (the dateline rule shortens instead; see cleanLines). */
function furnitureRule(line: string): LineRule | undefined {
  if (line.length > MAX_FURNITURE_CHARS) return undefined;
  const { tail, furniture } = lists();
  if (tail.test(line)) return "news_tail";
  if (furniture.test(line)) return "boilerplate";
  if (LINK_LINE.test(line)) return "link_line";
  if (BYLINE.test(line) || EMAIL_ONLY.test(line)) return "byline";
  if (isNavLine(line)) return "nav_line";
  return undefined;
}

export function cleanLines(text: string): CleanedLines {
  const lines = text.split("\n");
  const cuts: Partial<Record<LineRule, number>> = {};
  const kept: string[] = [];
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const rule = furnitureRule(line.trim());
    if (rule === "news_tail") {
      cuts.news_tail = lines.length - i;
      changed = true;
      break;
    }
    if (rule) {
      cuts[rule] = (cuts[rule] ?? 0) + 1;
      changed = true;
      continue;
    }
    const c = line.charCodeAt(0);
    if (c === 0x28 || c === 0x5b || c === 0x3010 || c === 0x3c) {
      const m = DATELINE.exec(line);
      if (m) {
        line = line.slice(m[0].length);
        cuts.dateline = (cuts.dateline ?? 0) + 1;
        changed = true;
      }
    }
    kept.push(line);
  }
  if (!changed) return { text, cuts };
  return { text: kept.join("\n").replace(/\n{3,}/g, "\n\n").trim(), cuts };
}
