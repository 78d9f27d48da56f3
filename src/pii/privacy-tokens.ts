/**
 * The privacy tokens that replace personal information, and the `--privacy-tokens` syntax
 * shared by `korpipe scrub`, `korpipe tokenize` and pipeline configs.
 */

export type PiiType = "rrn" | "tell" | "acc";
export const PII_TYPES: readonly PiiType[] = ["rrn", "tell", "acc"];

export type PrivacyTokens = Record<PiiType, string>;

/** The spelling of the GPT-NeoX-Ko model card. */
export const DEFAULT_PRIVACY_TOKENS: PrivacyTokens = { rrn: "<|rrn|>", tell: "<|tell|>", acc: "<|acc|>" };

export const PRIVACY_TOKEN_PRESETS: Record<string, PrivacyTokens> = {
  default: DEFAULT_PRIVACY_TOKENS,
  // The Polyglot-Ko tokenizer.json spells the phone token <|tel|> (id 30001).
  "polyglot-ko": { rrn: "<|rrn|>", tell: "<|tel|>", acc: "<|acc|>" },
};

/**
 * Parses a preset name (`polyglot-ko`) or a list `rrn=<|rrn|>,tell=<|tel|>,acc=<|acc|>`.
 * Types left out of a list keep their default token.
 */
export function parsePrivacyTokens(spec: string | undefined): PrivacyTokens {
  if (spec === undefined || spec.trim() === "") return { ...DEFAULT_PRIVACY_TOKENS };
  const preset = PRIVACY_TOKEN_PRESETS[spec.trim()];
  if (preset) return { ...preset };
  const tokens: PrivacyTokens = { ...DEFAULT_PRIVACY_TOKENS };
  for (const part of spec.split(",")) {
    const eq = part.indexOf("=");
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (eq < 0 || !(PII_TYPES as readonly string[]).includes(key) || value === "") {
      throw new Error(
        `--privacy-tokens: cannot read "${part.trim()}"; use a preset (${Object.keys(PRIVACY_TOKEN_PRESETS).join(", ")}) ` +
          `or a list like rrn=<|rrn|>,tell=<|tell|>,acc=<|acc|>`,
      );
    }
    tokens[key as PiiType] = value;
  }
  return tokens;
}
