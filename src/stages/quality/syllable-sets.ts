/**
 * What korpipe knows about each of the 11,172 Hangul syllables, as bit flags in one table so that the
 * per-character pass costs an array read: in KS X 1001's common 2,350; among the frequent syllables
 * of prose (wordlists/ko/frequent-syllables.txt); the last syllable of a word carrying a particle or
 * ending; the last syllable of a finished clause; the syllable before a clause-final 다.
 */
import { isKsx1001Syllable } from "./common-syllables.js";
import { wordList } from "./wordlists.js";

export const KSX1001 = 1;
export const FREQUENT = 2;
/** Particles and endings (은 는 이 가 을 를 의 에 …): prose is mostly such words, keyword lists hardly any. */
export const MARKED_FINAL = 4;
/**
 * Last syllables of a finished clause: declarative 다, polite 요/죠, questions 까/니/냐, exclamations
 * 네/나, imperatives and suggestions 라/자/오, plain 지/어/아/야/게/군/래/걸, connectives 고/며/서/면
 * that end a verse line, and the nominal note endings 음/함/임/기 of lists. A poem's lines, a
 * dialogue's turns and a sentence end in one of them; a headline or a noun list rarely does.
 */
export const PREDICATE_FINAL = 8;
/** The syllable before a final 다 in a finished clause: 했다, 있다, 한다, 이다, 겠다 … */
export const BEFORE_FINAL_DA = 16;

const FIRST = 0xac00;
const COUNT = 11172;
let table: Uint8Array | undefined;

function mark(t: Uint8Array, syllables: string, flag: number): void {
  for (const s of syllables) {
    const c = s.charCodeAt(0);
    if (c >= FIRST && c < FIRST + COUNT) t[c - FIRST]! |= flag;
  }
}

function build(): Uint8Array {
  const t = new Uint8Array(COUNT);
  for (let i = 0; i < COUNT; i++) if (isKsx1001Syllable(FIRST + i)) t[i] = KSX1001;
  for (const line of wordList("frequent-syllables")) mark(t, line.replace(/\s+/g, ""), FREQUENT);
  mark(t, "은는이가을를의에도로와과고며서면다요지게한된할인적들만까나야께랑든데니라죠네음함임히던었았했", MARKED_FINAL);
  mark(t, "다요죠까니냐네나라자오지어아야게군래걸데해돼줘봐와워써든고며서면음함임기됨", PREDICATE_FINAL);
  mark(t, "었았했였겠한된있없이는진간온준본난졌왔갔됐봤줬렸켰셨쳤냈섰싶같많좋크작높낮", BEFORE_FINAL_DA);
  return t;
}

/** The flags of every syllable, indexed by code point - 0xAC00. */
export function syllableTable(): Uint8Array {
  return (table ??= build());
}

/** The flags of a character: 0 for anything but a Hangul syllable. */
export function syllableFlags(c: number): number {
  if (c < FIRST || c >= FIRST + COUNT) return 0;
  return syllableTable()[c - FIRST]!;
}

/** True when the word (closing punctuation stripped from its end) ends the way a clause or a verse line ends. */
export function endsLikePredicate(word: string): boolean {
  for (let i = word.length - 1; i >= 0; i--) {
    const c = word.charCodeAt(i);
    if (c >= FIRST && c < FIRST + COUNT) return (syllableFlags(c) & PREDICATE_FINAL) !== 0;
    if (isClosingPunctuation(c)) continue;
    return false;
  }
  return false;
}

/** . ! ? , ~ … and closing quotes and brackets: what may follow a word's last syllable. */
export function isClosingPunctuation(c: number): boolean {
  return c === 0x2e || c === 0x21 || c === 0x3f || c === 0x2c || c === 0x7e || c === 0x2026 || c === 0x29 || c === 0x5d || c === 0x22 || c === 0x27 || c === 0x201d || c === 0x2019;
}
