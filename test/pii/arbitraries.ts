/**
 * Texts for property tests: Korean words, cue words, numbers in every shape the recognizers
 * care about (and many they should not), separators, odd Unicode, and tokens already in place.
 */
import fc from "fast-check";

const words = [
  "문의", "전화", "연락처", "계좌", "계좌번호", "입금", "송금", "예금주", "통장", "주민", "주민등록번호", "외국인등록",
  "생년월일", "신분증", "국민", "국민은행", "우리", "우리은행", "하나", "하나은행", "신한", "농협", "KB", "카카오뱅크",
  "사업자", "법인등록번호", "바코드", "ISBN", "주문번호", "카드", "학번", "고객센터", "대표번호", "년", "월", "일", "원",
  "명", "로", "는", "입니다", "우리는", "국민 여러분", "가", "나", "다", "Tel", "안녕하세요", "서울", "부산",
];
const separators = [" ", "  ", "-", ".", ",", "/", "\n", "\r\n", "(", ")", ":", " - ", "+", "~", "*", "x", "X", "●"];
const oddCharacters = [
  "\u00a0", "\u3000", "－", "–", "—", "‐", "−", "―", "０", "１", "２", "９", "＊", "（", "）", "＋", "．", "²", "①", "⓪", "㎡", "…",
  "\u0301", "\u1100", "\u1161", "\u11a8", "ㄱ", "ㅏ", "\ud835\udfce", "\ud835\udfcf", "ﬁ", "℃", "Ⅳ", "<|rrn|>", "<|tell|>", "<|acc|>",
  // Invisible characters, keycap marks, spelt hyphens, number words, look-alike letters, table syntax.
  "\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\ufe0f", "\u20e3", "대시", "ㅡ", "하이픈", "공", "영", "일", "이", "삼", "사", "오", "륙", "팔", "구",
  "O", "o", "l", "I", "|", "\t", "<td>", "</td>", "<tr>", "<th>", "\n|---|---|\n", '"account": "', '"rrn": "', "원", "₩",
];
const digit = fc.constantFrom(..."0123456789");
const digitRun = (min: number, max: number) => fc.string({ unit: digit, minLength: min, maxLength: max });

/** Digit groups joined by one separator kind: phone, RRN, account, date, card shapes and others. */
const groupedNumber = fc
  .tuple(fc.array(digitRun(1, 8), { minLength: 1, maxLength: 5 }), fc.constantFrom("-", " ", ".", "", " - ", "–", "－", "\n"))
  .map(([groups, sep]) => groups.join(sep));

const prefix = fc.constantFrom("010", "011", "016", "02", "031", "051", "064", "070", "0505", "080", "1588", "1600", "+82 10", "+82-2", "(02)", "(031) ");
const phoneLike = fc
  .tuple(prefix, fc.constantFrom("-", ".", " ", ""), digitRun(3, 4), fc.constantFrom("-", ".", " ", ""), digitRun(4, 4))
  .map((p) => p.join(""));
const rrnLike = fc
  .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), fc.constantFrom("-", " ", "", " - ", "-\n"), digitRun(7, 7), fc.boolean())
  .map(([y, m, d, sep, rest, masked]) => {
    const first = `${String(y).padStart(2, "0")}${String(m).padStart(2, "0")}${String(d).padStart(2, "0")}`;
    return first + sep + (masked ? rest[0] + "******" : rest);
  });

const WORD_DIGITS = ["공", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구"];

/** A number in digits written another way: Sino-Korean words, look-alike letters, one digit at a time, keycaps. */
export const disguise = fc.constantFrom("words", "letters", "spaced", "keycaps");
export function disguised(s: string, how: "words" | "letters" | "spaced" | "keycaps"): string {
  switch (how) {
    case "words":
      return s.replace(/[0-9]/g, (d) => WORD_DIGITS[Number(d)]!);
    case "letters":
      // 0 as O and 1 as l, keeping one real digit in every group.
      return s.replace(/[0-9]+/g, (g) => {
        const out = g.replace(/0/g, "O").replace(/1/g, "l");
        return /[0-9]/.test(out) ? out : g[0] + out.slice(1);
      });
    case "spaced":
      return s.split("-").map((g) => [...g].join(" ")).join(" - ");
    case "keycaps":
      return s.replace(/[0-9]/g, (d) => `${d}\ufe0f\u20e3`);
  }
}

const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...words) },
  { weight: 3, arbitrary: fc.constantFrom(...separators) },
  { weight: 1, arbitrary: fc.constantFrom(...oddCharacters) },
  { weight: 2, arbitrary: groupedNumber },
  { weight: 2, arbitrary: phoneLike },
  { weight: 2, arbitrary: rrnLike },
  { weight: 1, arbitrary: digitRun(1, 16) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 4 }) },
  { weight: 2, arbitrary: fc.tuple(fc.oneof(phoneLike, rrnLike, groupedNumber), disguise).map(([n, how]) => disguised(n, how)) },
);

/** A text of up to 24 pieces. */
export const piiText = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(""));

/** Text with no character that NFKC turns into a digit, and no Sino-Korean number word. */
export const digitFreeText = fc
  .array(fc.oneof(fc.constantFrom(...words, ...separators, "…", "℃", "ﬁ", "\u00a0", "－"), fc.string({ unit: "grapheme", maxLength: 6 })), { maxLength: 20 })
  .map((parts) => parts.join("").replace(/[0-9０-９공영일이삼사오육륙칠팔구]/g, ""))
  .filter((s) => !/[0-9]/.test(s.normalize("NFKC")));

/** Longer texts (up to 120 pieces), so that rescans around tokens see windows inside the text. */
export const longPiiText = fc.array(piece, { minLength: 40, maxLength: 120 }).map((parts) => parts.join(""));
