/**
 * report.html: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) that
 * shows a run at a glance: where the documents went, how long they were before and after
 * cleaning, how big the duplicate clusters were, how many tokens each document became and how
 * fast each stage ran. It is drawn from the run statistics only, which never hold document
 * text; every string that reaches the page (stage names, reasons, file names) is escaped.
 */
import type { RunStatsJSON } from "../stages/run-stats.js";
import { scrubText } from "../pii/scrub.js";
import { histogramBucket, type Histogram, type StageStatsJSON } from "../stages/stats.js";

export interface ReportHtmlOptions {
  /** Shown as the page heading; default "korpipe run report". */
  title?: string;
}

// ---------------------------------------------------------------------------------------------
// Formatting and escaping

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML and SVG content and attribute values alike. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
const esc = escapeHtml;

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const fmtInt = (n: number) => Math.round(n).toLocaleString("en-US");
function fmtPct(part: number, whole: number): string {
  if (!(whole > 0)) return "–";
  const pct = (100 * part) / whole;
  if (pct > 0 && pct < 0.01) return "<0.01%";
  return `${pct.toFixed(pct < 1 ? 2 : 1)}%`;
}

function fmtCompact(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${trim(n / 1e9)}B`;
  if (a >= 1e6) return `${trim(n / 1e6)}M`;
  if (a >= 1e4) return `${trim(n / 1e3)}k`;
  return fmtInt(n);
}
const trim = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1).replace(/\.0$/, "") : x.toFixed(2).replace(/\.?0+$/, ""));

function fmtBytes(bytes: number): string {
  if (bytes >= 1e12) return `${trim(bytes / 1e12)} TB`;
  if (bytes >= 1e9) return `${trim(bytes / 1e9)} GB`;
  if (bytes >= 1e6) return `${trim(bytes / 1e6)} MB`;
  if (bytes >= 1e3) return `${trim(bytes / 1e3)} kB`;
  return `${fmtInt(bytes)} B`;
}

function fmtDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A power-of-two bucket bound, in binary thousands: 1024 → "1k", 65536 → "64k". */
function fmtBucket(lower: number): string {
  if (lower >= 1 << 30) return `${lower / (1 << 30)}G`;
  if (lower >= 1 << 20) return `${lower / (1 << 20)}M`;
  if (lower >= 1024) return `${lower / 1024}k`;
  return String(lower);
}

/** Shortens a label for a chart; the full text goes into the element's tooltip. */
function shorten(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

// ---------------------------------------------------------------------------------------------
// Reading the statistics defensively: report.json files from older or partial runs may lack
// stages, histograms or counters, and every chart must then say so instead of breaking.

function histogramOf(stage: StageStatsJSON | undefined, name: string): Histogram | undefined {
  return usableHistogram(stage?.histograms?.[name]);
}

/**
 * A histogram with every count in its power-of-two bucket (keys written by other tools may be
 * any number), or undefined when there is nothing to draw.
 */
function usableHistogram(h: unknown): Histogram | undefined {
  if (!isHistogram(h)) return undefined;
  const out: Histogram = {};
  for (const [k, v] of Object.entries(h)) {
    const n = Number(k);
    if (!Number.isFinite(n) || n < 0 || !(v > 0)) continue;
    const bucket = String(histogramBucket(n));
    out[bucket] = (out[bucket] ?? 0) + v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function isHistogram(v: unknown): v is Histogram {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "number");
}

const findStage = (stages: StageStatsJSON[], name: string) => stages.find((s) => s.name === name);

function filteredOf(s: StageStatsJSON): [string, number][] {
  return Object.entries(s.filtered ?? {}).filter(([, n]) => num(n) > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Lengths as read, and after the last stage that changes text (the one before tokenize). */
function lengthHistograms(stages: StageStatsJSON[]): { before?: Histogram; after?: Histogram; afterStage?: string } {
  const first = findStage(stages, "read") ?? stages[0];
  const before = histogramOf(first, "chars");
  const candidates = stages.filter((s) => s !== first && s.name !== "tokenize" && histogramOf(s, "chars"));
  const last = candidates[candidates.length - 1];
  return { before, after: histogramOf(last, "chars"), afterStage: last?.name };
}

function clusterSizes(run: RunStatsJSON): Histogram | undefined {
  const fromStage = histogramOf(findStage(run.stages, "dedup"), "cluster_size");
  if (fromStage) return fromStage;
  const dedup = run.sections?.dedup;
  return usableHistogram(typeof dedup === "object" && dedup !== null ? (dedup as Record<string, unknown>).cluster_sizes : undefined);
}

/** PII replacements by type (counters `pii.<type>`), summed over every stage that counts them. */
function piiCounts(stages: StageStatsJSON[]): [string, number][] {
  const totals = new Map<string, number>();
  for (const s of stages) {
    for (const [k, v] of Object.entries(s.counters ?? {})) {
      if (k.startsWith("pii.")) totals.set(k.slice(4), (totals.get(k.slice(4)) ?? 0) + num(v));
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

const PII_NAMES: Record<string, string> = { rrn: "resident reg. no.", tell: "phone number", acc: "bank account" };

function tokenTotal(stages: StageStatsJSON[]): number | undefined {
  const t = findStage(stages, "tokenize")?.counters?.tokens;
  return typeof t === "number" ? t : undefined;
}

// ---------------------------------------------------------------------------------------------
// Charts (inline SVG; styled by the page's CSS classes so the dark theme applies to them too)

interface Series {
  name: string;
  cls: string;
  hist: Histogram;
}

/** Every power-of-two bucket from the smallest to the largest present, so the axis has no gaps. */
function bucketAxis(histograms: Histogram[]): number[] {
  const keys = new Set<number>();
  for (const h of histograms) for (const k of Object.keys(h)) if (Number.isFinite(Number(k))) keys.add(Number(k));
  const present = [...keys].sort((a, b) => a - b);
  if (present.length === 0) return [];
  const axis: number[] = [];
  if (present[0] === 0) axis.push(0);
  const lo = present.find((k) => k > 0);
  if (lo === undefined) return axis;
  const hi = present[present.length - 1]!;
  for (let b = lo; b <= hi; b *= 2) axis.push(b);
  return axis;
}

/** Round tick steps (1, 2, 5 × 10^n) giving about five gridlines. */
function niceTicks(max: number): number[] {
  if (max <= 0) return [0];
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = 0; t <= max + step * 0.001; t += step) ticks.push(t);
  if (ticks[ticks.length - 1]! < max) ticks.push(ticks[ticks.length - 1]! + step);
  return ticks;
}

function bucketRange(lower: number, unit: string): string {
  if (lower === 0) return `0 ${unit}`;
  if (lower === 1) return `1 ${unit}`;
  return `${fmtInt(lower)}–${fmtInt(lower * 2 - 1)} ${unit}`;
}

/** A histogram over power-of-two buckets; several series are drawn side by side per bucket. */
function histogramChart(args: { id: string; series: Series[]; unit: string; what: string; legend?: boolean }): string {
  const axis = bucketAxis(args.series.map((s) => s.hist));
  const W = 560;
  const H = 250;
  const m = { top: 16, right: 12, bottom: 46, left: 52 };
  const plotW = W - m.left - m.right;
  const plotH = H - m.top - m.bottom;
  const max = Math.max(0, ...args.series.flatMap((s) => axis.map((b) => num(s.hist[String(b)]))));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1]! || 1;
  const y = (v: number) => m.top + plotH - (v / top) * plotH;
  const slot = plotW / Math.max(axis.length, 1);
  const gap = Math.min(6, slot * 0.2);
  const barW = Math.max(1, (slot - gap) / args.series.length);
  const labelEvery = Math.ceil(axis.length / 14);
  const parts: string[] = [];
  for (const t of ticks) {
    parts.push(
      `<line class="grid" x1="${m.left}" x2="${W - m.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}"/>`,
      `<text class="tick" x="${m.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${esc(fmtCompact(t))}</text>`,
    );
  }
  axis.forEach((b, i) => {
    const x0 = m.left + i * slot + gap / 2;
    args.series.forEach((s, j) => {
      const v = num(s.hist[String(b)]);
      const h = (v / top) * plotH;
      const tip = `${s.name}: ${fmtInt(v)} ${args.what} of ${bucketRange(b, args.unit)}`;
      parts.push(
        `<rect class="bar ${s.cls}" data-series="${esc(s.name)}" data-bucket="${b}" data-count="${v}" x="${(x0 + j * barW).toFixed(1)}" y="${(m.top + plotH - h).toFixed(1)}" width="${Math.max(barW - (args.series.length > 1 ? 1 : 0), 1).toFixed(1)}" height="${h.toFixed(1)}"><title>${esc(tip)}</title></rect>`,
      );
    });
    // One series with room to spare: print counts on the bars, so the short ones can be read too.
    const v = num(args.series[0]!.hist[String(b)]);
    if (args.series.length === 1 && slot >= 26 && v > 0) {
      parts.push(`<text class="bar-value" x="${(x0 + barW / 2).toFixed(1)}" y="${(y(v) - 4).toFixed(1)}" text-anchor="middle">${esc(fmtCompact(v))}</text>`);
    }
    if (i % labelEvery === 0) {
      parts.push(`<text class="tick" x="${(m.left + i * slot + slot / 2).toFixed(1)}" y="${H - m.bottom + 15}" text-anchor="middle">${esc(fmtBucket(b))}</text>`);
    }
  });
  parts.push(
    `<line class="axis" x1="${m.left}" x2="${W - m.right}" y1="${m.top + plotH}" y2="${m.top + plotH}"/>`,
    `<text class="axis-label" x="${m.left + plotW / 2}" y="${H - 8}" text-anchor="middle">${esc(args.unit)} (power-of-two buckets; hover a bar for its range)</text>`,
  );
  const legend =
    args.series.length > 1 || args.legend
      ? `<div class="legend">${args.series.map((s) => `<span><i class="swatch ${s.cls}"></i>${esc(s.name)}</span>`).join("")}</div>`
      : "";
  return `${legend}<svg class="chart" data-chart="${esc(args.id)}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(`histogram of ${args.what} by ${args.unit}`)}">${parts.join("")}</svg>`;
}

