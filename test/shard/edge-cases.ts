import { rng } from "../helpers/seeded-random.mjs";
/**
 * Generated texts at the edges of byte-level BPE tokenizing: characters of every Unicode general
 * category, emoji and ZWJ sequences, lone surrogates, U+0085, U+FEFF, U+0CF1, whitespace runs,
 * digits, contractions, special and privacy tokens glued to text, NFC and NFD Hangul, and runs
 * long enough to take the long-word merge path. Deterministic for a seed.
 */
const CATEGORIES = ["Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Co", "Cn"];


/** Up to `per` code points of each general category: all of U+0000-U+33FF scanned, then strides through the rest. */
export function codePointsByCategory(per = 24): Map<string, string[]> {
  const tests = CATEGORIES.map((c) => [c, new RegExp(`^\\p{gc=${c}}$`, "u")] as const);
  const found = new Map<string, string[]>(CATEGORIES.map((c) => [c, []]));
  const random = rng(7);
  for (let cp = 0; cp < 0x110000; cp += cp < 0x3400 ? 1 : 1 + Math.floor(random() * 97)) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    for (const [name, re] of tests) {
      if (!re.test(ch)) continue;
      const list = found.get(name)!;
      if (list.length < per) list.push(ch);
      else if (random() < 0.05) list[Math.floor(random() * per)] = ch;
      break;
    }
  }
  return found;
}

const hangulNfc = ["한국어", "도서관", "갔습니다", "읽었다", "똠방각하", "뷁"];
const fragments = [
  ...hangulNfc,
  ...hangulNfc.map((w) => w.normalize("NFD")),
  "\u1100\u1161\u11a8", // conjoining jamo, NFC composes it to 각
  "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇰🇷", "1️⃣", "❤️", "\u200d", "\u200b",
  "\ud800", "\udc00", "\udbff\udbff", "a\udfffb",
  "\u0085", "\ufeff", "\u0cf1", "\u00a0", "\u3000", "\u2028", "\u2029", "\u1680", "\u180e",
  " ", "  ", "   ", "\t", "\n", "\r\n", "\n\n", " \n ", "\t \t", "\u0085 \u0085",
  "0", "2023-01-15", "010-1234-5678", "123456789012", "١٢٣", "Ⅻ", "½", "²", "३४",
  "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'x", "''", "'", "it's", "we'll",
  "<|endoftext|>", "<|rrn|>", "<|tell|>", "<|tel|>", "<|acc|>", "<|sep|>", "<pad>", "<eos>", "<|rr", "<|endoftext|", "<<|acc|>>",
  "hello", "World", "é", "e\u0301", "ß", "İ", "ǅ", "ﬁ", "Ａ", "ｱ", "中文", "日本語", "עברית", "العربية", "ไทย",
  "...", "?!", "—", "«»", "$", "€", "@", "#", "&&", "http://example.com/a?b=c",
];
const longRuns = ["=".repeat(300), "한".repeat(120), "7".repeat(400), " ".repeat(280), "\n".repeat(90), "ab".repeat(200), "😀".repeat(80)];

/** `count` texts of 1-8 pieces each, glued or separated by spaces and newlines. */
export function edgeCases(count: number, seed = 1): string[] {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const byCategory = [...codePointsByCategory().values()].filter((l) => l.length > 0);
  const seps = ["", "", "", " ", "  ", "\n", "\t", " \n"];
  const texts: string[] = [];
  // Every category alone and glued to letters, numbers and spaces first, so none depends on luck.
  for (const list of byCategory) for (const ch of list) texts.push(ch, `a${ch}`, ` ${ch}${ch}1`, `한${ch} `);
  for (const run of longRuns) texts.push(run, ` ${run}x`, `x${run} `);
  while (texts.length < count) {
    const parts: string[] = [];
    const n = 1 + Math.floor(random() * 8);
    for (let i = 0; i < n; i++) {
      const r = random();
      parts.push(r < 0.55 ? pick(fragments) : r < 0.95 ? pick(pick(byCategory)) : pick(longRuns));
      parts.push(pick(seps));
    }
    texts.push(parts.join(""));
  }
  return texts;
}
