/**
 * The byte-level readers on their own, at the edges the CLI tests cannot place exactly: a BOM split
 * across chunks, CR at chunk ends, gzip members and damage at known offsets, bounded JSON values.
 */
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { splitLines } from "../../src/io/lines.js";
import { gunzipMembers, GzipDamageError } from "../../src/io/gunzip-members.js";
import { readJsonPath } from "../../src/io/json-path.js";
import { collect } from "../helpers/tmp.js";

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.isBuffer(p) ? p : Buffer.from(p, "latin1");
}

const texts = async (it: AsyncIterable<{ text: string | undefined }>) => (await collect(it)).map((l) => l.text);

describe("splitLines", () => {
  it("drops a UTF-8 byte order mark even when it arrives one byte per chunk", async () => {
    expect(await texts(splitLines(chunks("\xef", "\xbb", "\xbfa\nb\n"), 100))).toEqual(["a", "b"]);
  });

  it("keeps a BOM-like sequence that is not at the start of the file", async () => {
    expect(await texts(splitLines(chunks("a\n\xef\xbb\xbfb\n"), 100))).toEqual(["a", "\ufeffb"]);
  });

  it("with lone CR breaks: a lone CR ends a line, CRLF split across chunks is one break", async () => {
    const lines = await collect(splitLines(chunks("one\rtwo\r", "\nthree\rfour"), 100, 1, { loneCrBreaks: true }));
    expect(lines.map((l) => [l.no, l.text])).toEqual([
      [1, "one"],
      [2, "two"],
      [3, "three"],
      [4, "four"],
    ]);
  });

  it("without lone CR breaks (JSONL), CR stays inside the line", async () => {
    expect(await texts(splitLines(chunks("a\rb\r\n"), 100))).toEqual(["a\rb"]);
  });
});

describe("gunzipMembers", () => {
  const a = gzipSync("first member\n");
  const b = gzipSync("second member\n");

  it("decodes every member in order, like gzip -dc", async () => {
    expect(Buffer.concat(await collect(gunzipMembers(chunks(Buffer.concat([a, b]))))).toString()).toBe("first member\nsecond member\n");
  });

  it("accepts zero padding after the last member", async () => {
    expect(Buffer.concat(await collect(gunzipMembers(chunks(a, Buffer.alloc(512))))).toString()).toBe("first member\n");
  });

  it("yields the members before trailing garbage, then fails naming the garbage's byte offset", async () => {
    const got: Buffer[] = [];
    const err = await (async () => {
      try {
        for await (const c of gunzipMembers(chunks(a, b, "garbage"))) got.push(c);
      } catch (e) {
        return e as GzipDamageError;
      }
    })();
    expect(Buffer.concat(got).toString()).toBe("first member\nsecond member\n");
    expect(err).toBeInstanceOf(GzipDamageError);
    expect(err!.offset).toBe(a.length + b.length);
  });

  it("fails on a flipped byte in a member's checksum, after that member's data", async () => {
    const bad = Buffer.from(b);
    bad[bad.length - 6]! ^= 0xff;
    await expect(collect(gunzipMembers(chunks(a, bad)))).rejects.toThrow(/gzip checksum mismatch at compressed byte \d+/);
  });
});

describe("readJsonPath with limits", () => {
  const json = (s: string) => Readable.from([Buffer.from(s)]);

  it("skips a string over the limit without building it and goes on with the next value", async () => {
    const items = await collect(readJsonPath(json(`{"d":[{"t":"${"x".repeat(5000)}"},{"t":"ok"}]}`), "d.*.t", { maxStringBytes: 1000 }));
    expect(items).toEqual([{ skipped: "over_max_doc_bytes", bytes: expect.any(Number) }, { value: "ok" }]);
  });

  it("skips a value nested deeper than the limit", async () => {
    const deep = '{"a":'.repeat(300) + "1" + "}".repeat(300);
    const items = await collect(readJsonPath(json(`{"d":[{"t":"x","m":${deep}},{"t":"y"}]}`), "d.*"));
    expect(items.map((i) => ("skipped" in i ? i.skipped : (i.value as { t: string }).t))).toEqual(["nesting_too_deep", "y"]);
  });

  it("rebuilds ordinary values exactly: numbers, booleans, null, nested arrays", async () => {
    const value = { t: "본문", n: -1.5e3, b: [true, false, null, [1, { k: "v" }]] };
    expect(await collect(readJsonPath(json(JSON.stringify({ d: [value] })), "d.*"))).toEqual([{ value }]);
  });
});
