/**
 * Numbers written to get past filters (issue 10): each form is found whole, and the same words,
 * letters and spacing in ordinary text are left alone.
 */
import { describe, expect, it } from "vitest";
import { scrubText } from "../../src/pii/index.js";

const scrubbed = (text: string) => scrubText(text).text;

describe("numbers in Sino-Korean words", () => {
  it("replaces a phone number written all in words, with 공 or 영 for 0", () => {
    expect(scrubbed("연락처 공일공-구팔사오-공오칠사 입니다")).toBe("연락처 <|tell|> 입니다");
    expect(scrubbed("영일영-구이팔구-칠칠사사로 연락")).toBe("<|tell|>로 연락");
  });

  it("replaces a number with only some groups in words", () => {
    expect(scrubbed("공일공-9845-공오칠사")).toBe("<|tell|>");
    expect(scrubbed("010-1234-567팔")).toBe("<|tell|>");
  });

  it("reads 육 and 륙 both as 6", () => {
    expect(scrubbed("공일공 륙육륙육 일이삼사")).toBe("<|tell|>");
  });

  it("leaves number words in prose unchanged", () => {
    for (const text of ["일이 삼일 만에 끝났다", "엔진 오일 교환은 이사 전에", "삼삼오오 모여", "일이삼사오육칠팔구십 세어 보자", "사이사이 일이 생겼다"]) {
      expect(scrubbed(text)).toBe(text);
    }
  });

  it("reads 이 and 일 glued to digits as the particle and the day, not as digits", () => {
    expect(scrubbed("010-123-4567이 맞나요")).toBe("<|tell|>이 맞나요");
    expect(scrubbed("2024-01-15일")).toBe("2024-01-15일");
  });
});

describe("look-alike letters", () => {
  it("reads O/o as 0 and I/l as 1 inside digit groups", () => {
    expect(scrubbed("o1o.9172.836o")).toBe("<|tell|>");
    expect(scrubbed("신한 11O-118-143183")).toBe("신한 <|acc|>");
    expect(scrubbed("주민번호 O3O7O2-457152O")).toBe("주민번호 <|rrn|>");
  });

  it("reads a group of letters only when the rest of the number is digits", () => {
    expect(scrubbed("OIO-1234-5678")).toBe("<|tell|>");
  });

  it("leaves letters inside Latin words unchanged", () => {
    for (const text of ["H2O와 CO2", "CASIO 1234567890", "PO 10123456789", "lol 1234 5678"]) expect(scrubbed(text)).toBe(text);
  });
});

describe("digits one at a time", () => {
  it("replaces a phone number with a space between every digit", () => {
    expect(scrubbed("번호 0 1 0 2 5 9 4 6 5 4 4 입니다")).toBe("번호 <|tell|> 입니다");
    expect(scrubbed("0 1 0 - 2 2 6 6 - 4 5 2 5")).toBe("<|tell|>");
    expect(scrubbed("0.1.0.2.5.9.4.6.5.4.4")).toBe("<|tell|>");
  });

  it("leaves score lists and maths unchanged", () => {
    for (const text of ["점수 9 8 7 9 8 9 7 8 9 9 8", "1 2 3 4 5 6 7 8 9 10", "3 + 4 = 7", "1.2.3.4.5.6.7.8"]) expect(scrubbed(text)).toBe(text);
  });
});

describe("keycaps, invisible characters and spelt hyphens", () => {
  it("replaces keycap emoji digits whole", () => {
    expect(scrubbed("0️⃣1️⃣0️⃣-1️⃣2️⃣3️⃣4️⃣-5️⃣6️⃣7️⃣8️⃣로")).toBe("<|tell|>로");
  });

  it("replaces a number with invisible characters inside, and leaves those beside it", () => {
    for (const ch of ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]) {
      expect(scrubbed(`문의${ch}010${ch}1234${ch}5678${ch}입니다`)).toBe(`문의${ch}<|tell|>${ch}입니다`);
    }
  });

  it("reads 대시, 다시, 하이픈 and ㅡ between groups as a hyphen", () => {
    for (const sep of ["대시", "다시", "하이픈", "ㅡ", " ㅡ "]) expect(scrubbed(`010${sep}9825${sep}1961`)).toBe("<|tell|>");
  });

  it("leaves dash words in prose unchanged", () => {
    for (const text of ["2023 다시 보기", "대시보드 2024 버전 10", "1️⃣ 첫째 2️⃣ 둘째"]) expect(scrubbed(text)).toBe(text);
  });
});

describe("layouts", () => {
  it("reads 82 and 0082 without the plus as the country code", () => {
    for (const v of ["82-10-1234-5678", "0082-10-1234-5678", "82 10 1234 5678", "(82) 10-1234-5678"]) expect(scrubbed(`해외 ${v}`)).toBe("해외 <|tell|>");
    for (const text of ["1982-10-12 출생", "82-10 승리", "82-10-1234"]) expect(scrubbed(text)).toBe(text);
  });

  it("replaces 010 numbers with a three-digit middle and mis-grouped eleven digits", () => {
    for (const v of ["010-123-4567", "010-629-05769", "0106-290-5769"]) expect(scrubbed(v)).toBe("<|tell|>");
    for (const text of ["010-12-3456", "010-1234-567", "010-1234-56789"]) expect(scrubbed(text)).toBe(text);
  });

  it("replaces numbers broken by a line break whole, and never part of one", () => {
    expect(scrubbed("신한 110-842-\n937409")).toBe("신한 <|acc|>");
    expect(scrubbed("연락처 010-1234-\n5678 로")).toBe("연락처 <|tell|> 로");
    expect(scrubbed("010-1234-5678-\n72")).toBe("010-1234-5678-\n72");
  });

  it("takes a dot or tilde between the halves of a registration number, not an underscore", () => {
    for (const v of ["550129.2098984", "160801~4645366"]) expect(scrubbed(v)).toBe("<|rrn|>");
    for (const text of ["2023.01.15", "200101~200131 기간", "131301.1234567", "IMG_240115_1234567.jpg"]) expect(scrubbed(text)).toBe(text);
  });
});

describe("amounts", () => {
  it("keeps amounts that take a phone number's shape", () => {
    for (const text of ["16600000원", "15880000원", "총 16441234 원", "₩16001234", "보증금 15441234", "입금 1234567890원 확인"]) expect(scrubbed(text)).toBe(text);
  });

  it("still replaces a phone number followed by a word starting with 원", () => {
    expect(scrubbed("010-1234-5678 원장님")).toBe("<|tell|> 원장님");
  });
});
