/**
 * Privacy tokens must reach the model as the tokenizer's own special tokens. One the tokenizer does
 * not know is split into ordinary pieces (`<|tell|>` → `<`, `|`, `t`, ...) and silently loses its
 * meaning, so tokenizing refuses to start until every configured token is exactly one special id.
 */
import { PII_TYPES, type PiiType, type PrivacyTokens } from "../pii/privacy-tokens.js";
import type { LoadedTokenizer } from "./tokenizer.js";

export class PrivacyTokenError extends Error {}

/** Levenshtein distance, for naming the special token a user most likely meant. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The special token closest to `token` by edit distance (ties: the lower id). */
export function nearestSpecialToken(tok: LoadedTokenizer, token: string): string | undefined {
  let best: { content: string; distance: number; id: number } | undefined;
  for (const [content, id] of tok.specialTokens) {
    const distance = editDistance(token, content);
    if (!best || distance < best.distance || (distance === best.distance && id < best.id)) best = { content, distance, id };
  }
  return best?.content;
}

/**
 * Checks that each privacy token encodes to exactly one special-token id and returns those ids.
 * Throws PrivacyTokenError naming the token and the tokenizer's nearest special token otherwise.
 */
export async function checkPrivacyTokens(tok: LoadedTokenizer, tokens: PrivacyTokens): Promise<Record<PiiType, number>> {
  const ids = {} as Record<PiiType, number>;
  const problems: string[] = [];
  const suggestion: string[] = [];
  for (const type of PII_TYPES) {
    const token = tokens[type];
    const special = tok.specialTokens.get(token);
    // A special token matched as written always encodes, alone, to its own id: no need to ask the library.
    if (special !== undefined && tok.addedTokens.some((t) => t.content === token && t.special && !t.normalized)) {
      ids[type] = special;
      suggestion.push(`${type}=${token}`);
      continue;
    }
    const encoded = (await tok.tokenizer.encode(token, null, { addSpecialTokens: false })).getIds();
    if (encoded.length === 1 && special !== undefined && encoded[0] === special) {
      ids[type] = special;
      suggestion.push(`${type}=${token}`);
      continue;
    }
    const nearest = nearestSpecialToken(tok, token);
    const what = encoded.length === 1 ? "one ordinary (not special) token" : `${encoded.length} tokens`;
    problems.push(`${type} token ${token} is not a special token of this tokenizer (it encodes to ${what}); nearest special token: ${nearest ?? "none, the tokenizer has no special tokens"}`);
    suggestion.push(`${type}=${nearest ?? token}`);
  }
  if (problems.length > 0) {
    throw new PrivacyTokenError(
      `${tok.path}: ${problems.join("; ")}. ` +
        `Scrub and tokenize with the tokenizer's spelling (--privacy-tokens ${suggestion.join(",")}; the preset polyglot-ko for Polyglot-Ko), ` +
        `or train a tokenizer that has these tokens ('korpipe train-tokenizer').`,
    );
  }
  return ids;
}