interface HBar {
  label: string;
  value: number;
  text: string;
  title?: string;
}

/** Labelled horizontal bars, for comparing a handful of named values. */
function hbarChart(args: { id: string; rows: HBar[]; cls: string; width: number; labelWidth?: number }): string {
  const W = args.width;
  const rowH = 30;
  const labelW = args.labelWidth ?? 150;
  const textW = 150;
  const H = args.rows.length * rowH + 8;
  const max = Math.max(0, ...args.rows.map((r) => r.value)) || 1;
  const plotW = W - labelW - textW;
  const parts = args.rows.map((r, i) => {
    const y = 4 + i * rowH;
    const w = Math.max((r.value / max) * plotW, r.value > 0 ? 2 : 0);
    return (
      `<g class="hrow"><title>${esc(r.title ?? `${r.label}: ${r.text}`)}</title>` +
      `<text class="hlabel" x="${labelW - 10}" y="${y + 19}" text-anchor="end">${esc(shorten(r.label, Math.floor(labelW / 7)))}</text>` +
      `<rect class="track" x="${labelW}" y="${y + 5}" width="${plotW}" height="${rowH - 10}" rx="3"/>` +
      `<rect class="bar ${args.cls}" data-label="${esc(r.label)}" data-value="${r.value}" x="${labelW}" y="${y + 5}" width="${w.toFixed(1)}" height="${rowH - 10}" rx="3"/>` +
      `<text class="hvalue" x="${labelW + w + 8}" y="${y + 19}">${esc(r.text)}</text></g>`
    );
  });
  return `<svg class="chart" data-chart="${esc(args.id)}" viewBox="0 0 ${W} ${H}" role="img">${parts.join("")}</svg>`;
}

