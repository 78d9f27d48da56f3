/**
 * Cutting one long document into pieces whose ids, concatenated, equal the ids of the whole text,
 * so neither engine holds a whole 60 MB document's intermediate state at once. A cut goes before
 * a space (U+0020) that follows a non-whitespace character: the ByteLevel split ends a word there
 * anyway, the space starts the next pre-token in both cases (so add_prefix_space adds nothing),
 * NFC/NFD never compose across a space, and no added token or Split pattern holding a space could
 * straddle it, because tokenizers with such tokens or patterns are not cut at all.
 */
import { charClassTable, SPACE } from "./char-classes.js";
import { normalizerForms, preTokenizers } from "./tokenizer-spec.js";

/**
 * Pieces are cut near this many UTF-16 code units: small enough that the library's per-token
 * encoding objects for one piece stay near 100 MB, large enough that cutting costs nothing.
 */
export const CHUNK_CHARS = 1 << 18;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Whether cutting before a space is invisible in the ids of this tokenizer.json: a ByteLevel
 * split (regex on) after literal Splits without spaces, NFC/NFD or no normalizer, no post-processor
 * that adds tokens, added tokens without spaces or stripping, and no truncation or padding.
 */
export function cutsAreExact(json: unknown): boolean {
  if (!isObject(json) || json.truncation || json.padding) return false;
  const post = json.post_processor;
  if (post !== null && post !== undefined && !(isObject(post) && post.type === "ByteLevel")) return false;
  const forms = normalizerForms(json.normalizer);
  // NFKC/NFKD may turn the character before a cut into one that ends in whitespace.
  if (typeof forms === "string" || forms.some((f) => f === "NFKC" || f === "NFKD")) return false;
  const pre = preTokenizers(json.pre_tokenizer);
  if (typeof pre === "string" || !pre.useRegex || pre.splits.some((s) => s.pattern.includes(" "))) return false;
  const added = Array.isArray(json.added_tokens) ? json.added_tokens : [];
  return added.every((t) => isObject(t) && typeof t.content === "string" && !t.content.includes(" ") && !t.lstrip && !t.rstrip && !t.single_word);
}

/** `text` as pieces of about `size` code units cut before a space that follows a non-space; short text as itself. */
export function cutAtSpaces(text: string, size: number = CHUNK_CHARS): string[] {
  if (text.length <= size) return [text];
  const classes = charClassTable();
  const pieces: string[] = [];
  let start = 0;
  while (text.length - start > size) {
    let cut = -1;
    for (let p = text.indexOf(" ", start + size); p !== -1; p = text.indexOf(" ", p + 1)) {
      if (classes[text.charCodeAt(p - 1)] !== SPACE) {
        cut = p;
        break;
      }
    }
    if (cut === -1) break;
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  pieces.push(text.slice(start));
  return pieces;
}
