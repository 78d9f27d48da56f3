/** How numbers, sizes and times read on the report page. */

import { exact, percent } from "../../stages/report-section.js";

// Stage cards word their numbers with the same two functions.
export const fmtInt = exact;
export const fmtPct = percent;

const trim = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1).replace(/\.0$/, "") : x.toFixed(2).replace(/\.?0+$/, ""));

/** Short numbers for axes and bar tops, where the exact count sits in the tooltip. */
export function fmtCompact(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${trim(n / 1e9)}B`;
  if (a >= 1e6) return `${trim(n / 1e6)}M`;
  if (a >= 1e4) return `${trim(n / 1e3)}k`;
  return fmtInt(n);
}

export function fmtBytes(bytes: number): string {
  if (bytes >= 1e12) return `${trim(bytes / 1e12)} TB`;
  if (bytes >= 1e9) return `${trim(bytes / 1e9)} GB`;
  if (bytes >= 1e6) return `${trim(bytes / 1e6)} MB`;
  if (bytes >= 1e3) return `${trim(bytes / 1e3)} kB`;
  return `${fmtInt(bytes)} B`;
}

/** Bytes with the exact count beside the rounded one, for tooltips. */
export const fmtBytesExact = (bytes: number): string => (bytes >= 1e3 ? `${fmtBytes(bytes)} (${fmtInt(bytes)} bytes)` : fmtBytes(bytes));

export function fmtDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A power-of-two bucket bound, in binary thousands: 1024 → "1k", 65536 → "64k". */
export function fmtBucket(lower: number): string {
  if (lower >= 1 << 30) return `${lower / (1 << 30)}G`;
  if (lower >= 1 << 20) return `${lower / (1 << 20)}M`;
  if (lower >= 1024) return `${lower / 1024}k`;
  return String(lower);
}

/** The values a power-of-two bucket holds: 0, 1, or "lower–(2·lower − 1)". */
export function bucketRange(lower: number, unit: string): string {
  if (lower === 0) return `0 ${unit}`;
  if (lower === 1) return `1 ${unit}`;
  return `${fmtInt(lower)}–${fmtInt(lower * 2 - 1)} ${unit}`;
}

/** Shortens a label for a chart; the full text goes into the element's tooltip. */
export function shorten(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

/** "started 2024-05-02 09:14:03 UTC" from an ISO time. */
export function fmtStarted(iso: string): string {
  return iso.replace("T", " ").replace(/\.\d+Z$/, " UTC").replace(/Z$/, " UTC");
}
