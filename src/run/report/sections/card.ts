/** The frame every section of the page shares. */
import { html, type HtmlValue, type SafeHtml } from "../html.js";

export function card(id: string, title: string, body: HtmlValue, note?: string): SafeHtml {
  return html`<section class="card" id="${id}"><h2>${title}</h2>${note !== undefined && html`<p class="note">${note}</p>`}${body}</section>`;
}

/** Said where a chart would be when there is nothing to draw; `chart` names the chart. */
export function empty(message: string, chart: string): SafeHtml {
  return html`<p class="empty" data-empty="${chart}">${message}</p>`;
}

/** Label/value rows; a hover text, when given, explains the value or gives its exact number. */
export function factTable(facts: readonly (readonly [label: string, value: string, hover?: string])[], id: string): SafeHtml {
  return html`<table class="facts" data-facts="${id}"><tbody>${facts.map(
    ([label, value, hover]) => html`<tr><th scope="row">${label}</th><td${hover !== undefined && html` title="${hover}"`}>${value}</td></tr>`,
  )}</tbody></table>`;
}
