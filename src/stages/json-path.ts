/**
 * Values inside one large JSON document, streamed: `data.*.paragraphs.*.context` yields every
 * paragraph's context of a KorQuAD-style file without ever holding the whole file.
 */
import { pipeline } from "node:stream";
import type { Readable } from "node:stream";
import { parser } from "stream-json";
import { pick } from "stream-json/filters/pick.js";
import { streamValues } from "stream-json/streamers/stream-values.js";

type PathPart = string | number | null;

/** A selector is dot-separated keys; `*` matches any key or array index. */
export function compileJsonPath(selector: string): (stack: readonly PathPart[]) => boolean {
  const parts = selector.split(".").filter((p) => p !== "");
  if (parts.length === 0) throw new Error(`--json-path "${selector}" is empty; use keys separated by dots, * for any key or index`);
  return (stack) => {
    if (stack.length !== parts.length) return false;
    for (let i = 0; i < parts.length; i++) {
      const want = parts[i]!;
      if (want !== "*" && String(stack[i]) !== want) return false;
    }
    return true;
  };
}

export async function* readJsonPath(source: Readable, selector: string): AsyncGenerator<unknown> {
  const matches = compileJsonPath(selector);
  const values = pipeline(
    source,
    parser.asStream(),
    pick.asStream({ filter: (stack) => matches(stack) }),
    streamValues.asStream(),
    () => {},
  ) as unknown as Readable;
  try {
    for await (const item of values) yield (item as { value: unknown }).value;
  } finally {
    values.destroy();
  }
}