type DropKind = "filtered" | "duplicates" | "rejected";

interface Drop {
  kind: DropKind;
  label: string;
  count: number;
}

/** What a stage removed from the stream: filter reasons (the largest few), duplicates, rejects. */
function dropsOf(s: StageStatsJSON): Drop[] {
  const drops: Drop[] = [];
  const reasons = filteredOf(s);
  const shown = reasons.length > 5 ? reasons.slice(0, 4) : reasons;
  for (const [reason, n] of shown) drops.push({ kind: "filtered", label: reason, count: n });
  if (reasons.length > shown.length) {
    const rest = reasons.slice(shown.length);
    drops.push({ kind: "filtered", label: `${rest.length} other reasons`, count: rest.reduce((a, [, n]) => a + n, 0) });
  }
  if (num(s.duplicates) > 0) drops.push({ kind: "duplicates", label: "duplicates", count: num(s.duplicates) });
  if (num(s.rejected) > 0) drops.push({ kind: "rejected", label: "rejected", count: num(s.rejected) });
  return drops;
}

/**
 * The document flow as a Sankey-like diagram: one column per stage plus the output, the main
 * band narrowing as stages drop documents, each drop peeling off below into its own labelled
 * sink. Band widths are proportional to documents (drops get a minimum width to stay visible).
 */
