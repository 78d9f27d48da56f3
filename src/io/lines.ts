/**
 * Splits a byte stream into lines with bounded memory, checking UTF-8 as it goes.
 * Whole chunks are validated and decoded at once (the common case); only a chunk that fails the
 * check is split line by line to find the bad lines, so valid input pays almost nothing extra.
 */
import { isUtf8 } from "node:buffer";
import { decodeValidUtf8 } from "./utf8-decode.js";

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
/** Bytes decoded at once: Korean text becomes under 32 KiB of UTF-16, well within V8's young objects. */
const DECODE_PIECE_BYTES = 24 * 1024;
const DECODE_IN_PIECES_UP_TO = 16 << 20;

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
  let skippedLast = -1;
  let no = firstLineNo - 1;
  // A UTF-8 byte order mark belongs to the file, not to its first record (editors on Windows write one).
  let atFileStart = firstLineNo === 1;
  const crBreaks = options.loneCrBreaks === true;
  // A line still being read is held as text when lone CRs do not break lines (see PendingText);
  // with them, as bytes, since one of its CR-separated pieces alone may be invalid.
  const pending = crBreaks ? undefined : new PendingText();
  const hold = (bytes: Buffer) => {
    if (pending) pending.add(bytes);
    else carry.push(bytes);
    carryBytes += bytes.length;
  };

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
        if (chunk.length > 0) skippedLast = chunk[chunk.length - 1]!;
        continue;
      }
      skippedBytes += nl;
      if (nl > 0) skippedLast = chunk[nl - 1]!;
      yield { no: ++no, text: undefined, problem: "too_long", bytes: skippedBytes - (!crBreaks && skippedLast === CR ? 1 : 0) };
      skipping = false;
      skippedBytes = 0;
      start = nl + 1;
    }
    const lastNl = chunk.lastIndexOf(NEWLINE);
    if (lastNl < start) {
      // No line ends in this chunk: keep it, unless the pending line is already too long.
      hold(start === 0 ? chunk : chunk.subarray(start));
      // One byte of slack: a CR just before the newline is stripped, so it does not count toward the size.
      if (carryBytes > maxLineBytes + 1) {
        skipping = true;
        skippedBytes = carryBytes;
        skippedLast = chunk[chunk.length - 1]!;
        carry = [];
        pending?.clear();
        carryBytes = 0;
      }
      continue;
    }
    // Bytes from the first pending byte up to the last newline of this chunk hold complete lines.
    let block = chunk.subarray(start, lastNl);
    let more = true; // whether `block` holds lines after the pending one
    if (carryBytes > 0 && pending) {
      const nl = block.indexOf(NEWLINE);
      yield pending.finish(nl < 0 ? block : block.subarray(0, nl), ++no, maxLineBytes);
      carryBytes = 0;
      more = nl >= 0;
      block = more ? block.subarray(nl + 1) : EMPTY;
    } else if (carryBytes > 0) {
      carry.push(block);
      block = Buffer.concat(carry);
      carry = [];
      carryBytes = 0;
    }
    if (!more) {
      // the chunk's last newline ended the pending line
    } else if (isUtf8(block)) {
      // Decoded in pieces of whole lines that V8 can make ordinary (young) strings of: a string of
      // a whole 1 MiB chunk went to its large-object space, which cost five times the decoding.
      // A big block (a huge line) is decoded whole, as before.
      let from = 0;
      for (;;) {
        let to = block.length;
        if (to - from > DECODE_PIECE_BYTES && block.length <= DECODE_IN_PIECES_UP_TO) {
          const cut = block.lastIndexOf(NEWLINE, from + DECODE_PIECE_BYTES);
          to = cut >= from ? cut : block.indexOf(NEWLINE, from + DECODE_PIECE_BYTES);
          if (to < 0) to = block.length;
        }
        const piece = block.subarray(from, to);
        const last = to >= block.length;
        // Neither the bytes nor a line's text stay referenced here while the consumer works on the
        // line: for one huge line (a 60 MB document) each would be another copy of it in memory.
        if (last) block = EMPTY;
        // A piece no longer than the limit cannot hold a line over it, so sizes are measured only for big pieces.
        const measure = piece.length > maxLineBytes;
        const decoded = splitDecoded(decodeValidUtf8(piece), crBreaks);
        for (let k = 0; k < decoded.length; k++) yield takeLine(decoded, k, ++no, measure ? maxLineBytes : Infinity);
        if (last) break;
        from = to + 1;
      }
    } else {
      yield* splitCheckedBlock(block, maxLineBytes, () => ++no, crBreaks);
    }
    const tail = chunk.subarray(lastNl + 1);
    if (tail.length > 0) hold(tail);
  }
  if (skipping) {
    yield { no: ++no, text: undefined, problem: "too_long", bytes: skippedBytes - (!crBreaks && skippedLast === CR ? 1 : 0) };
  } else if (pending && pending.bytes > 0) {
    yield pending.finish(EMPTY, ++no, maxLineBytes);
  } else if (carryBytes > 0) {
    let block = Buffer.concat(carry);
    // Only a file shorter than a BOM, held back whole, can end here with its newline: that newline
    // ends its last line, it does not start an empty one.
    if (block[block.length - 1] === NEWLINE) block = block.subarray(0, -1);
    yield* splitCheckedBlock(block, maxLineBytes, () => ++no, crBreaks);
  }
}

