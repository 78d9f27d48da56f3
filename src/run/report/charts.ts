/**
 * Inline SVG charts, styled by the page's CSS classes (so the dark theme applies to them too).
 * Every bar carries its exact count in a tooltip and in data attributes.
 */
import { bucketRange, fmtBucket, fmtCompact, fmtInt, shorten } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import { num, type Histogram } from "./stats-view.js";

export interface Series {
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

/**
 * Gridlines for a count axis: round steps (1, 2, 5 × 10^n) giving about five lines, never
 * finer than 1, since a count between two integers means nothing (one cluster must not give "0, 0, 1, 1").
 */
export function countTicks(max: number): number[] {
  if (max <= 0) return [0];
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!);
  const ticks: number[] = [];
  for (let t = 0; t < max + step; t += step) ticks.push(t);
  return ticks;
}

/** A histogram over power-of-two buckets; several series are drawn side by side per bucket. */
export function histogramChart(args: { id: string; series: Series[]; unit: string; what: string; legend?: boolean }): SafeHtml {
  const axis = bucketAxis(args.series.map((s) => s.hist));
  const W = 560;
  const H = 250;
  const m = { top: 16, right: 12, bottom: 46, left: 52 };
  const plotW = W - m.left - m.right;
  const plotH = H - m.top - m.bottom;
  const max = Math.max(0, ...args.series.flatMap((s) => axis.map((b) => num(s.hist[String(b)]))));
  const ticks = countTicks(max);
  const top = ticks[ticks.length - 1]! || 1;
  const y = (v: number) => m.top + plotH - (v / top) * plotH;
  const slot = plotW / Math.max(axis.length, 1);
  const gap = Math.min(6, slot * 0.2);
  const barW = Math.max(1, (slot - gap) / args.series.length);
  const labelEvery = Math.ceil(axis.length / 14);
  const grid = ticks.map(
    (t) =>
      html`<line class="grid" x1="${m.left}" x2="${W - m.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}"/><text class="tick" x="${m.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${fmtCompact(t)}</text>`,
  );
  const columns = axis.map((b, i) => {
    const x0 = m.left + i * slot + gap / 2;
    const bars = args.series.map((s, j) => {
      const v = num(s.hist[String(b)]);
      const h = (v / top) * plotH;
      const width = Math.max(barW - (args.series.length > 1 ? 1 : 0), 1);
      return html`<rect class="bar ${s.cls}" data-series="${s.name}" data-bucket="${b}" data-count="${v}" x="${(x0 + j * barW).toFixed(1)}" y="${(m.top + plotH - h).toFixed(1)}" width="${width.toFixed(1)}" height="${h.toFixed(1)}"><title>${`${s.name}: ${fmtInt(v)} ${args.what} of ${bucketRange(b, args.unit)}`}</title></rect>`;
    });
    // One series with room to spare: print counts on the bars, so the short ones can be read too.
    const v = num(args.series[0]!.hist[String(b)]);
    const value =
      args.series.length === 1 && slot >= 26 && v > 0 && html`<text class="bar-value" x="${(x0 + barW / 2).toFixed(1)}" y="${(y(v) - 4).toFixed(1)}" text-anchor="middle"><title>${fmtInt(v)}</title>${fmtCompact(v)}</text>`;
    const label = i % labelEvery === 0 && html`<text class="tick" x="${(m.left + i * slot + slot / 2).toFixed(1)}" y="${H - m.bottom + 15}" text-anchor="middle">${fmtBucket(b)}</text>`;
    return html`${bars}${value}${label}`;
  });
  const legend =
    (args.series.length > 1 || args.legend) &&
    html`<div class="legend">${args.series.map((s) => html`<span><i class="swatch ${s.cls}"></i>${s.name}</span>`)}</div>`;
  return html`${legend}<svg class="chart" data-chart="${args.id}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${`histogram of ${args.what} by ${args.unit}`}">${grid}${columns}<line class="axis" x1="${m.left}" x2="${W - m.right}" y1="${m.top + plotH}" y2="${m.top + plotH}"/><text class="axis-label" x="${m.left + plotW / 2}" y="${H - 8}" text-anchor="middle">${args.unit} (power-of-two buckets; hover a bar for its range)</text></svg>`;
}

export interface HBar {
  label: string;
  value: number;
  /** Shown beside the bar: the exact value, in words. */
  text: string;
  title?: string;
}

/** Labelled horizontal bars, for comparing a handful of named values; each value is printed beside its bar. */
export function hbarChart(args: { id: string; rows: HBar[]; cls: string; width: number; labelWidth?: number }): SafeHtml {
  const W = args.width;
  const rowH = 30;
  const labelW = args.labelWidth ?? 150;
  const textW = 150;
  const H = args.rows.length * rowH + 8;
  const max = Math.max(0, ...args.rows.map((r) => r.value)) || 1;
  const plotW = W - labelW - textW;
  const rows = args.rows.map((r, i) => {
    const y = 4 + i * rowH;
    const w = Math.max((r.value / max) * plotW, r.value > 0 ? 2 : 0);
    return html`<g class="hrow"><title>${r.title ?? `${r.label}: ${r.text}`}</title><text class="hlabel" x="${labelW - 10}" y="${y + 19}" text-anchor="end">${shorten(r.label, Math.floor(labelW / 7))}</text><rect class="track" x="${labelW}" y="${y + 5}" width="${plotW}" height="${rowH - 10}" rx="3"/><rect class="bar ${args.cls}" data-label="${r.label}" data-value="${r.value}" x="${labelW}" y="${y + 5}" width="${w.toFixed(1)}" height="${rowH - 10}" rx="3"/><text class="hvalue" x="${labelW + w + 8}" y="${y + 19}">${r.text}</text></g>`;
  });
  return html`<svg class="chart" data-chart="${args.id}" viewBox="0 0 ${W} ${H}" role="img">${rows}</svg>`;
}