function flowChart(run: RunStatsJSON): string {
  const stages = run.stages;
  const inputDocs = num(stages[0]?.docs_in);
  const last = stages[stages.length - 1]!;
  const cols = [
    ...stages.map((s) => ({ name: s.name, docs: num(s.docs_in), stage: s as StageStatsJSON | undefined })),
    { name: "kept", docs: num(last.docs_out), stage: undefined },
  ];
  // Wide enough for about 140 px per column; the page scales the drawing to its width.
  const W = Math.max(1080, 130 + cols.length * 140);
  const nodeW = 12;
  const left = 8;
  const right = 130;
  const colGap = (W - left - right - nodeW) / (cols.length - 1);
  const x = (i: number) => left + i * colGap;
  const y0 = 78;
  const mainH = 150;
  const k = mainH / Math.max(inputDocs, 1);
  const minH = 2.5;
  const sinkTop = y0 + mainH + 34;
  const pii = piiCounts(stages).reduce((a, [, n]) => a + n, 0);
  const tokens = tokenTotal(stages);

  const links: string[] = [];
  const nodes: string[] = [];
  const labels: string[] = [];
  let bottom = y0 + mainH + 12;

  const band = (x1: number, a1: number, b1: number, x2: number, a2: number, b2: number) => {
    const xm = (x1 + x2) / 2;
    return `M${x1.toFixed(1)} ${a1.toFixed(1)} C${xm.toFixed(1)} ${a1.toFixed(1)} ${xm.toFixed(1)} ${a2.toFixed(1)} ${x2.toFixed(1)} ${a2.toFixed(1)} L${x2.toFixed(1)} ${b2.toFixed(1)} C${xm.toFixed(1)} ${b2.toFixed(1)} ${xm.toFixed(1)} ${b1.toFixed(1)} ${x1.toFixed(1)} ${b1.toFixed(1)} Z`;
  };

  cols.forEach((col, i) => {
    const s = col.stage;
    const out = s ? num(s.docs_out) : col.docs;
    const drops = s ? dropsOf(s) : [];
    const outH = out * k;
    const dropHs = drops.map((d) => Math.max(d.count * k, minH));
    const nodeH = Math.max(col.docs * k, outH + dropHs.reduce((a, b) => a + b, 0), col.docs > 0 ? minH : 0);
    const isOut = !s;
    nodes.push(
      `<rect class="node${isOut ? " node-out" : ""}" data-stage="${esc(col.name)}" x="${x(i).toFixed(1)}" y="${y0}" width="${nodeW}" height="${nodeH.toFixed(1)}" rx="2"><title>${esc(`${col.name}: ${fmtInt(col.docs)} documents${s ? ` in, ${fmtInt(out)} out` : ""}`)}</title></rect>`,
    );
    const extra: string[] = [];
    if (s && s.name === "scrub" && pii > 0) extra.push(`<tspan class="accent-pii">${esc(fmtCompact(pii))} PII replaced</tspan>`);
    if (s && s.name === "tokenize" && tokens !== undefined) extra.push(`<tspan class="accent-tok">${esc(fmtCompact(tokens))} tokens</tspan>`);
    if (isOut) extra.push(`<tspan class="muted">${esc(fmtPct(col.docs, inputDocs))} of input</tspan>`);
    labels.push(
      `<text class="stage-name" x="${x(i).toFixed(1)}" y="${y0 - 46}"><title>${esc(col.name)}</title>${esc(shorten(col.name, Math.floor((colGap - 8) / 8.5)))}</text>`,
      `<text class="stage-docs" x="${x(i).toFixed(1)}" y="${y0 - 28}">${esc(fmtInt(col.docs))} docs</text>`,
    );
    if (extra.length > 0) labels.push(`<text class="stage-extra" x="${x(i).toFixed(1)}" y="${y0 - 11}">${extra.join(" ")}</text>`);

    if (i + 1 < cols.length) {
      const nextDocs = cols[i + 1]!.docs;
      links.push(
        `<path class="link link-main" d="${band(x(i) + nodeW, y0, y0 + outH, x(i + 1), y0, y0 + nextDocs * k)}"><title>${esc(`${fmtInt(out)} documents from ${col.name} to ${cols[i + 1]!.name}`)}</title></path>`,
      );
    }
    // Drops leave from the bottom of the node and end in sinks under the next column.
    let from = y0 + outH;
    let sinkY = sinkTop;
    const sinkX = i + 1 < cols.length ? x(i + 1) : x(i) + colGap * 0.6;
    const labelX = sinkX + nodeW + 6;
    // Labels stop before the next column's sinks (or the edge): at most 7.5 px per bold 11.5 px character.
    const labelChars = Math.max(6, Math.floor((Math.min(labelX + colGap - nodeW - 16, W - 4) - labelX) / 7.5));
    drops.forEach((d, j) => {
      const h = dropHs[j]!;
      const tip = `${col.name}: ${fmtInt(d.count)} documents ${d.kind === "filtered" ? `filtered (${d.label})` : d.kind} (${fmtPct(d.count, inputDocs)} of input)`;
      links.push(`<path class="link link-${d.kind}" d="${band(x(i) + nodeW, from, from + h, sinkX, sinkY, sinkY + h)}"><title>${esc(tip)}</title></path>`);
      nodes.push(
        `<rect class="sink sink-${d.kind}" data-kind="${d.kind}" data-stage="${esc(col.name)}" data-label="${esc(d.label)}" data-count="${d.count}" x="${sinkX.toFixed(1)}" y="${sinkY.toFixed(1)}" width="${nodeW}" height="${h.toFixed(1)}" rx="2"><title>${esc(tip)}</title></rect>`,
      );
      const ly = sinkY + Math.min(h, 24) / 2;
      labels.push(
        `<text class="sink-label" x="${labelX.toFixed(1)}" y="${(ly - 2).toFixed(1)}"><title>${esc(tip)}</title>${esc(shorten(d.label, labelChars))}</text>`,
        `<text class="sink-count" x="${labelX.toFixed(1)}" y="${(ly + 11).toFixed(1)}">${esc(fmtInt(d.count))} · ${esc(fmtPct(d.count, inputDocs))}</text>`,
      );
      from += h;
      sinkY += Math.max(h, 24) + 14;
    });
    bottom = Math.max(bottom, sinkY);
  });

  const H = Math.ceil(bottom + 6);
  return `<svg class="chart flow" data-chart="flow" viewBox="0 0 ${W} ${H}" role="img" aria-label="document flow through the stages">${links.join("")}${nodes.join("")}${labels.join("")}</svg>`;
}

