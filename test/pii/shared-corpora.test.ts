/**
 * Real Korean text (Wikipedia and news, in ../shared beside the repository when present) holds no registration,
 * phone or account numbers, and plenty of dates, years and amounts: nothing may be replaced.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Scrubber } from "../../src/pii/index.js";

// ../shared beside the repository, when it is there; the test skips without it.
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CORPORA = path.resolve(REPO_ROOT, "../shared/corpora");
const KORQUAD = `${CORPORA}/korquad-v1.0-dev.json`;

describe("real Korean text", () => {
  it.skipIf(!existsSync(KORQUAD))("leaves every paragraph of KorQuAD and the news sentences unchanged", () => {
    const data = JSON.parse(readFileSync(KORQUAD, "utf8")) as { data: { paragraphs: { context: string }[] }[] };
    const texts = data.data.flatMap((a) => a.paragraphs.map((p) => p.context));
    for (const f of ["park-news-dev.ko.txt", "park-news-test.ko.txt"]) {
      if (existsSync(`${CORPORA}/${f}`)) texts.push(...readFileSync(`${CORPORA}/${f}`, "utf8").split("\n"));
    }
    const scrubber = new Scrubber();
    // Positions only in the failure message: the texts are real.
    const hits = texts.flatMap((t, i) => scrubber.find(t).map((m) => ({ text: i, type: m.type, start: m.start })));
    expect(hits).toEqual([]);
    expect(texts.length).toBeGreaterThan(1000);
  });
});
