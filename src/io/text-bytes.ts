/** Measuring texts in UTF-8 bytes, the unit of every size korpipe counts. */

let lastText = "";
let lastBytes = 0;

/**
 * The UTF-8 size of a text. A document passes through every stage of a task mostly as the same
 * string, and each stage counts its bytes in and out: the last text's size is kept, so a text is
 * measured once, not twice per stage (a scan of the whole text each time).
 */
export function textBytes(text: string): number {
  if (text !== lastText) {
    lastBytes = Buffer.byteLength(text, "utf8");
    lastText = text;
  }
  return lastBytes;
}