// ---------------------------------------------------------------------------------------------
// Page sections

function empty(message: string, chart: string): string {
  return `<p class="empty" data-empty="${esc(chart)}">${esc(message)}</p>`;
}

function card(id: string, title: string, body: string, note?: string): string {
  return `<section class="card" id="${esc(id)}"><h2>${esc(title)}</h2>${note ? `<p class="note">${note}</p>` : ""}${body}</section>`;
}

function kpis(run: RunStatsJSON): string {
  const t = run.totals;
  const filtered = Object.values(t.filtered ?? {}).reduce((a, b) => a + num(b), 0);
  const pii = piiCounts(run.stages).reduce((a, [, n]) => a + n, 0);
  const tokens = tokenTotal(run.stages);
  const tiles: [string, string, string, string?][] = [
    ["docs in", fmtInt(num(t.docs_in)), fmtBytes(num(t.bytes_in))],
    ["kept", fmtInt(num(t.docs_out)), num(t.docs_in) > 0 ? `${fmtPct(num(t.docs_out), num(t.docs_in))} · ${fmtBytes(num(t.bytes_out))}` : fmtBytes(num(t.bytes_out)), "kept"],
    ["filtered", fmtInt(filtered), fmtPct(filtered, num(t.docs_in)), "filtered"],
    ["duplicates", fmtInt(num(t.duplicates)), fmtPct(num(t.duplicates), num(t.docs_in)), "duplicates"],
    ["rejected", fmtInt(num(t.rejected)), num(t.rejected) > 0 ? "see rejects.jsonl" : "none", "rejected"],
    ["PII replaced", fmtInt(pii), piiCounts(run.stages).map(([k, n]) => `${k} ${fmtCompact(n)}`).join(" · ") || (findStage(run.stages, "scrub") ? "none found" : "no scrub stage"), "pii"],
  ];
  if (tokens !== undefined) {
    const tokDocs = num(findStage(run.stages, "tokenize")?.docs_out);
    tiles.push(["tokens", fmtCompact(tokens), tokDocs > 0 ? `${fmtInt(tokens / tokDocs)} per document` : "", "tokens"]);
  }
  if (num(run.elapsed_s) > 0) tiles.push(["throughput", `${(num(t.bytes_in) / 1e6 / num(run.elapsed_s)).toFixed(1)} MB/s`, `end to end, ${fmtDuration(num(run.elapsed_s))}`]);
  return `<section class="kpis">${tiles
    .map(([label, value, sub, cls]) => `<div class="kpi${cls ? ` kpi-${cls}` : ""}"><div class="kpi-label">${esc(label)}</div><div class="kpi-value">${esc(value)}</div><div class="kpi-sub">${esc(sub)}</div></div>`)
    .join("")}</section>`;
}

function flowSection(run: RunStatsJSON): string {
  const body =
    run.stages.length === 0 || num(run.stages[0]?.docs_in) === 0
      ? empty("No documents entered this run, so there is no flow to draw.", "flow")
      : `<div class="scroll">${flowChart(run)}</div>` +
        `<div class="legend"><span><i class="swatch link-main"></i>kept, on to the next stage</span><span><i class="swatch link-filtered"></i>filtered (by reason)</span><span><i class="swatch link-duplicates"></i>duplicates</span><span><i class="swatch link-rejected"></i>rejected (malformed input)</span></div>`;
  return card("flow", "Document flow", body, "Band widths are proportional to documents; hover any band for its exact count.");
}

