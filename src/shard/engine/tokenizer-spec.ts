/**
 * Reads a tokenizer.json and decides whether korpipe's own engine reproduces it exactly: a
 * byte-level BPE whose every step (added tokens, normalizer, pre-tokenizers, model, post-processor)
 * is one the engine implements. Anything else gets the reason in one line, so `--engine auto` can
 * say why it falls back to Hugging Face tokenizers.
 */

export type NormalizerForm = "NFC" | "NFD" | "NFKC" | "NFKD";

/** A Split pre-tokenizer on a literal string (the only kind the engine implements). */
export interface LiteralSplit {
  pattern: string;
  behavior: "Removed" | "Isolated";
}

export interface AddedTokenSpec {
  id: number;
  content: string;
  /** Matched in the normalized text (true) or the raw text (false), as the library does. */
  normalized: boolean;
}

export interface EngineSpec {
  /** Token → id of the BPE model (added tokens not included). */
  vocab: Map<string, number>;
  /** Merges in rank order (rank = index), each a pair of token strings. */
  merges: [string, string][];
  ignoreMerges: boolean;
  addedTokens: AddedTokenSpec[];
  normalizers: NormalizerForm[];
  splits: LiteralSplit[];
  addPrefixSpace: boolean;
  useRegex: boolean;
}

export type SpecResult = { spec: EngineSpec; reason?: undefined } | { spec?: undefined; reason: string };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export function normalizerForms(n: unknown): NormalizerForm[] | string {
  if (n === null || n === undefined) return [];
  if (!isObject(n)) return "its normalizer is not an object";
  if (n.type === "NFC" || n.type === "NFD" || n.type === "NFKC" || n.type === "NFKD") return [n.type];
  if (n.type === "Sequence" && Array.isArray(n.normalizers)) {
    const forms: NormalizerForm[] = [];
    for (const part of n.normalizers) {
      const f = normalizerForms(part);
      if (typeof f === "string") return f;
      forms.push(...f);
    }
    return forms;
  }
  return `its normalizer ${String(n.type)} is not one the fast engine reproduces (NFC, NFD, NFKC, NFKD)`;
}

export interface PreTokenizers {
  splits: LiteralSplit[];
  addPrefixSpace: boolean;
  useRegex: boolean;
}

export function preTokenizers(p: unknown): PreTokenizers | string {
  if (!isObject(p)) return "it has no ByteLevel pre-tokenizer";
  const steps = p.type === "Sequence" && Array.isArray(p.pretokenizers) ? (p.pretokenizers as unknown[]) : [p];
  const splits: LiteralSplit[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (!isObject(step)) return "a pre-tokenizer is not an object";
    if (step.type === "ByteLevel") {
      if (i !== steps.length - 1) return "a pre-tokenizer follows ByteLevel";
      return { splits, addPrefixSpace: Boolean(step.add_prefix_space), useRegex: step.use_regex !== false };
    }
    if (step.type !== "Split") return `its pre-tokenizer ${String(step.type)} is not one the fast engine reproduces (Split on a string, ByteLevel)`;
    const pattern = isObject(step.pattern) ? step.pattern.String : undefined;
    if (typeof pattern !== "string" || pattern === "") return "a Split pre-tokenizer uses a regex pattern (only literal strings are reproduced)";
    if (step.invert) return "a Split pre-tokenizer is inverted";
    if (step.behavior !== "Removed" && step.behavior !== "Isolated") return `a Split pre-tokenizer's behavior ${String(step.behavior)} is not reproduced (Removed, Isolated)`;
    splits.push({ pattern, behavior: step.behavior });
  }
  return "it has no ByteLevel pre-tokenizer";
}

function mergePairs(merges: unknown): [string, string][] | string {
  if (!Array.isArray(merges)) return "its model has no merges list";
  const out: [string, string][] = [];
  for (const m of merges) {
    if (typeof m === "string") {
      const space = m.indexOf(" ");
      if (space <= 0 || m.indexOf(" ", space + 1) !== -1) return "a merge is not two tokens separated by one space";
      out.push([m.slice(0, space), m.slice(space + 1)]);
    } else if (Array.isArray(m) && m.length === 2 && typeof m[0] === "string" && typeof m[1] === "string") {
      out.push([m[0], m[1]]);
    } else return "a merge is neither \"a b\" nor [a, b]";
  }
  return out;
}

