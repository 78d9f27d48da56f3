/** The document-flow card. */
import { flowChart } from "../flow-chart.js";
import { html, type SafeHtml } from "../html.js";
import { num, type RunStatsJSON } from "../stats-view.js";
import { card, empty } from "./card.js";

export function flowSection(run: RunStatsJSON, notes: ReadonlyMap<string, string>): SafeHtml {
  const body =
    run.stages.length === 0 || num(run.stages[0]?.docs_in) === 0
      ? empty("No documents entered this run, so there is no flow to draw.", "flow")
      : html`<div class="scroll">${flowChart(run, notes)}</div><div class="legend"><span><i class="swatch link-main"></i>kept, on to the next stage</span><span><i class="swatch link-filtered"></i>filtered (by reason)</span><span><i class="swatch link-duplicates"></i>duplicates</span><span><i class="swatch link-rejected"></i>rejected (malformed input)</span></div>`;
  return card("flow", "Document flow", body, "Band widths are proportional to documents; hover any band for its exact count.");
}