function lengthSection(run: RunStatsJSON): string {
  const { before, after, afterStage } = lengthHistograms(run.stages);
  const series: Series[] = [];
  if (before) series.push({ name: "as read", cls: "s-before", hist: before });
  if (after) series.push({ name: `after ${afterStage}`, cls: "s-after", hist: after });
  const body =
    series.length === 0
      ? empty("Document lengths were not recorded in this run.", "lengths")
      : histogramChart({ id: "lengths", series, unit: "characters", what: "documents", legend: true });
  return card("lengths", "Document length", body);
}

function tokensSection(run: RunStatsJSON): string {
  const h = histogramOf(findStage(run.stages, "tokenize"), "tokens_per_doc");
  const body = h
    ? histogramChart({ id: "tokens", series: [{ name: "documents", cls: "s-tokens", hist: h }], unit: "tokens", what: "documents" })
    : empty("No tokenize stage ran, so there are no token counts.", "tokens");
  return card("tokens", "Tokens per document", body);
}

function clustersSection(run: RunStatsJSON): string {
  const h = clusterSizes(run);
  const body = h
    ? histogramChart({ id: "clusters", series: [{ name: "clusters", cls: "s-clusters", hist: h }], unit: "documents per cluster", what: "clusters" })
    : empty("No duplicate clusters were recorded (no dedup stage, or nothing was duplicated).", "clusters");
  return card("clusters", "Duplicate cluster sizes", body, h ? "Each cluster keeps its first document; the rest are removed as duplicates." : undefined);
}

function piiSection(run: RunStatsJSON): string {
  const counts = piiCounts(run.stages);
  const scrub = findStage(run.stages, "scrub");
  const body =
    counts.length > 0
      ? hbarChart({
          id: "pii",
          cls: "s-pii",
          width: 560,
          labelWidth: 180,
          rows: counts.map(([type, n]) => ({ label: PII_NAMES[type] ? `${PII_NAMES[type]} (${type})` : type, value: n, text: fmtInt(n) })),
        })
      : empty(scrub ? "The scrub stage found no personal information." : "No scrub stage ran.", "pii");
  return card("pii", "PII replaced by privacy tokens", body);
}

function throughputSection(run: RunStatsJSON): string {
  const rows: HBar[] = run.stages.map((s) => {
    const secs = num(s.elapsed_s);
    const mbps = secs > 0 ? num(s.bytes_in) / 1e6 / secs : 0;
    return {
      label: s.name,
      value: mbps,
      text: secs > 0 ? `${mbps >= 100 ? mbps.toFixed(0) : mbps.toFixed(1)} MB/s · ${fmtDuration(secs)}` : "not timed",
      title: `${s.name}: ${fmtBytes(num(s.bytes_in))} in ${secs > 0 ? fmtDuration(secs) : "(no time recorded)"}; ${secs > 0 ? `${fmtInt(num(s.docs_in) / secs)} docs/s` : ""}`,
    };
  });
  const body = rows.length > 0 ? hbarChart({ id: "throughput", cls: "s-speed", rows, width: 1100, labelWidth: 130 }) : empty("No stages ran.", "throughput");
  return card("throughput", "Throughput per stage", body, "Megabytes of text entering each stage per second of that stage's time.");
}

/** A few ids dropped under a reason, for auditing the rule; scrubbed, since an input id may hold a phone number. */
function exampleIds(s: StageStatsJSON, reason: string): string {
  const ids = s.examples?.[reason] ?? [];
  return ids.length === 0 ? "" : ` <span class="small">e.g. ${ids.map((id) => esc(scrubText(id).text)).join(", ")}</span>`;
}

function stagesTable(run: RunStatsJSON): string {
  if (run.stages.length === 0) return "";
  const rows = run.stages.map((s) => {
    const filtered = filteredOf(s);
    const counters = Object.entries(s.counters ?? {}).sort((a, b) => a[0].localeCompare(b[0]));
    return (
      `<tr><th scope="row">${esc(s.name)}</th><td class="n">${fmtInt(num(s.docs_in))}</td><td class="n">${fmtInt(num(s.docs_out))}</td>` +
      `<td>${filtered.map(([r, n]) => `${esc(r)} ${fmtInt(n)}${exampleIds(s, r)}`).join("<br>") || "–"}</td>` +
      `<td class="n">${num(s.duplicates) ? fmtInt(num(s.duplicates)) : "–"}</td><td class="n">${num(s.rejected) ? fmtInt(num(s.rejected)) : "–"}</td>` +
      `<td class="n">${fmtBytes(num(s.bytes_in))}</td><td class="n">${fmtDuration(num(s.elapsed_s))}</td>` +
      `<td class="small">${counters.map(([k, v]) => `${esc(k)} ${fmtInt(num(v))}`).join("<br>") || "–"}</td></tr>`
    );
  });
  return card(
    "stages",
    "Stages",
    `<div class="scroll"><table><thead><tr><th>stage</th><th>docs in</th><th>docs out</th><th>filtered</th><th>duplicates</th><th>rejected</th><th>bytes in</th><th>time</th><th>counters</th></tr></thead><tbody>${rows.join("")}</tbody></table></div>`,
  );
}

