/**
 * Finding added (special) tokens in text as Hugging Face's AddedVocabulary does: the leftmost match
 * wins, and the longest of those starting there. Tokens are split out before normalization (or,
 * for tokens marked `normalized`, in the normalized text) and never reach the pre-tokenizer.
 */
import type { AddedTokenSpec } from "./tokenizer-spec.js";

export class AddedTokenMatcher {
  private readonly pattern: RegExp;
  private readonly idOf: Map<string, number>;

  constructor(tokens: AddedTokenSpec[]) {
    // A JavaScript alternation takes its first alternative that matches, so longest first gives leftmost-longest.
    const contents = [...new Set(tokens.map((t) => t.content))].sort((a, b) => b.length - a.length);
    this.pattern = new RegExp(contents.map((c) => c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")).join("|"), "gu");
    this.idOf = new Map(tokens.map((t) => [t.content, t.id]));
  }

  /**
   * Calls `gap(start, end)` for each stretch of `text` between tokens (empty ones skipped) and
   * `token(id)` for each token, in text order.
   */
  split(text: string, gap: (start: number, end: number) => void, token: (id: number) => void): void {
    const re = this.pattern;
    re.lastIndex = 0;
    let at = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m.index > at) gap(at, m.index);
      token(this.idOf.get(m[0])!);
      at = m.index + m[0].length;
    }
    if (at < text.length) gap(at, text.length);
  }
}
