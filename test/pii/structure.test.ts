/**
 * Context carried by structure (issue 10): table headers, neighbouring cells, lines around a
 * number on its own line, JSON field names.
 */
import { describe, expect, it } from "vitest";
import { scrubText } from "../../src/pii/index.js";

const scrubbed = (text: string) => scrubText(text).text;
// A registration number whose check digit does not hold: only a cue makes a bare one an RRN.
const RRN = "9001011234560";

describe("tables", () => {
  it("reads a CSV column header as the cue for its bare numbers", () => {
    expect(scrubbed(`이름,주민등록번호\n김민준,${RRN}\n이서연,${RRN}`)).toBe("이름,주민등록번호\n김민준,<|rrn|>\n이서연,<|rrn|>");
    expect(scrubbed("이름\t계좌번호\n김민준\t1102345678901")).toBe("이름\t계좌번호\n김민준\t<|acc|>");
  });

  it("reads markdown and HTML table headers", () => {
    expect(scrubbed(`| 성명 | 주민등록번호 |\n|---|---|\n| 김민준 | ${RRN} |`)).toBe("| 성명 | 주민등록번호 |\n|---|---|\n| 김민준 | <|rrn|> |");
    expect(scrubbed(`<table><tr><th>이름</th><th>계좌번호</th></tr><tr><td>김민준</td><td>1102345678901</td></tr></table>`)).toBe(
      "<table><tr><th>이름</th><th>계좌번호</th></tr><tr><td>김민준</td><td><|acc|></td></tr></table>",
    );
  });

  it("takes a bank name from the neighbouring cell", () => {
    expect(scrubbed("<td>BNK경남은행</td><td>207-35-6462009</td>")).toBe("<td>BNK경남은행</td><td><|acc|></td>");
    expect(scrubbed("| 신한은행 | 110-123-456789 |")).toBe("| 신한은행 | <|acc|> |");
  });

  it("keeps numbers under headers that name something else", () => {
    for (const text of [`주문번호,상품\n${RRN},책`, "상호,사업자등록번호\n한빛상사,123-45-67890", "항목,금액\n장비,16600000"]) expect(scrubbed(text)).toBe(text);
  });

  it("reads a line split by commas as a sentence, not a table", () => {
    expect(scrubbed("국민은행, 123456-78-901234")).toBe("국민은행, 123456-78-901234");
  });
});

describe("a number on a line of its own", () => {
  it("is an account between payment instructions", () => {
    const text = "입금하실 곳은 아래와 같습니다.\n100-2345-678901\n(토스뱅크, 예금주 홍길동)";
    expect(scrubbed(text)).toBe("입금하실 곳은 아래와 같습니다.\n<|acc|>\n(토스뱅크, 예금주 홍길동)");
  });

  it("is not an account under a bank name alone, nor under 입금 alone", () => {
    expect(scrubbed("우리은행\n100212345678")).toBe("우리은행\n100212345678");
    expect(scrubbed("입금 확인 후 발송합니다.\n2024011512345\n배송 준비 중")).toBe("입금 확인 후 발송합니다.\n2024011512345\n배송 준비 중");
  });
});

describe("JSON fields", () => {
  it("reads the field name as the cue", () => {
    expect(scrubbed(`{"name": "김철수", "account": "3333123456789", "rrn": "${RRN}"}`)).toBe('{"name": "김철수", "account": "<|acc|>", "rrn": "<|rrn|>"}');
  });

  it("keeps prices, ISBNs and order ids", () => {
    const text = `{"price": 16600000, "isbn": "9788954612345", "order_id": "${RRN}"}`;
    expect(scrubbed(text)).toBe(text);
  });
});
