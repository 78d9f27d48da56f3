/**
 * Syllable sets read from the word lists: the frequent syllables of Korean prose, and the syllables
 * that end a sentence's predicate (다, 요, 까 ...), which word-salad and headline checks look for.
 */
import { wordList } from "./wordlists.js";

let frequent: Set<number> | undefined;

/** Code points of frequent-syllables.txt (whitespace-separated syllables). */
export function frequentSyllables(): Set<number> {
  if (!frequent) {
    frequent = new Set();
    for (const line of wordList("frequent-syllables")) for (const s of line.split(/\s+/)) if (s.length === 1) frequent.add(s.charCodeAt(0));
  }
  return frequent;
}

/**
 * Last syllables of a finished Korean clause: declarative 다, polite 요/죠, questions 까/니/냐,
 * exclamations 네/구나(나), imperatives and suggestions 라/자/오/세요(요), plain 지/어/아/야/게/군/래/걸.
 * A poem's lines, a dialogue's turns and a sentence all end in one of them; a headline or a noun list rarely does.
 */
const PREDICATE_FINAL = new Set([..."다요죠까니냐네나라자오지어아야게군래걸데해돼줘봐와워써라든고며서면"].map((s) => s.charCodeAt(0)));

/** True when the word (punctuation stripped from its end) ends the way a clause or a verse line ends. */
export function endsLikePredicate(word: string): boolean {
  for (let i = word.length - 1; i >= 0; i--) {
    const c = word.charCodeAt(i);
    if (c >= 0xac00 && c <= 0xd7a3) return PREDICATE_FINAL.has(c);
    if (c === 0x29 || c === 0x22 || c === 0x27 || c === 0x201d || c === 0x2019 || c === 0x2e || c === 0x21 || c === 0x3f || c === 0x7e || c === 0x2026 || c === 0x2c) continue;
    return false;
  }
  return false;
}
