/**
 * The quality targets on labelled sets: the kinds of good text and junk of
 * test/fixtures/quality/corpus-kinds.mjs, built from sentences written for the tests, and, when
 * ../shared/corpora is present, the real Wikipedia paragraphs every filter must keep.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeText } from "../../src/stages/normalize.js";
import { judgeText } from "../../src/stages/quality/judge.js";
import { qualitySettings } from "../../src/stages/quality/options.js";
// A plain .mjs fixture, shared with bench/quality-eval.mjs.
import { labelledSet, selfWrittenPool } from "../fixtures/quality/corpus-kinds.mjs";
import { ROOT } from "../helpers/cli.js";

interface Labelled {
  id: string;
  kind: string;
  junk: boolean;
  text: string;
}

function rates(docs: Labelled[], preset: "korean-web" | "basic") {
  const o = qualitySettings({ preset });
  const byKind = new Map<string, { junk: boolean; n: number; dropped: number }>();
  for (const d of docs) {
    const k = byKind.get(d.kind) ?? { junk: d.junk, n: 0, dropped: 0 };
    k.n++;
    if (judgeText(normalizeText(d.text), o).reason !== undefined) k.dropped++;
    byKind.set(d.kind, k);
  }
  const sum = (junk: boolean, f: (k: { n: number; dropped: number }) => number) => [...byKind.values()].filter((k) => k.junk === junk).reduce((a, k) => a + f(k), 0);
  return {
    recall: sum(true, (k) => k.dropped) / sum(true, (k) => k.n),
    keep: 1 - sum(false, (k) => k.dropped) / sum(false, (k) => k.n),
    byKind,
  };
}

describe("korean-web on a labelled set written for the tests", () => {
  const docs = labelledSet(selfWrittenPool(11), { seed: 21, goodPerKind: 15, junkPerKind: 8 }) as Labelled[];

  it("covers at least 20 kinds of junk", () => {
    expect(new Set(docs.filter((d) => d.junk).map((d) => d.kind)).size).toBeGreaterThanOrEqual(20);
  });

  it("drops at least 90% of the junk and keeps at least 97% of the good documents", () => {
    const r = rates(docs, "korean-web");
    expect(r.recall).toBeGreaterThanOrEqual(0.9);
    expect(r.keep).toBeGreaterThanOrEqual(0.97);
  });

  it("keeps every kind of good text at 90% or more: verse, recipes, lists, dialogue, English terms, hanja, NFD", () => {
    for (const [kind, k] of rates(docs, "korean-web").byKind) if (!k.junk) expect(1 - k.dropped / k.n, kind).toBeGreaterThanOrEqual(0.9);
  });

  it("catches far more junk than the basic preset's three rules", () => {
    expect(rates(docs, "korean-web").recall).toBeGreaterThan(rates(docs, "basic").recall + 0.4);
  });
});

const korquad = path.resolve(ROOT, "../shared/corpora/korquad-v1.0-dev.json");

describe.skipIf(!existsSync(korquad))("real Wikipedia text (../shared/corpora, when present)", () => {
  it("drops no KorQuAD paragraph of 50 characters or more", () => {
    const data = JSON.parse(readFileSync(korquad, "utf8")) as { data: { paragraphs: { context: string }[] }[] };
    const o = qualitySettings();
    const dropped: string[] = [];
    let checked = 0;
    for (const article of data.data) {
      for (const [i, p] of article.paragraphs.entries()) {
        const text = normalizeText(p.context);
        if (text.length < 50) continue;
        checked++;
        const reason = judgeText(text, o).reason;
        if (reason) dropped.push(`paragraph ${i} of an article: ${reason}`);
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(dropped).toEqual([]);
  });
});
