import { describe, expect, it } from "vitest";
import { scrubText } from "../../src/pii/index.js";

const scrub = (text: string) => scrubText(text).text;

describe("phone numbers", () => {
  it("replaces mobile 010 numbers written 3-4-4 with -, ., space or nothing", () => {
    for (const n of ["010-1234-5678", "010.1234.5678", "010 1234 5678", "01012345678"]) expect(scrub(`문의 ${n}`)).toBe("문의 <|tell|>");
  });
  it("replaces legacy mobile numbers 011/016/017/018/019 written 3-3-4 or 3-4-4", () => {
    for (const p of ["011", "016", "017", "018", "019"]) {
      expect(scrub(`${p}-234-5678`)).toBe("<|tell|>");
      expect(scrub(`${p}-2345-6789`)).toBe("<|tell|>");
    }
  });
  it("replaces Seoul numbers 02 written 2-3-4 or 2-4-4", () => {
    expect(scrub("02-123-4567")).toBe("<|tell|>");
    expect(scrub("02-1234-5678")).toBe("<|tell|>");
  });
  it("replaces every area code 031-033, 041-044, 051-055, 061-064", () => {
    for (const a of ["031", "032", "033", "041", "042", "043", "044", "051", "052", "053", "054", "055", "061", "062", "063", "064"]) {
      expect(scrub(`${a}-123-4567`)).toBe("<|tell|>");
      expect(scrub(`${a}-1234-5678`)).toBe("<|tell|>");
    }
  });
  it("keeps 0XX codes that are not area codes", () => {
    for (const n of ["020-1234-5678", "034-123-4567", "056-123-4567", "065-1234-5678", "012-345-6789", "090-1234-5678"]) expect(scrub(n)).toBe(n);
  });
  it("replaces 070, 050X safe numbers and 080 toll-free numbers", () => {
    expect(scrub("070-1234-5678")).toBe("<|tell|>");
    expect(scrub("0505-123-4567")).toBe("<|tell|>");
    expect(scrub("0507-1234-5678")).toBe("<|tell|>");
    expect(scrub("080-123-4567")).toBe("<|tell|>");
  });
  it("replaces whitelisted 8-digit representative numbers and keeps other 4-4 pairs", () => {
    expect(scrub("고객센터 1588-1234")).toBe("고객센터 <|tell|>");
    expect(scrub("1644 0123")).toBe("<|tell|>");
    expect(scrub("15990123")).toBe("<|tell|>");
    expect(scrub("1234-5678")).toBe("1234-5678");
    expect(scrub("임진왜란(1592-1598)")).toBe("임진왜란(1592-1598)");
  });
  it("reads a whitelisted pair that rises like a year range as years, unless a phone cue precedes", () => {
    expect(scrub("1600-1700년 사이")).toBe("1600-1700년 사이");
    expect(scrub("대표번호 1600-1650")).toBe("대표번호 <|tell|>");
  });
  it("replaces +82 forms that drop the leading 0", () => {
    for (const n of ["+82-10-1234-5678", "+82 2 123 4567", "+82 (0)10 1234 5678", "+821012345678", "+82-31-123-4567", "(+82) 10-1234-5678"]) {
      expect(scrub(`call ${n}`)).toBe("call <|tell|>");
    }
  });
  it("replaces an area code in parentheses whole, but keeps parentheses around the whole number", () => {
    expect(scrub("(02)123-4567")).toBe("<|tell|>");
    expect(scrub("(031) 123-4567")).toBe("<|tell|>");
    expect(scrub("고객센터(053-123-4567)로")).toBe("고객센터(<|tell|>)로");
  });
  it("uses digit boundaries, so Hangul may touch the number", () => {
    expect(scrub("010-1234-5678로 연락")).toBe("<|tell|>로 연락");
    expect(scrub("전화010-1234-5678")).toBe("전화<|tell|>");
  });
  it("does not take part of a longer number", () => {
    for (const n of ["010-1234-56789", "1010-1234-5678", "010-1234-5678-9", "02.123.4567.8", "9.010.1234.5678", "0101234567890123"]) expect(scrub(n)).toBe(n);
  });
  it("does not take a spaced group out of a spaced card number", () => {
    expect(scrub("9410 0504 2345 6789")).toBe("9410 0504 2345 6789");
  });
  it("keeps short service numbers", () => {
    expect(scrub("112, 119, 1330, 114")).toBe("112, 119, 1330, 114");
  });
  it("keeps unseparated phone-shaped identifiers after 주문번호, 송장, 모델 and the like", () => {
    expect(scrub("주문번호 0212345678")).toBe("주문번호 0212345678");
    expect(scrub("송장번호 01012345678")).toBe("송장번호 01012345678");
  });
});
