/**
 * Every code point, U+0000 to U+10FFFF (lone surrogates included), in several contexts: after a
 * letter, after a space, doubled, before a digit, before a newline. Each block of code points is
 * one text; the fast engine's ids must equal the library's for each. The whole range runs with
 * the sample tokenizer (NFC normalizer: this also holds JavaScript's NFC to the library's); the
 * other shapes sweep the Basic Multilingual Plane, where the class and prefix-space rules differ.
 * The library needs about 30 CPU-seconds for the whole range, so the timeout is generous.
 */
import { describe, it } from "vitest";
import { tmpDir } from "../helpers/tmp.js";
import { engineIds, expectSameIds, oracleIds, POLYGLOT_TOKENIZER, SAMPLE_TOKENIZER, writeGpt2StyleTokenizer } from "./engine-oracle.js";

const BLOCK = 256;
const SLOW = 600_000; // wall time on a machine shared by many jobs; about 35 CPU-seconds

function sweepTexts(end: number): string[] {
  const texts: string[] = [];
  for (let first = 0; first < end; first += BLOCK) {
    let text = "";
    for (let cp = first; cp < first + BLOCK; cp++) {
      const c = cp < 0x10000 ? String.fromCharCode(cp) : String.fromCharCode(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
      text += `a${c} ${c}${c}1\n`;
    }
    texts.push(text);
  }
  return texts;
}

async function expectSweepExact(file: string, end: number): Promise<void> {
  const texts = sweepTexts(end);
  expectSameIds(texts, await engineIds(file, texts), await oracleIds(file, texts));
}

describe("every code point in context", () => {
  it("gives the library's ids for U+0000-U+10FFFF with the sample tokenizer (NFC normalizer)", { timeout: SLOW }, async () => {
    await expectSweepExact(SAMPLE_TOKENIZER, 0x110000);
  });

  it("gives the library's ids for U+0000-U+FFFF with a GPT-2-style tokenizer (prefix space)", { timeout: SLOW }, async () => {
    await expectSweepExact(await writeGpt2StyleTokenizer(tmpDir()), 0x10000);
  });

  it.skipIf(!POLYGLOT_TOKENIZER)("gives the library's ids for U+0000-U+FFFF with the Polyglot-Ko tokenizer", { timeout: SLOW }, async () => {
    await expectSweepExact(POLYGLOT_TOKENIZER!, 0x10000);
  });
});