const MAX_FILE_ROWS = 50;

function filesSection(run: RunStatsJSON): string {
  const first = findStage(run.stages, "read") ?? run.stages[0];
  const files = Object.entries(first?.files ?? {});
  const unreadable = run.unreadable_files ?? [];
  const parts: string[] = [];
  if (unreadable.length > 0) {
    parts.push(
      `<div class="warn"><strong>${unreadable.length} file(s) could not be read to the end</strong><ul>${unreadable
        .map((u) => `<li><code>${esc(u.file)}</code>: ${esc(u.error)} (after ${fmtInt(num(u.docs_read))} documents)</li>`)
        .join("")}</ul></div>`,
    );
  }
  if (files.length > 0) {
    const rows = files
      .slice(0, MAX_FILE_ROWS)
      .map(
        ([file, c]) =>
          `<tr><td class="file"><code>${esc(file)}</code></td><td class="n">${fmtInt(num(c.docs_in))}</td><td class="n">${num(c.rejected) ? fmtInt(num(c.rejected)) : "–"}</td><td class="n">${fmtBytes(num(c.bytes_in))}</td></tr>`,
      );
    const more = files.length > MAX_FILE_ROWS ? `<p class="note">… and ${fmtInt(files.length - MAX_FILE_ROWS)} more (all of them are in report.json).</p>` : "";
    parts.push(`<div class="scroll"><table><thead><tr><th>file</th><th>docs read</th><th>rejected</th><th>bytes</th></tr></thead><tbody>${rows.join("")}</tbody></table></div>${more}`);
  } else if (run.inputs?.length) {
    parts.push(`<p class="note">${fmtInt(run.inputs.length)} input(s); no per-file counts were recorded.</p>`);
  }
  return parts.length > 0 ? card("files", "Input files", parts.join("")) : "";
}

// ---------------------------------------------------------------------------------------------
// The page

