/**
 * The document rules in the order they are checked; a document is counted under the first it fails.
 * Cheap character measures come first, line shapes next, n-grams and word order last.
 */
import { misplacedEndingRate, meanWordLength, frequentSyllableShare, rareSyllableShare } from "./broken-text.js";
import { commentLineShare, headlineLineShare, keywordListShare, priceLineShare } from "./list-pages.js";
import type { QualitySettings } from "./options.js";
import { chromeWordRate } from "./page-chrome.js";
import type { TextProfile } from "./profile.js";
import { ngramShares, repeatedLineRatio, repeatedSentenceShare } from "./repetition.js";
import { hangulLetterShare, jamoEmojiRatio } from "./script-share.js";
import { spamWordRate } from "./spam-words.js";
import { hangulRatio } from "./hangul-ratio.js";

export const QUALITY_REASONS = [
  "mostly_boilerplate",
  "too_short",
  "low_hangul_ratio",
  "jamo_emoji_spam",
  "mojibake",
  "random_syllables",
  "spam_words",
  "page_chrome",
  "price_list",
  "keyword_list",
  "headline_list",
  "comment_thread",
  "word_length",
  "repeated_lines",
  "top_ngram",
  "duplicated_ngrams",
  "repeated_in_line",
  "word_salad",
] as const;
export type QualityReason = (typeof QUALITY_REASONS)[number];

/**
 * The document-level reason a (line-cleaned) text fails, or undefined. `cutShare`: the share line
 * cleaning removed; `before`: the text before cleaning, which the chrome rule reads, since cleaning
 * takes the navigation lines that make a footer page recognisable.
 */
export function documentReason(p: TextProfile, o: QualitySettings, cutShare = 0, before = p): QualityReason | undefined {
  if (cutShare > o.maxBoilerplateShare) return "mostly_boilerplate";
  if (p.text.length < o.minChars) return "too_short";
  if (o.minHangulRatio > 0 && hangulRatio(p.text) < o.minHangulRatio) return "low_hangul_ratio";
  if (o.minHangulLetterShare > 0 && hangulLetterShare(p) < o.minHangulLetterShare) return "low_hangul_ratio";
  if (o.maxJamoEmojiRatio < 1 && jamoEmojiRatio(p) > o.maxJamoEmojiRatio) return "jamo_emoji_spam";
  if (o.maxRareSyllableShare < 1 && rareSyllableShare(p) > o.maxRareSyllableShare) return "mojibake";
  if (o.minFrequentSyllableShare > 0 && frequentSyllableShare(p) < o.minFrequentSyllableShare) return "random_syllables";
  if (o.maxSpamWordRate > 0 && spamWordRate(p) > o.maxSpamWordRate) return "spam_words";
  if (o.maxChromeWordRate > 0 && chromeWordRate(before) > o.maxChromeWordRate) return "page_chrome";
  if (o.maxPriceLineShare < 1 && priceLineShare(p) > o.maxPriceLineShare) return "price_list";
  if (o.maxKeywordListShare < 1 && keywordListShare(p) > o.maxKeywordListShare) return "keyword_list";
  if (o.maxHeadlineLineShare < 1 && headlineLineShare(p) > o.maxHeadlineLineShare) return "headline_list";
  if (o.maxCommentLineShare < 1 && commentLineShare(p) > o.maxCommentLineShare) return "comment_thread";
  if (o.minMeanWordLength > 0 || o.maxMeanWordLength > 0) {
    const len = meanWordLength(p);
    if (len < o.minMeanWordLength || (o.maxMeanWordLength > 0 && len > o.maxMeanWordLength)) return "word_length";
  }
  if (o.maxRepeatedLineRatio < 1 && repeatedLineRatio(p.text) > o.maxRepeatedLineRatio) return "repeated_lines";
  if (o.maxTopNgramShare < 1 || o.maxDuplicatedNgramShare < 1 || o.maxRepeatedSentenceShare < 1) {
    const s = ngramShares(p, Math.min(o.maxTopNgramShare, o.maxRepeatedSentenceShare / 2), Math.min(o.maxDuplicatedNgramShare, o.maxRepeatedSentenceShare / 2));
    if (s.top > o.maxTopNgramShare) return "top_ngram";
    if (s.duplicated > o.maxDuplicatedNgramShare) return "duplicated_ngrams";
    // A sentence repeated inside its line repeats its words' n-grams too; only then is it worth splitting sentences.
    const hint = Math.max(s.top, s.duplicated);
    if (o.maxRepeatedSentenceShare < 1 && hint > o.maxRepeatedSentenceShare / 2 && repeatedSentenceShare(p) > o.maxRepeatedSentenceShare) return "repeated_in_line";
  }
  if (o.maxMisplacedEndingRate > 0 && misplacedEndingRate(p) > o.maxMisplacedEndingRate) return "word_salad";
  return undefined;
}
