/**
 * The quality filter's options and its two presets. Every rule has one key; a preset is a full set of
 * values, and a user's keys override the preset's. A rule is off at its neutral value: a `max…Share`
 * or `max…Ratio` (a share in 0..1) at 1, a `min…` at 0, a `max…Rate` (unbounded) at 0.
 */

export const QUALITY_PRESETS = ["korean-web", "basic"] as const;
export type QualityPreset = (typeof QUALITY_PRESETS)[number];

export interface QualitySettings {
  /** Cut boilerplate lines, news tails and datelines before the document rules run. */
  cleanLines: boolean;
  /** too_short: fewest characters (after line cleaning). */
  minChars: number;
  /** mostly_boilerplate: largest share of characters line cleaning may cut before the page counts as chrome. */
  maxBoilerplateShare: number;
  /** low_hangul_ratio (basic's measure): Hangul over non-space characters. */
  minHangulRatio: number;
  /** low_hangul_ratio (korean-web's measure): Hangul syllables over letters, by UTF-8 bytes. */
  minHangulLetterShare: number;
  /** jamo_emoji_spam: compatibility jamo (ㅋ ㅎ ㅠ) and emoji over non-space characters. */
  maxJamoEmojiRatio: number;
  /** mojibake: syllables outside KS X 1001's 2,350 (and U+FFFD) over syllables. */
  maxRareSyllableShare: number;
  /** random_syllables: frequent syllables of Korean prose over syllables. */
  minFrequentSyllableShare: number;
  /** word_length: non-space characters per eojeol, lower bound (spaced-out letters). */
  minMeanWordLength: number;
  /** word_length: upper bound (text without spaces, base64, long URLs). */
  maxMeanWordLength: number;
  /** spam_words: gambling/adult/loan spam words per 100 eojeol (with at least 5 hits). */
  maxSpamWordRate: number;
  /** page_chrome: menu/login/cookie/terms/footer words per line (with at least 3 hits). */
  maxChromeWordRate: number;
  /** keyword_list: share of characters in runs of six or more short comma/hashtag-separated items. */
  maxKeywordListShare: number;
  /** price_list: share of lines that are short and hold a price. */
  maxPriceLineShare: number;
  /** headline_list: share of lines shaped like headlines. */
  maxHeadlineLineShare: number;
  /** comment_thread: share of lines that are short comments (stock phrases, timestamps, ㅋㅋ, reply marks). */
  maxCommentLineShare: number;
  /** repeated_lines: share of lines repeating an earlier line. */
  maxRepeatedLineRatio: number;
  /** repeated_in_line: share of characters in sentences repeating an earlier sentence of the same line. */
  maxRepeatedSentenceShare: number;
  /** top_ngram: share of word characters in the most frequent eojeol 2-, 3- or 4-gram. */
  maxTopNgramShare: number;
  /** duplicated_ngrams: share of word characters covered by repeated eojeol 5-grams. */
  maxDuplicatedNgramShare: number;
  /** word_salad: clause endings out of place per sentence. */
  maxMisplacedEndingRate: number;
}

export type QualityFilterOptions = Partial<QualitySettings> & { preset?: QualityPreset };

/** How an option's value reads: a share in 0..1, an unbounded rate, a character count, a length, or on/off. */
export type OptionKind = "share" | "rate" | "count" | "length" | "switch";

export interface OptionSpec {
  kind: OptionKind;
  /** The reason a document is dropped under (or, for cleanLines, the counters it feeds). */
  reason: string;
  /** What the option bounds, for --help, the config schema and docs. */
  help: string;
}