const CSS = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1d2330;--muted:#677086;--line:#e3e6ec;--grid:#eceef2;
--main:#4c7cf0;--kept:#2f9e6e;--filtered:#f0a23b;--duplicates:#9a6bd8;--rejected:#e0534a;--pii:#d9488f;--tok:#1f9bb0;
--before:#9aa8c7;--after:#4c7cf0;--track:#f0f2f6}
@media (prefers-color-scheme:dark){:root{--bg:#14171d;--card:#1d2129;--ink:#e6e9ef;--muted:#98a1b3;--line:#2c323d;--grid:#272c36;--track:#262b35;--before:#5d6a88}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans KR","Liberation Sans",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 24px 40px}
header{display:flex;flex-wrap:wrap;align-items:baseline;gap:8px 16px;margin-bottom:18px}
h1{font-size:22px;margin:0;font-weight:650;letter-spacing:-.01em}
h2{font-size:15px;margin:0 0 4px;font-weight:650}
.meta{color:var(--muted);margin:0;flex:1 1 auto}
.badge{display:inline-block;padding:3px 10px;border-radius:999px;font-size:12px;font-weight:600}
.badge.ok{background:rgba(47,158,110,.14);color:var(--kept)}
.badge.bad{background:rgba(224,83,74,.14);color:var(--rejected)}
.kpis{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin-bottom:16px}
@media (max-width:720px){.kpis{grid-template-columns:repeat(2,1fr)}}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;border-top:3px solid var(--main)}
.kpi-kept{border-top-color:var(--kept)}.kpi-filtered{border-top-color:var(--filtered)}.kpi-duplicates{border-top-color:var(--duplicates)}
.kpi-rejected{border-top-color:var(--rejected)}.kpi-pii{border-top-color:var(--pii)}.kpi-tokens{border-top-color:var(--tok)}
.kpi-label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.kpi-value{font-size:22px;font-weight:650;font-variant-numeric:tabular-nums;margin:2px 0}
.kpi-sub{color:var(--muted);font-size:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:16px 18px;margin-bottom:16px;min-width:0}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(440px,100%),1fr));gap:0 16px}
.note{color:var(--muted);font-size:12.5px;margin:0 0 10px}
.empty{color:var(--muted);font-style:italic;margin:18px 0;padding:18px;border:1px dashed var(--line);border-radius:8px;text-align:center}
.scroll{overflow-x:auto}
svg.chart{display:block;width:100%;height:auto;font-size:11px}
svg.flow{min-width:760px}
svg text{fill:var(--ink)}
.grid{stroke:var(--grid)}.axis{stroke:var(--muted)}
.tick{fill:var(--muted);font-size:10.5px;font-variant-numeric:tabular-nums}
.axis-label{fill:var(--muted);font-size:11px}
.bar-value{fill:var(--muted);font-size:10px;font-variant-numeric:tabular-nums}
.bar.s-before{fill:var(--before)}.bar.s-after{fill:var(--after)}.bar.s-tokens{fill:var(--tok)}
.bar.s-clusters{fill:var(--duplicates)}.bar.s-pii{fill:var(--pii)}.bar.s-speed{fill:var(--main)}
.bar:hover,.link:hover{opacity:.85}
.track{fill:var(--track)}
.hlabel{font-size:12px}.hvalue{font-size:12px;fill:var(--muted);font-variant-numeric:tabular-nums}
.node{fill:var(--main)}.node-out{fill:var(--kept)}
.link{opacity:.42}.link-main{fill:var(--main);opacity:.3}
.link-filtered,.sink-filtered{fill:var(--filtered)}.link-duplicates,.sink-duplicates{fill:var(--duplicates)}.link-rejected,.sink-rejected{fill:var(--rejected)}
.stage-name{font-size:13px;font-weight:650}.stage-docs{fill:var(--muted);font-size:11.5px;font-variant-numeric:tabular-nums}
.stage-extra{font-size:11px;font-weight:600}.accent-pii{fill:var(--pii)}.accent-tok{fill:var(--tok)}.muted{fill:var(--muted);font-weight:400}
.sink-label{font-size:11.5px;font-weight:600}.sink-count{fill:var(--muted);font-size:11px;font-variant-numeric:tabular-nums}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;color:var(--muted);font-size:12px;margin:8px 0 4px}
.legend span{display:inline-flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:3px}
.swatch.link-main{background:var(--main)}.swatch.link-filtered{background:var(--filtered)}.swatch.link-duplicates{background:var(--duplicates)}.swatch.link-rejected{background:var(--rejected)}
.swatch.s-before{background:var(--before)}.swatch.s-after{background:var(--after)}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{color:var(--muted);font-weight:600;font-size:12px;white-space:nowrap}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.small{font-size:12px;color:var(--muted)}
td.file code{word-break:break-all}
code{font:12px/1.4 ui-monospace,"DejaVu Sans Mono","Liberation Mono",monospace}
.warn{background:rgba(224,83,74,.08);border:1px solid rgba(224,83,74,.35);border-radius:8px;padding:10px 14px;margin-bottom:12px}
.warn ul{margin:6px 0 0;padding-left:20px}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:8px}
@media print{body{background:#fff}.card,.kpi{break-inside:avoid}}
`;

/** The report page for one run. Pure: the same statistics always give the same page. */
export function renderReportHtml(run: RunStatsJSON, options: ReportHtmlOptions = {}): string {
  const title = options.title ?? "korpipe run report";
  const safeRun: RunStatsJSON = { ...run, stages: Array.isArray(run.stages) ? run.stages : [], totals: run.totals ?? run.stages?.[0] };
  const started = run.started_at ? run.started_at.replace("T", " ").replace(/\.\d+Z$/, " UTC").replace(/Z$/, " UTC") : "";
  const meta = [
    `<code>korpipe ${esc(run.command ?? "run")}</code>`,
    started && `started ${esc(started)}`,
    num(run.elapsed_s) > 0 && `took ${esc(fmtDuration(num(run.elapsed_s)))}`,
    run.inputs?.length && `${esc(fmtInt(run.inputs.length))} input path(s)`,
  ].filter(Boolean);
  const badge = run.identity_holds
    ? `<span class="badge ok" title="docs in = kept + filtered + duplicates + rejected, for every stage">every document accounted for</span>`
    : `<span class="badge bad" title="docs in ≠ kept + filtered + duplicates + rejected somewhere">document counts do not add up: please report this</span>`;
  const body = [
    `<header><h1>${esc(title)}</h1><p class="meta">${meta.join(" · ")}</p>${badge}</header>`,
    safeRun.totals ? kpis(safeRun) : "",
    flowSection(safeRun),
    `<div class="grid2">${lengthSection(safeRun)}${tokensSection(safeRun)}${clustersSection(safeRun)}${piiSection(safeRun)}</div>`,
    throughputSection(safeRun),
    stagesTable(safeRun),
    filesSection(safeRun),
    `<footer>Generated by korpipe from the run's statistics: counts and sizes only, no document text. All numbers are in report.json.</footer>`,
  ].join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)} · ${esc(run.command ?? "")} ${esc(started)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
