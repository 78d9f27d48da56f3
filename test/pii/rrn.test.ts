import { describe, expect, it } from "vitest";
import { rrnBirthDateValid, rrnChecksumValid, scrubText } from "../../src/pii/index.js";

const scrub = (text: string) => scrubText(text, { today: new Date(2025, 5, 1) }).text;

describe("rrnChecksumValid", () => {
  it("accepts a number whose 13th digit is (11 - weighted sum mod 11) mod 10", () => {
    // 9 0 0 1 0 1 1 2 3 4 5 6 · weights 2..9,2..5 → sum 124, 124 mod 11 = 3 → (11 - 3) mod 10 = 8
    expect(rrnChecksumValid("9001011234568")).toBe(true);
    expect(rrnChecksumValid("9001011234561")).toBe(false);
  });
  it("rejects anything but 13 digits", () => {
    expect(rrnChecksumValid("900101-1234561")).toBe(false);
    expect(rrnChecksumValid("900101123456")).toBe(false);
  });
});

describe("rrnBirthDateValid", () => {
  const today = 20250601;
  it("reads S 1/2/5/6 as 1900s, 3/4/7/8 as 2000s and 9/0 as 1800s", () => {
    expect(rrnBirthDateValid("000229", "3", today)).toBe(true); // 2000 is a leap year
    expect(rrnBirthDateValid("000229", "1", today)).toBe(false); // 1900 is not
    expect(rrnBirthDateValid("960229", "2", today)).toBe(true);
    expect(rrnBirthDateValid("990101", "9", today)).toBe(true); // 1899
  });
  it("refuses birth dates in the future", () => {
    expect(rrnBirthDateValid("250601", "3", today)).toBe(true);
    expect(rrnBirthDateValid("250602", "4", today)).toBe(false);
    expect(rrnBirthDateValid("900101", "3", today)).toBe(false); // 2090
  });
  it("accepts a masked S in either century", () => {
    expect(rrnBirthDateValid("000229", "*", today)).toBe(true);
  });
});

describe("registration numbers", () => {
  it("replaces YYMMDD-SNNNNNN whatever the check digit (not guaranteed since October 2020)", () => {
    expect(scrub("주민등록번호 900101-1234568")).toBe("주민등록번호 <|rrn|>");
    expect(scrub("주민등록번호 900101-1234561")).toBe("주민등록번호 <|rrn|>");
  });
  it("accepts a space or a spaced hyphen between the halves", () => {
    expect(scrub("900101 2345678 확인")).toBe("<|rrn|> 확인");
    expect(scrub("900101 - 2345678")).toBe("<|rrn|>");
  });
  it("replaces foreigners' registration numbers, which share the layout (S 5-8)", () => {
    expect(scrub("외국인등록번호 850505-5123456")).toBe("외국인등록번호 <|rrn|>");
    expect(scrub("100505-7123456")).toBe("<|rrn|>");
  });
  it("replaces thirteen bare digits only with a valid check digit or a cue just before", () => {
    expect(scrub("9001011234568")).toBe("<|rrn|>");
    expect(scrub("9001011234561")).toBe("9001011234561");
    for (const cue of ["주민", "주민등록", "주민번호", "외국인등록", "생년월일", "신분증"]) {
      expect(scrub(`${cue} 9001011234561`)).toBe(`${cue} <|rrn|>`);
    }
  });
  it("replaces masked numbers", () => {
    for (const masked of ["900101-1******", "900101-*******", "900101-1xxxxxx", "900101-2XXXXXX", "900101-1●●●●●●"]) {
      expect(scrub(`번호 ${masked} 확인`)).toBe("번호 <|rrn|> 확인");
    }
  });
  it("accepts S = 9 or 0 (born in the 1800s) only after a cue", () => {
    expect(scrub("900101-9234567")).toBe("900101-9234567");
    expect(scrub("주민번호 900101-9234567")).toBe("주민번호 <|rrn|>");
    expect(scrub("생년월일 850505-0123456")).toBe("생년월일 <|rrn|>");
  });
  it("keeps numbers that cannot be a birth date", () => {
    for (const n of ["901301-1234567", "900230-1234567", "010229-3234567", "900431-2345678", "900101-3234567"]) expect(scrub(n)).toBe(n);
  });
  it("keeps the layout after 법인등록번호, 사업자, 바코드, ISBN and 주문번호", () => {
    for (const cue of ["법인등록번호", "사업자", "바코드", "ISBN", "주문번호"]) expect(scrub(`${cue} 900101-1234567`)).toBe(`${cue} 900101-1234567`);
  });
  it("keeps a Korean EAN-13 barcode even when its digits pass the RRN check", () => {
    expect(rrnChecksumValid("8801011000186")).toBe(true); // and its EAN-13 check digit holds
    expect(scrub("8801011000186 제품")).toBe("8801011000186 제품");
    expect(scrub("주민번호 8801011000186")).toBe("주민번호 <|rrn|>");
  });
  it("finds the number across a line break", () => {
    expect(scrub("900101-\n1234567")).toBe("<|rrn|>");
    expect(scrub("900101\n-1234567")).toBe("<|rrn|>");
  });
  it("reports whether the check digit holds, and nothing for masked numbers", () => {
    const r = scrubText("900101-1234568 900101-1234561 900101-1******", { today: new Date(2025, 5, 1) });
    expect(r.found.map((m) => m.checksum)).toEqual([true, false, undefined]);
  });
});
