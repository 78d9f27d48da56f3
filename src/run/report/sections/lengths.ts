/** Document lengths in characters, as read and after cleaning. */
import { histogramChart, type Series } from "../charts.js";
import type { SafeHtml } from "../html.js";
import { lengthHistograms, type RunStatsJSON } from "../stats-view.js";
import { card, empty } from "./card.js";

export function lengthSection(run: RunStatsJSON): SafeHtml {
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
