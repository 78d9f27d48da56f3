import { describe, expect, it } from "vitest";
import { scrubText } from "../../src/pii/index.js";

const scrub = (text: string) => scrubText(text).text;

describe("bank account numbers", () => {
  it("replaces 10-14 digits in 2-5 groups next to a bank name", () => {
    expect(scrub("국민은행 123456-78-901234")).toBe("국민은행 <|acc|>");
    expect(scrub("신한 110-123-456789로 입금")).toBe("신한 <|acc|>로 입금");
    expect(scrub("농협 352-1234-5678-93")).toBe("농협 <|acc|>");
  });
  it("replaces an unbroken account number with context", () => {
    expect(scrub("카카오뱅크 3333012345678")).toBe("카카오뱅크 <|acc|>");
  });
  it("takes a bank name after the number too", () => {
    expect(scrub("123-456789-01234 (하나은행)")).toBe("<|acc|> (하나은행)");
  });
  it("accepts 계좌, 입금, 송금, 이체, 예금주 and 통장 before the number", () => {
    for (const cue of ["계좌", "입금", "송금", "이체", "예금주", "통장"]) expect(scrub(`${cue} 234-567-890123`)).toBe(`${cue} <|acc|>`);
  });
  it("needs context: the shape alone is not an account", () => {
    expect(scrub("110-123-456789")).toBe("110-123-456789");
  });
  it("never reads context across a comma, slash, line break or another number", () => {
    expect(scrub("입금 계좌: 12345678901234 (하나은행), 문의 010-2222-3333")).toBe("입금 계좌: <|acc|> (하나은행), 문의 <|tell|>");
    expect(scrub("국민은행, 123456-78-901234")).toBe("국민은행, 123456-78-901234");
    expect(scrub("신한은행/110123456789")).toBe("신한은행/110123456789");
    expect(scrub("우리은행\n100212345678")).toBe("우리은행\n100212345678");
    expect(scrub("국민은행 2023년 1234567890")).toBe("국민은행 2023년 1234567890");
  });
  it("reads a phone-shaped number right after 계좌 or 계좌번호 as an account", () => {
    expect(scrub("계좌 010-1234-5678")).toBe("계좌 <|acc|>");
    expect(scrub("계좌번호: 010-1234-5678")).toBe("계좌번호: <|acc|>");
    expect(scrub("하나은행 010-1234-5678")).toBe("하나은행 <|tell|>");
  });
  it("counts bare 국민/우리/하나 only when followed by 은행 or touching the digits", () => {
    expect(scrub("우리는 1002-123-456789를 기억한다")).toBe("우리는 1002-123-456789를 기억한다");
    expect(scrub("국민 여러분, 110-123-456789")).toBe("국민 여러분, 110-123-456789");
    expect(scrub("우리 1002-123-456789")).toBe("우리 <|acc|>");
    expect(scrub("하나은행 123-456789-01234")).toBe("하나은행 <|acc|>");
  });
  it("keeps numbers of other lengths", () => {
    expect(scrub("계좌 123456789")).toBe("계좌 123456789");
    expect(scrub("계좌 1234567890123456")).toBe("계좌 1234567890123456");
  });
  it("keeps business registration numbers (3-2-5) unless an account word names them", () => {
    expect(scrub("신한 123-45-67890")).toBe("신한 123-45-67890");
    expect(scrub("사업자등록번호 123-45-67890")).toBe("사업자등록번호 123-45-67890");
    expect(scrub("입금 계좌 234-56-78901")).toBe("입금 계좌 <|acc|>");
  });
  it("lets the nearer cue decide between an account word and an identifier", () => {
    expect(scrub("신한 고객번호 2345678901")).toBe("신한 고객번호 2345678901");
    expect(scrub("카드 대금 출금 계좌 234-567-890123")).toBe("카드 대금 출금 계좌 <|acc|>");
  });
});
