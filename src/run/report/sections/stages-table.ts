/** Every stage's counts in one table. */
import { fmtBytes, fmtDuration, fmtInt } from "../format.js";
import { html, joinHtml, type SafeHtml } from "../html.js";
import { filterReasons, num, type RunStatsJSON } from "../stats-view.js";
import { card } from "./card.js";

const orDash = (n: number) => (n ? fmtInt(n) : "–");

export function stagesTable(run: RunStatsJSON): SafeHtml | undefined {
  if (run.stages.length === 0) return undefined;
  const rows = run.stages.map((s) => {
    const counters = Object.entries(s.counters ?? {}).sort((a, b) => a[0].localeCompare(b[0]));
    const lines = (pairs: [string, unknown][]) => joinHtml(pairs.map(([k, n]) => `${k} ${fmtInt(num(n))}`), html`<br>`);
    return html`<tr><th scope="row">${s.name}</th><td class="n">${fmtInt(num(s.docs_in))}</td><td class="n">${fmtInt(num(s.docs_out))}</td><td>${filterReasons(s).length ? lines(filterReasons(s)) : "–"}</td><td class="n">${orDash(num(s.duplicates))}</td><td class="n">${orDash(num(s.rejected))}</td><td class="n" title="${`${fmtInt(num(s.bytes_in))} bytes`}">${fmtBytes(num(s.bytes_in))}</td><td class="n">${fmtDuration(num(s.elapsed_s))}</td><td class="small">${counters.length ? lines(counters) : "–"}</td></tr>`;
  });
  return card(
    "stages",
    "Stages",
    html`<div class="scroll"><table><thead><tr><th>stage</th><th>docs in</th><th>docs out</th><th>filtered</th><th>duplicates</th><th>rejected</th><th>bytes in</th><th>time</th><th>counters</th></tr></thead><tbody>${rows}</tbody></table></div>`,
  );
}
