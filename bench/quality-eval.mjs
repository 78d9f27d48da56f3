#!/usr/bin/env node
/**
 * Quality-filter evaluation on a labelled set: good documents composed from real Korean text
 * (KorQuAD Wikipedia paragraphs, news sentences from ../shared/corpora, read here and never copied
 * into the repository) and from kinds we wrote (verse with refrains, recipes, dialogue, hanja glosses,
 * English terms, NFD), and junk of 20+ kinds. Prints drop recall, keep rate and precision for each
 * preset, per-kind rates, and checks that no Wikipedia paragraph of 50+ characters is dropped.
 *
 *   npm run build && node bench/quality-eval.mjs [SEED]
 */
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { SHARED } from "./lib/corpus.mjs";
import { labelledSet } from "../test/fixtures/quality/corpus-kinds.mjs";

const { normalizeText, judgeText, qualitySettings } = await import("../dist/index.js");

const corpora = path.join(SHARED, "corpora");
if (!existsSync(path.join(corpora, "korquad-v1.0-dev.json"))) {
  console.log("skipped: ../shared/corpora is not here");
  process.exit(0);
}
const korquad = JSON.parse(readFileSync(path.join(corpora, "korquad-v1.0-dev.json"), "utf8"));
const paragraphs = korquad.data.flatMap((a) => a.paragraphs.map((p) => p.context));
const news = ["park-news-dev.ko.txt", "park-news-test.ko.txt"].flatMap((f) => readFileSync(path.join(corpora, f), "utf8").split("\n").map((l) => l.trim()).filter((l) => l.length > 10));
const wikiSentences = paragraphs.flatMap((p) => p.split(/(?<=다\.)\s+/)).filter((s) => s.length > 10);
const pool = { sentences: [...news, ...wikiSentences], paragraphs };

const seed = Number(process.argv[2] ?? 15);
const docs = labelledSet(pool, { seed });

function evaluate(preset) {
  const o = qualitySettings({ preset });
  const perKind = new Map();
  let tp = 0, fn = 0, fp = 0, tn = 0;
  const goodDropReasons = {};
  for (const d of docs) {
    const v = judgeText(normalizeText(d.text), o);
    const dropped = v.reason !== undefined;
    const k = perKind.get(d.kind) ?? { junk: d.junk, n: 0, dropped: 0, reasons: {} };
    k.n++;
    if (dropped) {
      k.dropped++;
      k.reasons[v.reason] = (k.reasons[v.reason] ?? 0) + 1;
    }
    perKind.set(d.kind, k);
    if (d.junk) dropped ? tp++ : fn++;
    else if (dropped) {
      fp++;
      goodDropReasons[v.reason] = (goodDropReasons[v.reason] ?? 0) + 1;
    } else tn++;
  }
  return { recall: tp / (tp + fn), keep: tn / (tn + fp), precision: tp / (tp + fp || 1), perKind, goodDropReasons, tp, fn, fp, tn };
}

const fmt = (x) => x.toFixed(3);
for (const preset of ["korean-web", "basic"]) {
  const r = evaluate(preset);
  console.log(`\npreset ${preset}: drop recall ${fmt(r.recall)} (${r.tp}/${r.tp + r.fn}), keep rate ${fmt(r.keep)} (${r.tn}/${r.tn + r.fp}), precision ${fmt(r.precision)}`);
  if (preset !== "korean-web" && !process.argv.includes("--all")) continue;
  for (const [kind, k] of [...r.perKind].sort((a, b) => Number(a[1].junk) - Number(b[1].junk))) {
    const rate = k.junk ? k.dropped / k.n : 1 - k.dropped / k.n;
    const reasons = Object.entries(k.reasons).map(([r, n]) => `${r} ${n}`).join(", ");
    console.log(`  ${k.junk ? "junk" : "good"} ${kind.padEnd(28)} ${k.junk ? "dropped" : "kept   "} ${fmt(rate)}  ${reasons}`);
  }
}

// Every Wikipedia paragraph of 50+ characters must pass the default preset.
const o = qualitySettings({});
const wikiDrops = {};
let wikiChecked = 0;
for (const p of paragraphs) {
  const text = normalizeText(p);
  if (text.length < 50) continue;
  wikiChecked++;
  const v = judgeText(text, o);
  if (v.reason) wikiDrops[v.reason] = (wikiDrops[v.reason] ?? 0) + 1;
}
const nDrops = Object.values(wikiDrops).reduce((a, b) => a + b, 0);
console.log(`\nKorQuAD paragraphs of 50+ characters: ${wikiChecked} checked, ${nDrops} dropped ${JSON.stringify(wikiDrops)}`);
let newsDrops = {};
for (const s of news) {
  const v = judgeText(normalizeText(s), o);
  if (v.reason && v.reason !== "too_short") newsDrops[v.reason] = (newsDrops[v.reason] ?? 0) + 1;
}
console.log(`news sentences (one a document) dropped other than too_short: ${JSON.stringify(newsDrops)}`);
