/** The heading and the row of headline numbers at the top of the page. */
import { fmtBytes, fmtDuration, fmtInt, fmtPct, fmtStarted } from "../format.js";
import { html, joinHtml, type SafeHtml } from "../html.js";
import { findStage, num, runPii, tokenTotal, type RunStatsJSON } from "../stats-view.js";

export function header(run: RunStatsJSON, title: string): SafeHtml {
  const meta = [
    html`<code>korpipe ${run.command ?? "run"}</code>`,
    run.started_at ? `started ${fmtStarted(run.started_at)}` : undefined,
    num(run.elapsed_s) > 0 ? `took ${fmtDuration(num(run.elapsed_s))}` : undefined,
    run.inputs?.length ? `${fmtInt(run.inputs.length)} input path(s)` : undefined,
  ];
  const badge = run.identity_holds
    ? html`<span class="badge ok" title="docs in = kept + filtered + duplicates + rejected, for every stage">every document accounted for</span>`
    : html`<span class="badge bad" title="docs in ≠ kept + filtered + duplicates + rejected somewhere">document counts do not add up: please report this</span>`;
  return html`<header><h1>${title}</h1><p class="meta">${joinHtml(meta, " · ")}</p>${badge}</header>`;
}

type Tile = { label: string; value: string; sub: string; cls?: string; hover?: string };

export function kpis(run: RunStatsJSON): SafeHtml {
  const t = run.totals;
  const docsIn = num(t.docs_in);
  const filtered = Object.values(t.filtered ?? {}).reduce((a, b) => a + num(b), 0);
  const pii = runPii(run.stages);
  const tokens = tokenTotal(run);
  const tiles: Tile[] = [
    { label: "docs in", value: fmtInt(docsIn), sub: fmtBytes(num(t.bytes_in)), hover: `${fmtInt(num(t.bytes_in))} bytes of text` },
    { label: "kept", value: fmtInt(num(t.docs_out)), sub: docsIn > 0 ? `${fmtPct(num(t.docs_out), docsIn)} · ${fmtBytes(num(t.bytes_out))}` : fmtBytes(num(t.bytes_out)), cls: "kept", hover: `${fmtInt(num(t.bytes_out))} bytes of text` },
    { label: "filtered", value: fmtInt(filtered), sub: fmtPct(filtered, docsIn), cls: "filtered" },
    { label: "duplicates", value: fmtInt(num(t.duplicates)), sub: fmtPct(num(t.duplicates), docsIn), cls: "duplicates" },
    { label: "rejected", value: fmtInt(num(t.rejected)), sub: num(t.rejected) > 0 ? "see rejects.jsonl" : "none", cls: "rejected" },
    {
      label: "PII replaced",
      value: fmtInt(pii.replaced),
      sub: findStage(run.stages, "scrub") || pii.byType.length > 0 ? `in ${fmtInt(pii.documents)} documents · ${pii.byType.map(([k, n]) => `${k} ${fmtInt(n)}`).join(" · ") || "none found"}` : "no scrub stage",
      cls: "pii",
    },
  ];
  if (tokens !== undefined) {
    const tokDocs = num(findStage(run.stages, "tokenize")?.docs_out);
    tiles.push({ label: "tokens", value: fmtInt(tokens), sub: tokDocs > 0 ? `${fmtInt(tokens / tokDocs)} per document on average` : "", cls: "tokens" });
  }
  if (num(run.elapsed_s) > 0) {
    tiles.push({ label: "throughput", value: `${(num(t.bytes_in) / 1e6 / num(run.elapsed_s)).toFixed(1)} MB/s`, sub: `end to end, ${fmtDuration(num(run.elapsed_s))}`, hover: `${fmtInt(num(t.bytes_in))} bytes in ${num(run.elapsed_s)} s` });
  }
  return html`<section class="kpis">${tiles.map(
    (tile) =>
      html`<div class="${tile.cls ? `kpi kpi-${tile.cls}` : "kpi"}"${tile.hover !== undefined && html` title="${tile.hover}"`}><div class="kpi-label">${tile.label}</div><div class="kpi-value">${tile.value}</div><div class="kpi-sub">${tile.sub}</div></div>`,
  )}</section>`;
}
