/**
 * Context that structure carries instead of neighbouring words: the header of a table column
 * (CSV/TSV, markdown or HTML) above a bare number, the cell next to it (a bank name), and the
 * lines around a number that stands on a line of its own ("입금하실 곳은 …⏎110-…⏎(토스뱅크, 예금주 …)").
 * Recognizers ask only when the number's own clause decided nothing.
 */

export interface StructuralContext {
  /** A table cell, or a number on a line of its own. */
  kind: "cell" | "line";
  /** Text that stands before the number by structure: its column header, the cell before it, the line above. */
  before: string;
  /** Text after it: the next cell, the line below. */
  after: string;
}

/** How far back a table header may be (characters), and how much of a cell or line is read. */
const MAX_TABLE_REACH = 20_000;
const MAX_CELL = 80;
const MAX_LINES_UP = 200;

const HAS_DIGIT = /\d/;
const TAG = /<[^>]*>/g;
const CELL_OPEN = /<t[dh](?=[\s>])/gi;
// What may stand on a line beside a number that has the line to itself: bullets, labels' colons, brackets.
const LINE_ALONE = /^[\s\-*·•:>()[\]]*$/;

const clip = (s: string) => s.slice(0, MAX_CELL);

/**
 * The structural context of the number at [start, end) of `view`, or null when it has none.
 * Privacy tokens already in the text are read as blanks when telling cells apart (their bars
 * make no table) and end the context like a clause, so scrubbed text reads the same way again.
 */
export function structuralContext(view: string, start: number, end: number, tokens: readonly string[]): StructuralContext | null {
  const lineStart = view.lastIndexOf("\n", start - 1) + 1;
  let lineEnd = view.indexOf("\n", end);
  if (lineEnd < 0) lineEnd = view.length;
  const html = htmlCell(view, start, lineStart);
  const context = html ?? delimitedCell(view, lineStart, lineEnd, start, tokens) ?? lineOfItsOwn(view, lineStart, lineEnd, start, end);
  if (context === null) return null;
  return { kind: context.kind, before: afterLastToken(context.before, tokens), after: beforeFirstToken(context.after, tokens) };
}

// Like a clause, structural context never reaches across a privacy token already in the text.
function afterLastToken(s: string, tokens: readonly string[]): string {
  let out = s;
  for (const t of tokens) {
    const i = out.lastIndexOf(t);
    if (i >= 0) out = out.slice(i + t.length);
  }
  return out;
}

function beforeFirstToken(s: string, tokens: readonly string[]): string {
  let out = s;
  for (const t of tokens) {
    const i = out.indexOf(t);
    if (i >= 0) out = out.slice(0, i);
  }
  return out;
}

/** `s` with each privacy token replaced by as many spaces (offsets stay). */
function blankTokens(s: string, tokens: readonly string[]): string {
  if (!s.includes("<|")) return s;
  let out = s;
  for (const t of tokens) if (out.includes(t)) out = out.split(t).join(" ".repeat(t.length));
  return out;
}

// --- HTML tables ---

function htmlCell(view: string, pos: number, lineStart: number): StructuralContext | null {
  if (lastIndexOfTag(view, "<td", pos) < 0 && lastIndexOfTag(view, "<th", pos) < 0) return null;
  // Cells without their row ("<td>BNK경남은행</td><td>207-…</td>"): the line is the row.
  let rowStart = lastIndexOfTag(view, "<tr", pos);
  if (rowStart < 0) rowStart = lineStart;
  if (pos - rowStart > MAX_TABLE_REACH) return null;
  const rowEndBefore = lastIndexOfTag(view, "</tr", pos);
  if (rowEndBefore > rowStart) return null;
  const rowEnd = indexOfTag(view, "</tr", pos);
  const row = cellsOf(view, rowStart, rowEnd < 0 ? Math.min(view.length, pos + MAX_CELL * 4) : rowEnd);
  const index = row.findIndex((c) => c.start <= pos && pos < c.end);
  if (index < 0) return null;
  const tableStart = Math.max(lastIndexOfTag(view, "<table", pos), 0, rowStart - MAX_TABLE_REACH);
  const firstRow = indexOfTag(view, "<tr", tableStart);
  let header = "";
  if (firstRow >= 0 && firstRow < rowStart) {
    const headerEnd = indexOfTag(view, "</tr", firstRow);
    const cells = cellsOf(view, firstRow, headerEnd < 0 ? rowStart : headerEnd);
    const cell = cells[index];
    if (cell && !HAS_DIGIT.test(cell.text)) header = cell.text;
  }
  const previous = index > 0 ? row[index - 1]!.text : "";
  const next = index + 1 < row.length ? row[index + 1]!.text : "";
  return { kind: "cell", before: `${clip(header)} ${clip(previous)}`, after: clip(next) };
}

