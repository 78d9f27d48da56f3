#!/usr/bin/env node
// Precision and recall of `korpipe dedup` on a labelled near-duplicate set built from real Korean
// text (../shared/corpora: KorQuAD paragraphs, news sentences grouped into articles).
//
// Every source document gets one edited copy per round (word substitutions, deletions and
// insertions at a random rate, dropped or appended sentences, or an exact copy), placed after
// all the originals in a shuffled order. The copy's exact word-5-gram Jaccard similarity with its
// original is computed with the same normalization the shingler uses; the copy is a true
// duplicate when it reaches the threshold (0.8). Sources are unrelated to each other, so each
// copy has one candidate partner and the label is unambiguous.
//
// A removal counts as a true positive when the removed copy's Jaccard ≥ 0.8; removing an original,
// or a copy below 0.8, is a false positive; a copy ≥ 0.8 left in is a false negative.
//
// Three modes run side by side: --verify exact (the default), --verify estimate, --verify off.
//
// usage: npm run build && node bench/dedup-eval.mjs [--rounds 3] [--workers 2] [--threshold 0.8]
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { exactJaccard } from "../dist/dedup/minhash/shingles.js";
import { seededUint32 } from "../dist/dedup/minhash/minhash.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CORPORA = path.resolve(ROOT, "../shared/corpora");
const OUT = path.join(ROOT, "bench/out/dedup-eval");
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ROUNDS = arg("rounds", 3);
const WORKERS = arg("workers", 2);
const THRESHOLD = arg("threshold", 0.8);

if (!existsSync(path.join(CORPORA, "korquad-v1.0-dev.json"))) {
  console.log(`skipped: ${CORPORA} not found (the evaluation needs the shared Korean corpora)`);
  process.exit(0);
}

// --- sources -------------------------------------------------------------------------------
const korquad = JSON.parse(readFileSync(path.join(CORPORA, "korquad-v1.0-dev.json"), "utf8"));
const sources = [...new Set(korquad.data.flatMap((a) => a.paragraphs.map((p) => p.context.trim())))];
for (const f of ["park-news-dev.ko.txt", "park-news-test.ko.txt"]) {
  const lines = readFileSync(path.join(CORPORA, f), "utf8").split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
  for (let i = 0; i + 8 <= lines.length; i += 8) sources.push(lines.slice(i, i + 8).join(" "));
}
const vocabulary = [...new Set(sources.flatMap((s) => s.split(/\s+/)))];
const sentencesOf = (t) => t.split(/(?<=[.?!])\s+/).filter(Boolean);
const allSentences = sources.flatMap(sentencesOf);

// --- edits ---------------------------------------------------------------------------------
function makeEditor(seed) {
  const next = seededUint32(seed);
  const rand = () => next() / 2 ** 32;
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const wordEdit = (text, pSub, pDel, pIns) => {
    const out = [];
    for (const w of text.split(/\s+/)) {
      const r = rand();
      if (r < pDel) continue;
      out.push(r < pDel + pSub ? pick(vocabulary) : w);
      if (rand() < pIns) out.push(pick(vocabulary));
    }
    return out.join(" ");
  };
  const ops = [
    ["exact copy", (t) => t],
    ["substitute words", (t) => wordEdit(t, rand() * 0.12, 0, 0)],
    ["delete words", (t) => wordEdit(t, 0, rand() * 0.12, 0)],
    ["insert words", (t) => wordEdit(t, 0, 0, rand() * 0.12)],
    ["mixed word edits", (t) => { const p = rand() * 0.1; return wordEdit(t, p / 3, p / 3, p / 3); }],
    ["drop sentences", (t) => { const s = sentencesOf(t); const k = 1 + Math.floor(rand() * Math.min(3, Math.max(1, s.length - 1))); for (let i = 0; i < k && s.length > 1; i++) s.splice(Math.floor(rand() * s.length), 1); return s.join(" "); }],
    ["append sentences", (t) => { const k = 1 + Math.floor(rand() * 3); const s = [t]; for (let i = 0; i < k; i++) s.push(pick(allSentences)); return s.join(" "); }],
    ["light edit + boilerplate", (t) => `${wordEdit(t, rand() * 0.02, 0, 0)} ${pick(["무단 전재 및 재배포 금지.", "기자 = 연합뉴스.", "출처: 위키백과."])}`],
  ];
  return { pick, ops, rand };
}

