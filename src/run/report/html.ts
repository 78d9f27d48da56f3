/**
 * Markup that cannot carry unescaped text: `html` escapes every interpolated value unless it was
 * itself built by `html` (or `raw`, for the page's own constants), so a stage name, reason or
 * file name can never become markup, whichever section or chart shows it.
 */

/** A fragment that is already markup. Only `html` and `raw` make one. */
export class SafeHtml {
  private constructor(readonly markup: string) {}
  /** @internal */
  static of(markup: string): SafeHtml {
    return new SafeHtml(markup);
  }
  toString(): string {
    return this.markup;
  }
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML and SVG content and attribute values alike. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** What an interpolation may be: text (escaped), a fragment, nothing, or a list of these. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.markup;
  // `false`, null and undefined render as nothing, so `${cond && html`…`}` reads naturally.
  if (value === undefined || value === null || value === false) return "";
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(value);
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return SafeHtml.of(out);
}

/** Trusted markup written in this module tree (the style sheet), never anything from statistics. */
export function raw(trusted: string): SafeHtml {
  return SafeHtml.of(trusted);
}

/** Fragments joined by a separator (itself escaped unless it is a fragment). */
export function joinHtml(parts: readonly HtmlValue[], separator: HtmlValue): SafeHtml {
  const rendered = parts.map(render).filter((p) => p !== "");
  return SafeHtml.of(rendered.join(render(separator)));
}
