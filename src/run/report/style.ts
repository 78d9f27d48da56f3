/** The page's one style sheet: light and dark themes, charts styled by class. */
export const REPORT_CSS = `
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
.stage-extra{font-size:11px;font-weight:600}.accent{fill:var(--tok)}.muted{fill:var(--muted);font-weight:400}
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
table.facts{width:auto;min-width:60%;margin-bottom:10px}
table.facts th{font-weight:500;color:var(--muted);white-space:nowrap;padding-right:18px}
table.facts td{font-variant-numeric:tabular-nums;word-break:break-word}
table.facts td[title]{text-decoration:underline dotted var(--muted);text-underline-offset:3px;cursor:help}
pre.config{font:12px/1.45 ui-monospace,"DejaVu Sans Mono","Liberation Mono",monospace;background:var(--track);border-radius:8px;padding:10px 14px;margin:0;overflow-x:auto;white-space:pre-wrap;word-break:break-word}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:8px}
@media print{body{background:#fff}.card,.kpi{break-inside:avoid}}
`;

