import { decodeValidUtf8 } from "../../src/io/utf8-decode.js";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { splitLines } from "../../src/io/lines.js";
import { collect } from "../helpers/tmp.js";

async function* chunked(buf: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let from = 0;
  for (const c of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (c <= from || c >= buf.length) continue;
    yield buf.subarray(from, c);
    from = c;
  }
  yield buf.subarray(from);
}

describe("splitLines", () => {
  it("gives the same lines however the bytes are chunked, even inside a multi-byte character", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: fc.constantFrom("가", "나", "a", " ", "😀", "\r") }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(400), { maxLength: 10 }),
        async (lines, cuts) => {
          const buf = Buffer.from(lines.join("\n"), "utf8");
          const got = await collect(splitLines(chunked(buf, cuts), 1 << 20));
          // A final newline ends the last line; it does not start an empty one.
          const parts = lines.join("\n").split("\n");
          if (parts[parts.length - 1] === "") parts.pop();
          const want = parts.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
          expect(got.map((l) => l.text)).toEqual(want);
          expect(got.map((l) => l.no)).toEqual(want.map((_, i) => i + 1));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("reports the same lines, numbers and problems (invalid UTF-8, too long, lone CR) however the bytes are chunked", async () => {
    const piece = fc.constantFrom(Buffer.from("가"), Buffer.from("a"), Buffer.from("\n"), Buffer.from("\r"), Buffer.from([0xff]), Buffer.from("😀"), Buffer.from("abcdefghij"));
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 60 }), fc.array(fc.nat(200), { maxLength: 12 }), fc.boolean(), async (pieces, cuts, loneCrBreaks) => {
        const buf = Buffer.concat(pieces);
        // Lone CRs only with a large limit: a pending line is measured before its lone CRs split it, so a line
        // near the limit can be too long in one chunking and not in another (an open edge case).
        const max = loneCrBreaks ? 1 << 20 : 16;
        // A line's size is promised only with a problem.
        const seen = async (cutAt: number[]) =>
          (await collect(splitLines(chunked(buf, cutAt), max, 1, { loneCrBreaks }))).map((l) => ({ no: l.no, text: l.text, problem: l.problem, bytes: l.problem ? l.bytes : undefined }));
        expect(await seen(cuts)).toEqual(await seen([]));
      }),
      { numRuns: 300 },
    );
  });

  it("gives a file shorter than a byte-order mark its lines once: 'a\\n' is one line", async () => {
    async function* one(s: string): AsyncGenerator<Buffer> {
      yield Buffer.from(s);
    }
    for (const [file, lines] of [["\n", [""]], ["a\n", ["a"]], ["\n\n", ["", ""]], ["ab", ["ab"]]] as const) {
      expect((await collect(splitLines(one(file), 1 << 20))).map((l) => l.text), JSON.stringify(file)).toEqual(lines);
    }
  });

  it("skips an over-long line across many chunks without keeping it, then carries on", async () => {
    const long = Buffer.alloc(50_000, 0x61);
    const buf = Buffer.concat([Buffer.from("앞 줄\n"), long, Buffer.from("\n뒷 줄\n")]);
    const cuts = Array.from({ length: 60 }, (_, i) => 7 + i * 1000);
    const got = await collect(splitLines(chunked(buf, cuts), 4096));
    expect(got.map((l) => [l.no, l.text, l.problem])).toEqual([
      [1, "앞 줄", undefined],
      [2, undefined, "too_long"],
      [3, "뒷 줄", undefined],
    ]);
    expect(got[1]!.bytes).toBe(50_000);
  });

  it("flags only the line with invalid UTF-8", async () => {
    const buf = Buffer.concat([Buffer.from("좋은 줄\n"), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from("다음 줄")]);
    const got = await collect(splitLines(chunked(buf, [3]), 1 << 20));
    expect(got.map((l) => l.problem ?? l.text)).toEqual(["좋은 줄", "invalid_utf8", "다음 줄"]);
  });

  it("flags a line read across many chunks as invalid UTF-8 wherever the bad byte is, and keeps the lines around it", async () => {
    const line = Buffer.from("긴 줄입니다 ".repeat(2000));
    for (const at of [0, 1, 5000, line.length - 1]) {
      const bad = Buffer.concat([line.subarray(0, at), Buffer.from([0xc3]), line.subarray(at)]);
      const buf = Buffer.concat([Buffer.from("앞 줄\n"), bad, Buffer.from("\n뒷 줄\n"), line]);
      const cuts = Array.from({ length: 40 }, (_, i) => 5 + i * 997);
      const got = await collect(splitLines(chunked(buf, cuts), 1 << 20));
      expect(got.map((l) => l.problem ?? l.text), `bad byte at ${at}`).toEqual(["앞 줄", "invalid_utf8", "뒷 줄", line.toString()]);
      expect(got[1]!.bytes).toBe(bad.length);
    }
  });
});

describe("decodeValidUtf8", () => {
  it("decodes valid UTF-8 exactly as Buffer#toString, whatever the mix of 1- to 4-byte characters", () => {
    // Code points from every UTF-8 length, surrogate pairs and a byte order mark among them.
    const pool = [0x41, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0xac00, 0xd7a3, 0xfeff, 0xffff, 0x10000, 0x1f600, 0x10ffff, 0x0a, 0x0d];
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let round = 0; round < 200; round++) {
      const length = next() % 600;
      let text = "";
      // Some texts start with ASCII for longer than the decoder looks before choosing its path.
      if (round % 3 === 0) text += "x".repeat(next() % 400);
      for (let k = 0; k < length; k++) text += String.fromCodePoint(pool[next() % pool.length]!);
      const bytes = Buffer.from(text, "utf8");
      expect(decodeValidUtf8(bytes)).toBe(bytes.toString("utf8"));
      // A view into a bigger buffer, as a block of a read chunk is.
      expect(decodeValidUtf8(Buffer.concat([Buffer.from("ab"), bytes]).subarray(2))).toBe(bytes.toString("utf8"));
    }
  });
});
