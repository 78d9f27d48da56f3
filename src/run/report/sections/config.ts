/** The config the run used (report.json `sections.config`), so the page says how it was made. */
import { html, type SafeHtml } from "../html.js";
import { sectionsOf, type RunStatsJSON } from "../stats-view.js";
import { card } from "./card.js";

export function configSection(run: RunStatsJSON): SafeHtml | undefined {
  const config = sectionsOf(run).config;
  if (typeof config !== "object" || config === null) return undefined;
  return card("config", "Config used", html`<pre class="config" data-config="">${JSON.stringify(config, null, 2)}</pre>`, "With every default filled in; rerun it with korpipe run.");
}
