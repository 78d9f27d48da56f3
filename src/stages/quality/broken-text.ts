/**
 * Text that is not language: mojibake (UTF-8 Korean decoded as CP949 lands outside KS X 1001's
 * common syllables, or as U+FFFD), "lorem" of random syllables (real prose draws most syllables from
 * a few hundred frequent ones), words without spaces or spaced-out letters (eojeol length), and word
 * salad (real words in no order: clause endings in the middle of sentences, sentences that end on a
 * particle).
 */
import type { TextProfile, WordCounter, WordEnd } from "./profile.js";
import { BEFORE_FINAL_DA, PREDICATE_FINAL, syllableFlags } from "./syllable-sets.js";

/** Fewest syllables a ratio is judged on: below this one odd name decides. */
const MIN_SYLLABLES = 30;

/** Syllables outside KS X 1001 (plus U+FFFD) over syllables (plus U+FFFD); 0 for short texts. */
export function rareSyllableShare(p: TextProfile): number {
  const c = p.chars;
  const total = c.syllables + c.replacement;
  if (total < MIN_SYLLABLES / 3) return 0;
  return (c.rareSyllables + c.replacement) / total;
}

/** Frequent syllables over all syllables; 1 (no judgement) for texts with under 30 syllables. */
export function frequentSyllableShare(p: TextProfile): number {
  const c = p.chars;
  return c.syllables < MIN_SYLLABLES ? 1 : c.frequentSyllables / c.syllables;
}

/** Non-space characters per eojeol. */
export function meanWordLength(p: TextProfile): number {
  return p.wordCount === 0 ? 0 : p.chars.nonSpace / p.wordCount;
}

const DA = "다".charCodeAt(0);

/**
 * Out-of-place endings, counting three signs of words in no order: a sentence of four or more words
 * ending on a particle or noun rather than a predicate ("…정부의."); a clause-final word (했다, 있다)
 * with no sentence break after it; and a sentence of one to three words between two others on the
 * same line (shuffled text scatters its "했다." words, so sentence lengths fall apart). Line ends
 * close sentences too, so verse, dialogue and lists are not sentences run together.
 */
export class MisplacedEndings implements WordCounter {
  sentences = 0;
  misplaced = 0;
  private inSentence = 0;
  // Lengths of the sentences closed by punctuation on this line: the one before last, and the last.
  private closedOnLine = 0;
  private lastLength = 0;

  onWord(w: WordEnd): void {
    this.inSentence++;
    if (w.endsSentence || w.lineEnd) {
      if (this.inSentence >= 4) {
        this.sentences++;
        if (w.endsSentence && w.bareLength >= 2 && w.bareFlags !== 0 && (w.bareFlags & PREDICATE_FINAL) === 0) this.misplaced++;
      }
      if (w.endsSentence) {
        // The previous sentence sits between two others when one came before it on this line.
        if (this.closedOnLine >= 2 && this.lastLength <= 3) this.misplaced++;
        this.closedOnLine++;
        this.lastLength = this.inSentence;
      }
      this.inSentence = 0;
    } else if (w.lastChar === DA && w.length >= 2 && syllableFlags(w.prevChar) & BEFORE_FINAL_DA) {
      this.misplaced++;
    }
  }

  onLineEnd(): void {
    this.inSentence = 0;
    this.closedOnLine = 0;
    this.lastLength = 0;
  }
}

/** Out-of-place endings per sentence; 0 below four sentences or 30 words (too few to tell a quirk from a pattern). */
export function misplacedEndingRate(p: TextProfile): number {
  const m = p.misplacedEndings;
  if (p.wordCount < 30 || m.sentences < 4) return 0;
  return m.misplaced / m.sentences;
}
