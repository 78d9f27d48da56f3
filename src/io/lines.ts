/**
 * Splits a byte stream into lines with bounded memory, checking UTF-8 as it goes.
 * Whole chunks are validated and decoded at once (the common case); only a chunk that fails the
 * check is split line by line to find the bad lines, so valid input pays almost nothing extra.
 */
import { isUtf8 } from "node:buffer";

export interface Line {
  /** 1-based line number. */
  no: number;
  /** The decoded line without its newline (and without a trailing \r); undefined when the bytes are not valid UTF-8 or the line was too long. */
  text: string | undefined;
  /** Why `text` is missing. */
  problem?: "invalid_utf8" | "too_long";
  /** Bytes of the line in the input, without the newline; measured only for lines with a problem. */
  bytes?: number;
}

const NEWLINE = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const EMPTY = Buffer.alloc(0);

export interface SplitOptions {
  /** A CR not followed by LF ends a line too (old Mac text; what `.txt` readers expect). */
  loneCrBreaks?: boolean;
}

function stripCR(s: string): string {
  return s.length > 0 && s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s;
}

/**
 * Lines of a byte stream. A line longer than `maxLineBytes` is not kept in memory: its bytes are
 * skipped up to the next newline and it is reported with problem "too_long".
 */
export async function* splitLines(chunks: AsyncIterable<Buffer>, maxLineBytes: number, firstLineNo = 1, options: SplitOptions = {}): AsyncGenerator<Line> {
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let skipping = false; // inside an over-long line whose bytes are being dropped
  let skippedBytes = 0;
  let no = firstLineNo - 1;
  // A UTF-8 byte order mark belongs to the file, not to its first record (editors on Windows write one).
  let atFileStart = firstLineNo === 1;
  const crBreaks = options.loneCrBreaks === true;

  for await (let chunk of chunks) {
    if (atFileStart && chunk.length > 0) {
      if (chunk.length < BOM.length && carryBytes + chunk.length < BOM.length) {
        carry.push(chunk);
        carryBytes += chunk.length;
        continue;
      }
      if (carryBytes > 0) {
        chunk = Buffer.concat([...carry, chunk]);
        carry = [];
        carryBytes = 0;
      }
      if (chunk.subarray(0, BOM.length).equals(BOM)) chunk = chunk.subarray(BOM.length);
      atFileStart = false;
    }
    let start = 0;
    if (skipping) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl < 0) {
        skippedBytes += chunk.length;
        continue;
      }
      skippedBytes += nl;
      yield { no: ++no, text: undefined, problem: "too_long", bytes: skippedBytes };
      skipping = false;
      skippedBytes = 0;
      start = nl + 1;
    }
    const lastNl = chunk.lastIndexOf(NEWLINE);
    if (lastNl < start) {
      // No line ends in this chunk: keep it, unless the pending line is already too long.
      const rest = start === 0 ? chunk : chunk.subarray(start);
      carry.push(rest);
      carryBytes += rest.length;
      if (carryBytes > maxLineBytes) {
        skipping = true;
        skippedBytes = carryBytes;
        carry = [];
        carryBytes = 0;
      }
      continue;
    }
    // Bytes from the first pending byte up to the last newline of this chunk hold complete lines.
    let block = chunk.subarray(start, lastNl);
    if (carryBytes > 0) {
      carry.push(block);
      block = Buffer.concat(carry);
      carry = [];
      carryBytes = 0;
    }
    if (isUtf8(block)) {
      // A block no longer than the limit cannot hold a line over it, so sizes are measured only for big blocks.
      const measure = block.length > maxLineBytes;
      const decoded = splitDecoded(block.toString("utf8"), crBreaks);
      // Neither the bytes nor a line's text stay referenced here while the consumer works on the
      // line: for one huge line (a 60 MB document) each would be another copy of it in memory.
      block = EMPTY;
      for (let k = 0; k < decoded.length; k++) yield takeLine(decoded, k, ++no, measure ? maxLineBytes : Infinity);
    } else {
      yield* splitCheckedBlock(block, maxLineBytes, () => ++no, crBreaks);
    }
    const tail = chunk.subarray(lastNl + 1);
    if (tail.length > 0) {
      carry.push(tail);
      carryBytes = tail.length;
    }
  }
  if (skipping) {
    yield { no: ++no, text: undefined, problem: "too_long", bytes: skippedBytes };
  } else if (carryBytes > 0) {
    let block = Buffer.concat(carry);
    // Only a file shorter than a BOM, held back whole, can end here with its newline: that newline
    // ends its last line, it does not start an empty one.
    if (block[block.length - 1] === NEWLINE) block = block.subarray(0, -1);
    yield* splitCheckedBlock(block, maxLineBytes, () => ++no, crBreaks);
  }
}

/** Line `k` of a decoded block, taken out of the block; too long when over `maxLineBytes`. */
function takeLine(decoded: string[], k: number, no: number, maxLineBytes: number): Line {
  const text = stripCR(decoded[k]!);
  decoded[k] = "";
  if (maxLineBytes !== Infinity) {
    const bytes = Buffer.byteLength(text);
    if (bytes > maxLineBytes) return { no, text: undefined, problem: "too_long", bytes };
  }
  return { no, text };
}

function splitDecoded(block: string, crBreaks: boolean): string[] {
  if (!crBreaks || block.indexOf("\r") < 0) return block.split("\n");
  // A CR that ends the block pairs with the LF that ended it (CRLF), so it is no break of its own.
  const body = block.charCodeAt(block.length - 1) === 13 ? block.slice(0, -1) : block;
  return body.split(/\r\n|\r|\n/);
}

/** The pieces of one LF-terminated line, cut at lone CRs when asked. */
function crPieces(line: Buffer, crBreaks: boolean): Buffer[] {
  if (!crBreaks || line.indexOf(CR) < 0) return [line];
  const body = line[line.length - 1] === CR ? line.subarray(0, -1) : line;
  const pieces: Buffer[] = [];
  let from = 0;
  for (let i = body.indexOf(CR); i >= 0; i = body.indexOf(CR, from)) {
    pieces.push(body.subarray(from, i));
    from = i + 1;
  }
  pieces.push(body.subarray(from));
  return pieces;
}

function* splitCheckedBlock(block: Buffer, maxLineBytes: number, nextNo: () => number, crBreaks = false): Generator<Line> {
  let from = 0;
  while (from <= block.length) {
    let nl = block.indexOf(NEWLINE, from);
    if (nl < 0) nl = block.length;
    for (const lineBuf of crPieces(block.subarray(from, nl), crBreaks)) {
      const no = nextNo();
      if (lineBuf.length > maxLineBytes) yield { no, text: undefined, problem: "too_long", bytes: lineBuf.length };
      else if (!isUtf8(lineBuf)) yield { no, text: undefined, problem: "invalid_utf8", bytes: lineBuf.length };
      else yield { no, text: stripCR(lineBuf.toString("utf8")), bytes: lineBuf.length };
    }
    from = nl + 1;
  }
}
