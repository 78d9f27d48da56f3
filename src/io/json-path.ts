/**
 * Values inside one large JSON document, streamed: `data.*.paragraphs.*.context` yields every
 * paragraph's context of a KorQuAD-style file without ever holding the whole file. Values are
 * assembled here from the parser's string and number chunks, so a value over the size limit is
 * measured and skipped without ever being built (a 600 MB string costs no memory), and a value
 * nested too deeply is skipped the same way.
 */
import { pipeline } from "node:stream";
import type { Readable } from "node:stream";
import { MAX_NESTING } from "./record-checks.js";

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

export interface JsonPathLimits {
  /** A value whose serialized size passes this many bytes is skipped and reported, not built. */
  maxValueBytes?: number;
  /** Likewise for any one string in it (a text over --max-doc-bytes is rejected anyway). */
  maxStringBytes?: number;
}

/** One selected value, or why it was skipped. */
export type JsonPathItem = { value: unknown } | { skipped: "over_max_doc_bytes" | "nesting_too_deep"; bytes: number };

interface Token {
  name: string;
  value?: string;
}

type Container = { obj: Record<string, unknown>; key?: string } | { arr: unknown[] };

/** Builds values from tokens with a size and depth bound; see the module comment. */
class BoundedAssembler {
  private stack: Container[] = [];
  private depth = 0;
  private bytes = 0;
  private stringBytes = 0;
  private parts: string[] = [];
  private skipped: "over_max_doc_bytes" | "nesting_too_deep" | undefined;
  private done: JsonPathItem | undefined;

  constructor(
    private readonly maxBytes: number,
    private readonly maxStringBytes: number,
  ) {}

  /** Feeds one token; returns a finished top-level item when this token completed one. */
  push(t: Token): JsonPathItem | undefined {
    this.done = undefined;
    switch (t.name) {
      case "startObject":
      case "startArray":
        this.depth++;
        this.count(1);
        if (this.depth > MAX_NESTING) this.skip("nesting_too_deep");
        if (!this.skipped) this.stack.push(t.name === "startObject" ? { obj: {} } : { arr: [] });
        break;
      case "endObject":
      case "endArray": {
        this.depth--;
        this.count(1);
        const c = this.skipped ? undefined : this.stack.pop();
        this.add(c ? ("obj" in c ? c.obj : c.arr) : undefined);
        break;
      }
      case "keyValue": {
        this.count(Buffer.byteLength(t.value!) + 3);
        const top = this.stack[this.stack.length - 1];
        if (top && "obj" in top) top.key = t.value!;
        break;
      }
      case "startString":
      case "startNumber":
        this.parts = [];
        this.stringBytes = 0;
        break;
      case "stringChunk":
      case "numberChunk": {
        const n = Buffer.byteLength(t.value!);
        this.count(n);
        this.stringBytes += n;
        if (this.stringBytes > this.maxStringBytes) this.skip("over_max_doc_bytes");
        if (!this.skipped) this.parts.push(t.value!);
        break;
      }
      case "endString":
        this.count(2);
        this.add(this.skipped ? undefined : this.parts.join(""));
        this.parts = [];
        break;
      case "endNumber":
        this.add(this.skipped ? undefined : Number(this.parts.join("")));
        this.parts = [];
        break;
      case "nullValue":
        this.count(4);
        this.add(null);
        break;
      case "trueValue":
      case "falseValue":
        this.count(5);
        this.add(t.name === "trueValue");
        break;
      default:
        break; // startKey/stringChunk of keys are not streamed (keys are packed)
    }
    return this.done;
  }

  private count(n: number): void {
    this.bytes += n;
    if (this.bytes > this.maxBytes) this.skip("over_max_doc_bytes");
  }

  private skip(why: "over_max_doc_bytes" | "nesting_too_deep"): void {
    if (this.skipped) return;
    this.skipped = why;
    this.stack = [];
    this.parts = [];
  }

  private add(value: unknown): void {
    if (this.depth > 0) {
      if (this.skipped) return;
      const top = this.stack[this.stack.length - 1]!;
      if ("obj" in top) top.obj[top.key!] = value;
      else top.arr.push(value);
      return;
    }
    this.done = this.skipped ? { skipped: this.skipped, bytes: this.bytes } : { value };
    this.skipped = undefined;
    this.bytes = 0;
    this.stack = [];
  }
}

let streamJsonLibrary: Promise<[typeof import("stream-json"), typeof import("stream-json/filters/pick.js")]> | undefined;

/**
 * The streaming parser is imported on first use: only nested .json inputs need it, and importing
 * it cost every task thread start-up time. Meanwhile `source` is paused (a byte counter's "data"
 * listener would otherwise let chunks flow past the parser) and an error of it is kept and thrown.
 */
async function streamJson(source: Readable): Promise<[typeof import("stream-json"), typeof import("stream-json/filters/pick.js")]> {
  streamJsonLibrary ??= Promise.all([import("stream-json"), import("stream-json/filters/pick.js")]);
  let sourceError: unknown;
  const hold = (err: unknown) => (sourceError ??= err);
  source.pause();
  source.on("error", hold);
  let library: Awaited<typeof streamJsonLibrary>;
  try {
    library = await streamJsonLibrary;
  } finally {
    source.off("error", hold);
  }
  if (sourceError !== undefined) throw sourceError;
  return library;
}

export async function* readJsonPath(source: Readable, selector: string, limits: JsonPathLimits = {}): AsyncGenerator<JsonPathItem> {
  const matches = compileJsonPath(selector);
  const [{ parser }, { pick }] = await streamJson(source);
  const tokens = pipeline(
    source,
    // Strings and numbers come in chunks and are never packed by the parser: the assembler bounds them.
    parser.asStream({ packStrings: false, packNumbers: false, packKeys: true }),
    pick.asStream({ filter: (stack) => matches(stack) }),
    () => {},
  ) as unknown as Readable;
  const assembler = new BoundedAssembler(limits.maxValueBytes ?? Number.MAX_SAFE_INTEGER, limits.maxStringBytes ?? Number.MAX_SAFE_INTEGER);
  try {
    for await (const t of tokens) {
      const item = assembler.push(t as Token);
      if (item) yield item;
    }
  } finally {
    tokens.destroy();
  }
}