interface Cell {
  start: number;
  end: number;
  text: string;
}

/** The cells of one row: each from its opening tag to the next cell's (or the row's end), tags stripped. */
function cellsOf(view: string, from: number, to: number): Cell[] {
  const opens: number[] = [];
  CELL_OPEN.lastIndex = from;
  for (let m = CELL_OPEN.exec(view); m !== null && m.index < to; m = CELL_OPEN.exec(view)) opens.push(m.index);
  return opens.map((s, i) => {
    const e = i + 1 < opens.length ? opens[i + 1]! : to;
    return { start: s, end: e, text: view.slice(s, e).replace(TAG, " ").trim() };
  });
}

function lastIndexOfTag(view: string, tag: string, pos: number): number {
  const a = view.lastIndexOf(tag, pos);
  const b = view.lastIndexOf(tag.toUpperCase(), pos);
  return Math.max(a, b);
}

function indexOfTag(view: string, tag: string, pos: number): number {
  const a = view.indexOf(tag, pos);
  const b = view.indexOf(tag.toUpperCase(), pos);
  if (a < 0) return b;
  if (b < 0) return a;
  return Math.min(a, b);
}

// --- markdown tables, CSV and TSV ---

function delimiterOf(line: string): string | null {
  if (line.includes("|")) return "|";
  if (line.includes("\t")) return "\t";
  if (line.includes(",")) return ",";
  return null;
}

const count = (s: string, d: string) => s.split(d).length - 1;
const MARKDOWN_RULE = /^\s*\|?\s*:?-{2,}/;

function delimitedCell(view: string, lineStart: number, lineEnd: number, pos: number, tokens: readonly string[]): StructuralContext | null {
  const line = blankTokens(view.slice(lineStart, lineEnd), tokens);
  const d = delimiterOf(line);
  if (d === null) return null;
  const cells = line.split(d);
  const index = count(line.slice(0, pos - lineStart), d);
  const width = cells.length;
  // The header is the first line of the block of lines split the same way.
  let headerStart = lineStart;
  let at = lineStart;
  for (let up = 0; up < MAX_LINES_UP && at > 0 && lineStart - at < MAX_TABLE_REACH; up++) {
    const prevStart = view.lastIndexOf("\n", at - 2) + 1;
    const prev = blankTokens(view.slice(prevStart, at - 1).replace(/\r$/, ""), tokens);
    if (count(prev, d) + 1 !== width) break;
    if (!(d === "|" && MARKDOWN_RULE.test(prev))) headerStart = prevStart;
    at = prevStart;
  }
  // One line split by commas is a sentence ("국민은행, 123456-…"), not a table; one split by bars
  // or tabs is a table row without its header ("| 계좌 | 110-… |").
  if (headerStart === lineStart && d === ",") return null;
  let header = "";
  if (headerStart < lineStart) {
    const headerLine = blankTokens(view.slice(headerStart, view.indexOf("\n", headerStart)), tokens);
    const headerCell = (headerLine.split(d)[index] ?? "").trim();
    if (!HAS_DIGIT.test(headerCell)) header = headerCell;
  }
  const previous = index > 0 ? cells[index - 1]!.trim() : "";
  const next = index + 1 < width ? cells[index + 1]!.trim() : "";
  return { kind: "cell", before: `${clip(header)} ${clip(previous)}`, after: clip(next) };
}

// --- a number on a line of its own ---

function lineOfItsOwn(view: string, lineStart: number, lineEnd: number, start: number, end: number): StructuralContext | null {
  if (!LINE_ALONE.test(view.slice(lineStart, start)) || !LINE_ALONE.test(view.slice(end, lineEnd))) return null;
  return { kind: "line", before: clip(lastLine(view, lineStart)), after: clip(nextLine(view, lineEnd)) };
}

/** The nearest non-blank line before the line starting at `lineStart`, from its end. */
function lastLine(view: string, lineStart: number): string {
  let at = lineStart - 1;
  while (at > 0) {
    const s = view.lastIndexOf("\n", at - 1) + 1;
    const line = view.slice(s, at).trim();
    if (line !== "") return line.slice(-MAX_CELL);
    at = s - 1;
  }
  return "";
}

function nextLine(view: string, lineEnd: number): string {
  let at = lineEnd + 1;
  while (at < view.length) {
    let e = view.indexOf("\n", at);
    if (e < 0) e = view.length;
    const line = view.slice(at, e).trim();
    if (line !== "") return line;
    at = e + 1;
  }
  return "";
}
