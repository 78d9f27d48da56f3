/**
 * The Korean word lists under wordlists/ko, read once per process. They are data, not code, so that a
 * user can audit and extend them without a rebuild; this module finds them relative to itself, which
 * works from src/ (tests) and from dist/ (the installed package) alike.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export type WordListName = "boilerplate-lines" | "news-tails" | "page-chrome" | "spam" | "comment-phrases" | "frequent-syllables";

const DIR = fileURLToPath(new URL("../../../wordlists/ko/", import.meta.url));
const cache = new Map<WordListName, string[]>();

/** The entries of one list: NFC, trimmed, without blank and `#` comment lines. */
export function wordList(name: WordListName): string[] {
  let entries = cache.get(name);
  if (!entries) {
    const file = `${DIR}${name}.txt`;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      throw new Error(`${file}: the ${name} word list is missing; reinstall korpipe or restore wordlists/ko from the repository`);
    }
    entries = text
      .split("\n")
      .map((l) => l.trim().normalize("NFC"))
      .filter((l) => l !== "" && !l.startsWith("#"));
    cache.set(name, entries);
  }
  return entries;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** One regular expression matching any entry of a list (global, for counting hits). */
export function wordListPattern(name: WordListName, flags = "g"): RegExp {
  const entries = [...wordList(name)].sort((a, b) => b.length - a.length);
  return new RegExp(entries.map(escape).join("|"), flags);
}