/**
 * The start of a line whose newline has not come yet, decoded as its chunks come so that their
 * bytes can go: a 60 MB JSON line held as chunks, then joined, then decoded left about 170 MB of
 * bytes and text to the collector while the document was worked on. Invalid UTF-8 anywhere in
 * it makes the whole line invalid, as it would be checked whole.
 */
class PendingText {
  bytes = 0;
  private parts: string[] = [];
  private decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  private invalid = false;

  private lastByte = -1;

  add(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (chunk.length > 0) this.lastByte = chunk[chunk.length - 1]!;
    if (this.invalid) return;
    try {
      this.parts.push(this.decoder.decode(chunk, { stream: true }));
    } catch {
      this.invalid = true;
      this.parts = [];
    }
  }

  /** The whole line, ending with `head` (its bytes before the newline); then empty again. */
  finish(head: Buffer, no: number, maxLineBytes: number): Line {
    // A CR before the newline is not part of the line (stripCR), so it does not count toward its size either.
    const endsWithCR = (head.length > 0 ? head[head.length - 1] : this.lastByte) === 0x0d;
    const bytes = this.bytes + head.length - (endsWithCR ? 1 : 0);
    let text: string | undefined;
    if (!this.invalid && bytes <= maxLineBytes) {
      try {
        this.parts.push(this.decoder.decode(head));
        text = this.parts.join("");
      } catch {
        // invalid UTF-8 in its last bytes
      }
    }
    this.clear();
    if (bytes > maxLineBytes) return { no, text: undefined, problem: "too_long", bytes };
    if (text === undefined) return { no, text: undefined, problem: "invalid_utf8", bytes };
    return { no, text: stripCR(text) };
  }

  clear(): void {
    this.bytes = 0;
    this.lastByte = -1;
    this.parts = [];
    this.invalid = false;
    this.decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
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
    for (let lineBuf of crPieces(block.subarray(from, nl), crBreaks)) {
      const no = nextNo();
      // The CR of a CRLF is not part of the line, nor of its size (as for lines decoded whole).
      if (lineBuf.length > 0 && lineBuf[lineBuf.length - 1] === CR) lineBuf = lineBuf.subarray(0, -1);
      if (lineBuf.length > maxLineBytes) yield { no, text: undefined, problem: "too_long", bytes: lineBuf.length };
      else if (!isUtf8(lineBuf)) yield { no, text: undefined, problem: "invalid_utf8", bytes: lineBuf.length };
      else yield { no, text: lineBuf.toString("utf8"), bytes: lineBuf.length };
    }
    from = nl + 1;
  }
}
