/** The run report: report.html drawn from report.json, and the token-length facts it needs from the shards. */
export { renderReportHtml, type ReportHtmlOptions } from "./page.js";
export { escapeHtml, html, raw, SafeHtml } from "./html.js";
export { summarizeTokenLengths, type TokenLengthSummary } from "./token-lengths.js";