/** The 256 byte-level characters (GPT-2's bytes_to_unicode), which must all be tokens of the model. */
export function byteLevelAlphabet(): string[] {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const out: string[] = [];
  let shifted = 0;
  for (let b = 0; b < 256; b++) out.push(String.fromCharCode(printable(b) ? b : 256 + shifted++));
  return out;
}

/**
 * Why the fast engine cannot reproduce this parsed tokenizer.json, or undefined when it can. Cheap:
 * it checks the file's shape, not every merge (the library's own loader has checked those).
 */
export function specProblem(json: unknown): string | undefined {
  if (!isObject(json)) return "the file is not a JSON object";
  const model = json.model;
  if (!isObject(model) || (model.type !== undefined && model.type !== "BPE")) return `its model is ${isObject(model) ? String(model.type) : "missing"}, not BPE`;
  if (typeof model.dropout === "number" && model.dropout > 0) return "its BPE uses dropout (random merges)";
  if (model.byte_fallback) return "its BPE uses byte_fallback";
  if (model.continuing_subword_prefix || model.end_of_word_suffix) return "its BPE uses a subword prefix or suffix";
  if (json.truncation) return "it truncates (truncation is set)";
  if (json.padding) return "it pads (padding is set)";
  const post = json.post_processor;
  if (post !== null && post !== undefined && !(isObject(post) && post.type === "ByteLevel")) {
    return `its post-processor ${isObject(post) ? String(post.type) : "?"} may add tokens`;
  }
  const normalizers = normalizerForms(json.normalizer);
  if (typeof normalizers === "string") return normalizers;
  const pre = preTokenizers(json.pre_tokenizer);
  if (typeof pre === "string") return pre;
  if (!isObject(model.vocab)) return "its model has no vocab";
  const vocab = model.vocab;
  const missing = byteLevelAlphabet().filter((c) => typeof vocab[c] !== "number");
  if (missing.length > 0) return `${missing.length} of the 256 byte-level characters are not in its vocab`;
  if (!Array.isArray(model.merges)) return "its model has no merges list";
  for (const m of model.merges) {
    const ok = typeof m === "string" ? m.indexOf(" ") > 0 && m.indexOf(" ") === m.lastIndexOf(" ") : Array.isArray(m) && m.length === 2 && typeof m[0] === "string" && typeof m[1] === "string";
    if (!ok) return "a merge is neither \"a b\" nor [a, b]";
  }
  for (const t of Array.isArray(json.added_tokens) ? json.added_tokens : []) {
    if (!isObject(t) || typeof t.content !== "string" || typeof t.id !== "number" || t.content === "") return "an added token has no content or id";
    if (t.lstrip || t.rstrip || t.single_word) return `added token ${JSON.stringify(t.content)} strips spaces or matches single words only`;
  }
  return undefined;
}

/** The engine's reading of a parsed tokenizer.json, or why it cannot reproduce it. */
export function engineSpec(json: unknown): SpecResult {
  const reason = specProblem(json);
  if (reason !== undefined) return { reason };
  const j = json as Json;
  const model = j.model as Json;
  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(model.vocab as Json)) {
    if (typeof id !== "number") return { reason: "a vocab id is not a number" };
    vocab.set(token, id);
  }
  const merges = mergePairs(model.merges);
  if (typeof merges === "string") return { reason: merges };
  const addedTokens = (Array.isArray(j.added_tokens) ? (j.added_tokens as Json[]) : []).map((t) => ({ id: t.id as number, content: t.content as string, normalized: Boolean(t.normalized) }));
  const pre = preTokenizers(j.pre_tokenizer) as PreTokenizers;
  return { spec: { vocab, merges, ignoreMerges: Boolean(model.ignore_merges), addedTokens, normalizers: normalizerForms(j.normalizer) as NormalizerForm[], ...pre } };
}