// --- run -----------------------------------------------------------------------------------
function dedup(file, out, extra) {
  rmSync(out, { recursive: true, force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin/korpipe"), "dedup", file, "-o", out, "--workers", String(WORKERS), "--no-progress", ...extra], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`korpipe dedup failed:\n${r.stderr}`);
  const removed = new Map();
  for (const line of readFileSync(path.join(out, "duplicates.jsonl"), "utf8").split("\n")) if (line) { const d = JSON.parse(line); removed.set(d.id, d); }
  return { removed, seconds: (performance.now() - t0) / 1000 };
}

const modes = [
  ["exact", ["--verify", "exact", "--threshold", String(THRESHOLD)]],
  ["estimate", ["--verify", "estimate", "--threshold", String(THRESHOLD)]],
  ["off", ["--verify", "off"]],
];
const pairs = []; // {round, op, jaccard, removed: {mode: bool}, baseRemoved: {mode: bool}}
mkdirSync(OUT, { recursive: true });
console.log(`dedup evaluation: ${sources.length} source documents x ${ROUNDS} rounds, threshold ${THRESHOLD}, ${WORKERS} workers`);
for (let round = 0; round < ROUNDS; round++) {
  const { pick, ops, rand } = makeEditor(1000 + round);
  const docs = sources.map((text, i) => ({ id: `s${i}`, text }));
  const copies = sources.map((text, i) => {
    const [op, edit] = pick(ops);
    const copy = edit(text);
    return { id: `c${i}`, text: copy, op, jaccard: exactJaccard(text, copy), source: i };
  });
  for (let i = copies.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copies[i], copies[j]] = [copies[j], copies[i]];
  }
  const file = path.join(OUT, `round-${round}.jsonl`);
  writeFileSync(file, [...docs, ...copies].map(({ id, text }) => JSON.stringify({ id, text })).join("\n") + "\n");
  const results = Object.fromEntries(modes.map(([name, extra]) => [name, dedup(file, path.join(OUT, `out-${round}-${name}`), extra)]));
  for (const c of copies) {
    pairs.push({
      round,
      op: c.op,
      jaccard: c.jaccard,
      removed: Object.fromEntries(modes.map(([m]) => [m, results[m].removed.has(c.id)])),
      baseRemoved: Object.fromEntries(modes.map(([m]) => [m, results[m].removed.has(`s${c.source}`)])),
      wrongPartner: Object.fromEntries(modes.map(([m]) => [m, results[m].removed.has(c.id) && results[m].removed.get(c.id).duplicate_of !== `s${c.source}`])),
    });
  }
  console.log(`  round ${round}: ${docs.length + copies.length} docs; ` + modes.map(([m]) => `${m} ${results[m].removed.size} removed in ${results[m].seconds.toFixed(1)} s`).join(", "));
}

// --- report --------------------------------------------------------------------------------
function score(mode, filter = () => true) {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (const p of pairs) {
    if (!filter(p)) continue;
    const dup = p.jaccard >= THRESHOLD;
    const removed = p.removed[mode] && !p.wrongPartner[mode];
    if (p.baseRemoved[mode]) fp++; // an original must never go: it is first in input order
    if (removed && dup) tp++;
    else if (p.removed[mode] && !dup) fp++;
    else if (!removed && dup) fn++;
    else tn++;
  }
  return { tp, fp, fn, tn, precision: tp / (tp + fp || 1), recall: tp / (tp + fn || 1) };
}
const fmt = (x) => x.toFixed(4);
const bins = [[0, 0.5], [0.5, 0.6], [0.6, 0.7], [0.7, 0.75], [0.75, 0.8], [0.8, 0.85], [0.85, 0.9], [0.9, 0.95], [0.95, 1], [1, 1.0001]];
console.log(`\nLabelled pairs: ${pairs.length} (${pairs.filter((p) => p.jaccard >= THRESHOLD).length} true duplicates at Jaccard >= ${THRESHOLD})`);
console.log("\nRemoval rate by exact word-5-gram Jaccard of the copy (the measured S-curve):");
console.log(`  ${"Jaccard".padEnd(12)}${"pairs".padStart(7)}` + modes.map(([m]) => m.padStart(11)).join(""));
for (const [lo, hi] of bins) {
  const inBin = pairs.filter((p) => p.jaccard >= lo && p.jaccard < hi);
  const label = hi > 1 ? "1.0 (same)" : `[${lo.toFixed(2)},${hi.toFixed(2)})`;
  console.log(`  ${label.padEnd(12)}${String(inBin.length).padStart(7)}` + modes.map(([m]) => (inBin.length ? (inBin.filter((p) => p.removed[m]).length / inBin.length).toFixed(3) : "-").padStart(11)).join(""));
}
console.log("\nBy edit kind (pairs, mean Jaccard, removal rate per mode):");
for (const op of [...new Set(pairs.map((p) => p.op))]) {
  const ps = pairs.filter((p) => p.op === op);
  console.log(`  ${op.padEnd(26)}${String(ps.length).padStart(6)}  J=${(ps.reduce((a, p) => a + p.jaccard, 0) / ps.length).toFixed(2)}` + modes.map(([m]) => `  ${m} ${(ps.filter((p) => p.removed[m]).length / ps.length).toFixed(3)}`).join(""));
}
console.log("\nPrecision / recall of removals:");
for (const [m] of modes) {
  const all = score(m);
  const margin = score(m, (p) => Math.abs(p.jaccard - THRESHOLD) >= 0.05);
  console.log(`  ${m.padEnd(10)} all pairs:            precision ${fmt(all.precision)}  recall ${fmt(all.recall)}  (tp ${all.tp}, fp ${all.fp}, fn ${all.fn}, tn ${all.tn})`);
  console.log(`  ${"".padEnd(10)} outside ${THRESHOLD}±0.05:     precision ${fmt(margin.precision)}  recall ${fmt(margin.recall)}  (tp ${margin.tp}, fp ${margin.fp}, fn ${margin.fn}, tn ${margin.tn})`);
}
