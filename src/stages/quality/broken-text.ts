/**
 * Text that is not language: mojibake (UTF-8 Korean decoded as CP949 lands outside KS X 1001's
 * common syllables, or as U+FFFD), "lorem" of random syllables (real prose draws most syllables from
 * a few hundred frequent ones), words without spaces or spaced-out letters (eojeol length), and word
 * salad (real words in no order: clause endings in the middle of sentences, sentences that end on a
 * particle).
 */
import type { TextProfile } from "./profile.js";
import { endsLikePredicate } from "./syllable-sets.js";

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
  const words = p.words.length;
  return words === 0 ? 0 : p.chars.nonSpace / words;
}

// The syllable before a final 다 in a finished clause: 했다, 있다, 한다, 이다, 겠다 ...
const BEFORE_FINAL_DA = new Set([..."었았했였겠한된있없이는진간온준본난졌왔갔됐봤줬렸켰셨쳤냈섰싶같많좋크작높낮"].map((s) => s.charCodeAt(0)));
const DA = "다".charCodeAt(0);
const SENTENCE_END = /[.!?]["'”’)]*$/;

function isClauseFinal(word: string): boolean {
  const n = word.length;
  return n >= 2 && word.charCodeAt(n - 1) === DA && BEFORE_FINAL_DA.has(word.charCodeAt(n - 2));
}

/** Whether the word ends a sentence on a Hangul syllable that is not a predicate ending ("…정부의."). */
function endsSentenceOffPredicate(word: string): boolean {
  const bare = word.replace(/[.!?"'”’)\]]+$/, "");
  const last = bare.charCodeAt(bare.length - 1);
  return bare.length >= 2 && last >= 0xac00 && last <= 0xd7a3 && !endsLikePredicate(bare);
}

/**
 * Out-of-place endings per sentence, counting three signs of words in no order: a sentence of four or
 * more words ending on a particle or noun rather than a predicate; a clause-final word (했다, 있다) with
 * no sentence break after it; and a sentence of one to three words between two others on the same line
 * (shuffled text scatters its "했다." words, so sentence lengths fall apart). Lines are breaks too, so
 * verse, dialogue and lists are not sentences run together. 0 below three sentences or 30 words.
 */
export function misplacedEndingRate(p: TextProfile): number {
  if (p.words.length < 30) return 0;
  let sentences = 0;
  let misplaced = 0;
  for (const line of p.lines) {
    const words = line.split(" ");
    let inSentence = 0;
    let lengths: number[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      inSentence++;
      const ends = SENTENCE_END.test(w);
      if (ends || i === words.length - 1) {
        if (ends) lengths.push(inSentence);
        if (inSentence >= 4) {
          sentences++;
          if (ends && endsSentenceOffPredicate(w)) misplaced++;
        }
        inSentence = 0;
      } else if (isClauseFinal(w)) {
        misplaced++;
      }
    }
    for (let k = 1; k < lengths.length - 1; k++) if (lengths[k]! <= 3) misplaced++;
  }
  return sentences < 3 ? 0 : misplaced / sentences;
}
