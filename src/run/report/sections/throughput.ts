/** Megabytes per second of each stage's own time. */
import { hbarChart, type HBar } from "../charts.js";
import { fmtBytesExact, fmtDuration, fmtInt } from "../format.js";
import type { SafeHtml } from "../html.js";
import { num, type RunStatsJSON } from "../stats-view.js";
import { card, empty } from "./card.js";

export function throughputSection(run: RunStatsJSON): SafeHtml {
  const rows: HBar[] = run.stages.map((s) => {
    const secs = num(s.elapsed_s);
    const mbps = secs > 0 ? num(s.bytes_in) / 1e6 / secs : 0;
    return {
      label: s.name,
      value: mbps,
      text: secs > 0 ? `${mbps >= 100 ? mbps.toFixed(0) : mbps.toFixed(1)} MB/s · ${fmtDuration(secs)}` : "not timed",
      title: `${s.name}: ${fmtBytesExact(num(s.bytes_in))} in ${secs > 0 ? `${secs} s; ${fmtInt(num(s.docs_in) / secs)} docs/s` : "(no time recorded)"}`,
    };
  });
  const body = rows.length > 0 ? hbarChart({ id: "throughput", cls: "s-speed", rows, width: 1100, labelWidth: 130 }) : empty("No stages ran.", "throughput");
  return card("throughput", "Throughput per stage", body, "Megabytes of text entering each stage per second of that stage's time.");
}
