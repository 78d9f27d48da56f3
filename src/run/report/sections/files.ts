/** Per input file: where its documents went; and the files that could not be read to the end. */
import { fmtBytes, fmtInt } from "../format.js";
import { html, type SafeHtml } from "../html.js";
import { fileRows, num, type RunStatsJSON } from "../stats-view.js";
import { card } from "./card.js";

const MAX_FILE_ROWS = 50;
const orDash = (n: number) => (n ? fmtInt(n) : "–");

export function filesSection(run: RunStatsJSON): SafeHtml | undefined {
  const files = fileRows(run.stages);
  const unreadable = Array.isArray(run.unreadable_files) ? run.unreadable_files : [];
  const parts: SafeHtml[] = [];
  if (unreadable.length > 0) {
    parts.push(
      html`<div class="warn"><strong>${unreadable.length} file(s) could not be read to the end</strong><ul>${unreadable.map(
        (u) => html`<li><code>${u.file}</code>: ${u.error} (after ${fmtInt(num(u.docs_read))} documents)</li>`,
      )}</ul></div>`,
    );
  }
  if (files.length > 0) {
    const rows = files
      .slice(0, MAX_FILE_ROWS)
      .map(
        (f) =>
          html`<tr data-file="${f.file}"><td class="file"><code>${f.file}</code></td><td class="n">${fmtInt(f.read)}</td><td class="n">${fmtInt(f.kept)}</td><td class="n">${orDash(f.filtered)}</td><td class="n">${orDash(f.duplicates)}</td><td class="n">${orDash(f.rejected)}</td><td class="n" title="${`${fmtInt(f.bytes)} bytes`}">${fmtBytes(f.bytes)}</td></tr>`,
      );
    const more = files.length > MAX_FILE_ROWS && html`<p class="note">… and ${fmtInt(files.length - MAX_FILE_ROWS)} more (all of them are in report.json).</p>`;
    parts.push(
      html`<div class="scroll"><table><thead><tr><th>file</th><th>docs read</th><th>kept</th><th>filtered</th><th>duplicates</th><th>rejected</th><th>bytes read</th></tr></thead><tbody>${rows}</tbody></table></div>${more}`,
    );
  } else if (run.inputs?.length) {
    parts.push(html`<p class="note">${fmtInt(run.inputs.length)} input(s); no per-file counts were recorded.</p>`);
  }
  return parts.length > 0 ? card("files", "Input files", parts, "Every document read from a file is kept, filtered, removed as a duplicate or rejected.") : undefined;
}
