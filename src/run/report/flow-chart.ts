/**
 * The document flow as a Sankey-like diagram: one column per stage plus the output, the main
 * band narrowing as stages drop documents, each drop peeling off below into its own labelled
 * sink. Band widths are proportional to documents (drops get a minimum width to stay visible).
 */
import { fmtInt, fmtPct, shorten } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import { dropsOf, num, type RunStatsJSON, type StageStatsJSON } from "./stats-view.js";

/** A cubic band from one vertical span to another, as an SVG path. */
function band(x1: number, a1: number, b1: number, x2: number, a2: number, b2: number): string {
  const f = (v: number) => v.toFixed(1);
  const xm = (x1 + x2) / 2;
  return `M${f(x1)} ${f(a1)} C${f(xm)} ${f(a1)} ${f(xm)} ${f(a2)} ${f(x2)} ${f(a2)} L${f(x2)} ${f(b2)} C${f(xm)} ${f(b2)} ${f(xm)} ${f(b1)} ${f(x1)} ${f(b1)} Z`;
}

/** `notes`: a short phrase per stage name (from its report section), shown under its document count. */
export function flowChart(run: RunStatsJSON, notes: ReadonlyMap<string, string>): SafeHtml {
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

  const links: SafeHtml[] = [];
  const nodes: SafeHtml[] = [];
  const labels: SafeHtml[] = [];
  let bottom = y0 + mainH + 12;

  cols.forEach((col, i) => {
    const s = col.stage;
    const out = s ? num(s.docs_out) : col.docs;
    const drops = s ? dropsOf(s) : [];
    const outH = out * k;
    const dropHs = drops.map((d) => Math.max(d.count * k, minH));
    const nodeH = Math.max(col.docs * k, outH + dropHs.reduce((a, b) => a + b, 0), col.docs > 0 ? minH : 0);
    const isOut = !s;
    nodes.push(
      html`<rect class="${isOut ? "node node-out" : "node"}" data-stage="${col.name}" x="${x(i).toFixed(1)}" y="${y0}" width="${nodeW}" height="${nodeH.toFixed(1)}" rx="2"><title>${`${col.name}: ${fmtInt(col.docs)} documents${s ? ` in, ${fmtInt(out)} out` : ""}`}</title></rect>`,
    );
    const note = s ? notes.get(s.name) : undefined;
    const nameChars = Math.floor((colGap - 8) / 8.5);
    labels.push(
      html`<text class="stage-name" x="${x(i).toFixed(1)}" y="${y0 - 46}"><title>${col.name}</title>${shorten(col.name, nameChars)}</text>`,
      html`<text class="stage-docs" x="${x(i).toFixed(1)}" y="${y0 - 28}">${fmtInt(col.docs)} docs</text>`,
    );
    if (note) labels.push(html`<text class="stage-extra" x="${x(i).toFixed(1)}" y="${y0 - 11}"><title>${`${col.name}: ${note}`}</title><tspan class="accent">${shorten(note, Math.floor((colGap - 8) / 6.5))}</tspan></text>`);
    if (isOut) labels.push(html`<text class="stage-extra" x="${x(i).toFixed(1)}" y="${y0 - 11}"><tspan class="muted">${fmtPct(col.docs, inputDocs)} of input</tspan></text>`);

    if (i + 1 < cols.length) {
      const next = cols[i + 1]!;
      links.push(
        html`<path class="link link-main" d="${band(x(i) + nodeW, y0, y0 + outH, x(i + 1), y0, y0 + next.docs * k)}"><title>${`${fmtInt(out)} documents from ${col.name} to ${next.name}`}</title></path>`,
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
      links.push(html`<path class="link link-${d.kind}" d="${band(x(i) + nodeW, from, from + h, sinkX, sinkY, sinkY + h)}"><title>${tip}</title></path>`);
      nodes.push(
        html`<rect class="sink sink-${d.kind}" data-kind="${d.kind}" data-stage="${col.name}" data-label="${d.label}" data-count="${d.count}" x="${sinkX.toFixed(1)}" y="${sinkY.toFixed(1)}" width="${nodeW}" height="${h.toFixed(1)}" rx="2"><title>${tip}</title></rect>`,
      );
      const ly = sinkY + Math.min(h, 24) / 2;
      labels.push(
        html`<text class="sink-label" x="${labelX.toFixed(1)}" y="${(ly - 2).toFixed(1)}"><title>${tip}</title>${shorten(d.label, labelChars)}</text>`,
        html`<text class="sink-count" x="${labelX.toFixed(1)}" y="${(ly + 11).toFixed(1)}">${fmtInt(d.count)} · ${fmtPct(d.count, inputDocs)}</text>`,
      );
      from += h;
      sinkY += Math.max(h, 24) + 14;
    });
    bottom = Math.max(bottom, sinkY);
  });

  const H = Math.ceil(bottom + 6);
  return html`<svg class="chart flow" data-chart="flow" viewBox="0 0 ${W} ${H}" role="img" aria-label="document flow through the stages">${links}${nodes}${labels}</svg>`;
}