/** One line per option, read by the config schema, the CLI flags and docs/quality.md. */
export const OPTION_SPECS: Record<keyof QualitySettings, OptionSpec> = {
  cleanLines: { kind: "switch", reason: "lines_cut.*", help: "cut boilerplate lines, news tails and datelines before the document rules" },
  maxBoilerplateShare: { kind: "share", reason: "mostly_boilerplate", help: "largest share of characters line cleaning may cut" },
  minChars: { kind: "count", reason: "too_short", help: "fewest characters (after line cleaning)" },
  minHangulRatio: { kind: "share", reason: "low_hangul_ratio", help: "smallest share of Hangul among non-space characters (basic's measure)" },
  minHangulLetterShare: { kind: "share", reason: "low_hangul_ratio", help: "smallest share of Hangul syllables among letters, by UTF-8 bytes" },
  maxJamoEmojiRatio: { kind: "share", reason: "jamo_emoji_spam", help: "largest share of compatibility jamo (ㅋ ㅎ ㅠ) and emoji among non-space characters" },
  maxRareSyllableShare: { kind: "share", reason: "mojibake", help: "largest share of syllables outside KS X 1001's 2,350 (and U+FFFD)" },
  minFrequentSyllableShare: { kind: "share", reason: "random_syllables", help: "smallest share of frequent syllables of Korean prose" },
  maxSpamWordRate: { kind: "rate", reason: "spam_words", help: "most gambling/adult/loan spam words per 100 eojeol (5 hits at least)" },
  maxChromeWordRate: { kind: "rate", reason: "page_chrome", help: "most menu/login/cookie/terms/footer words per line (3 hits at least)" },
  maxPriceLineShare: { kind: "share", reason: "price_list", help: "largest share of short lines holding a price" },
  maxKeywordListShare: { kind: "share", reason: "keyword_list", help: "largest share of characters in keyword lists (comma/hashtag items, bare words)" },
  maxHeadlineLineShare: { kind: "share", reason: "headline_list", help: "largest share of headline-shaped lines" },
  maxCommentLineShare: { kind: "share", reason: "comment_thread", help: "largest share of short comment lines (stock replies, timestamps, ㅋㅋ, reply marks)" },
  minMeanWordLength: { kind: "length", reason: "word_length", help: "fewest non-space characters per eojeol (spaced-out letters)" },
  maxMeanWordLength: { kind: "length", reason: "word_length", help: "most non-space characters per eojeol (text without spaces)" },
  maxRepeatedLineRatio: { kind: "share", reason: "repeated_lines", help: "largest share of lines repeating an earlier line" },
  maxRepeatedSentenceShare: { kind: "share", reason: "repeated_in_line", help: "largest share of characters in sentences repeated inside their line" },
  maxTopNgramShare: { kind: "share", reason: "top_ngram", help: "largest share of word characters in the most frequent eojeol 2-, 3- or 4-gram" },
  maxDuplicatedNgramShare: { kind: "share", reason: "duplicated_ngrams", help: "largest share of word characters in repeated eojeol 5-grams" },
  maxMisplacedEndingRate: { kind: "rate", reason: "word_salad", help: "most clause endings out of place per sentence" },
};

/** How each kind turns off, for help texts. */
export function offValue(key: keyof QualitySettings): string {
  const { kind } = OPTION_SPECS[key];
  if (kind === "switch") return "false";
  if (key.startsWith("min") || kind === "rate" || kind === "length") return "0";
  return "1";
}

const OFF = {
  cleanLines: false,
  maxBoilerplateShare: 1,
  minHangulRatio: 0,
  minHangulLetterShare: 0,
  maxJamoEmojiRatio: 1,
  maxRareSyllableShare: 1,
  minFrequentSyllableShare: 0,
  minMeanWordLength: 0,
  maxMeanWordLength: 0,
  maxSpamWordRate: 0,
  maxChromeWordRate: 0,
  maxKeywordListShare: 1,
  maxPriceLineShare: 1,
  maxHeadlineLineShare: 1,
  maxCommentLineShare: 1,
  maxRepeatedLineRatio: 1,
  maxRepeatedSentenceShare: 1,
  maxTopNgramShare: 1,
  maxDuplicatedNgramShare: 1,
  maxMisplacedEndingRate: 0,
} satisfies Omit<QualitySettings, "minChars">;

/** Thresholds chosen on bench/quality-eval.mjs's labelled set (docs/quality.md gives each one's reasoning). */
export const PRESETS: Record<QualityPreset, QualitySettings> = {
  "korean-web": {
    cleanLines: true,
    minChars: 50,
    maxBoilerplateShare: 0.5,
    minHangulRatio: 0,
    minHangulLetterShare: 0.45,
    maxJamoEmojiRatio: 0.1,
    maxRareSyllableShare: 0.05,
    minFrequentSyllableShare: 0.3,
    minMeanWordLength: 1.5,
    maxMeanWordLength: 12,
    maxSpamWordRate: 2,
    maxChromeWordRate: 0.25,
    maxKeywordListShare: 0.4,
    maxPriceLineShare: 0.5,
    maxHeadlineLineShare: 0.5,
    maxCommentLineShare: 0.4,
    maxRepeatedLineRatio: 0.6,
    maxRepeatedSentenceShare: 0.5,
    maxTopNgramShare: 0.45,
    maxDuplicatedNgramShare: 0.6,
    maxMisplacedEndingRate: 0.8,
  },
  // The three rules korpipe had before the Korean filters, unchanged.
  basic: { ...OFF, minChars: 50, minHangulRatio: 0.4, maxRepeatedLineRatio: 0.3 },
};

export const DEFAULT_PRESET: QualityPreset = "korean-web";

/** The preset's values with the user's keys on top. */
export function qualitySettings(options: QualityFilterOptions = {}): QualitySettings {
  const { preset = DEFAULT_PRESET, ...own } = options;
  const base = PRESETS[preset];
  if (!base) throw new Error(`unknown quality preset "${preset}": use one of ${QUALITY_PRESETS.join(", ")}`);
  const out = { ...base };
  for (const [k, v] of Object.entries(own)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
