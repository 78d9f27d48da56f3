import { describe, expect, it } from "vitest";
import { scrubStage } from "../../src/pii/index.js";
import { StageStats } from "../../src/stats/stage-stats.js";
import type { Document } from "../../src/types.js";
import { collect } from "../helpers/tmp.js";

async function* docs(texts: string[]): AsyncGenerator<Document> {
  let i = 0;
  for (const text of texts) yield { id: `d${i}`, text, meta: { n: i++ }, source: { file: "in.jsonl", line: i } };
}

describe("scrubStage", () => {
  it("passes every document on, scrubbed, and counts matches per type", async () => {
    const stats = new StageStats("scrub");
    const out = await collect(
      scrubStage()(docs(["전화 010-1234-5678, 02-123-4567", "그냥 글", "국민은행 123456-78-901234", "주민번호 900101-1234568"]), stats),
    );
    expect(out.map((d) => d.text)).toEqual(["전화 <|tell|>, <|tell|>", "그냥 글", "국민은행 <|acc|>", "주민번호 <|rrn|>"]);
    expect(out.map((d) => d.meta)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }]);
    const json = stats.toJSON();
    expect(json.counters).toEqual({ "pii.rrn": 1, "pii.tell": 2, "pii.acc": 1, "pii.docs": 3 });
    expect(json.docs_in).toBe(4);
    expect(json.docs_out).toBe(4);
  });

  it("reports zero counters when nothing is found, and never the matched values", async () => {
    const stats = new StageStats("scrub");
    await collect(scrubStage()(docs(["없음", "문의 010-9876-5432"]), stats));
    const json = JSON.stringify(stats.toJSON());
    expect(json).not.toContain("9876");
    expect(stats.toJSON().counters["pii.rrn"]).toBe(0);
  });

  it("yields unchanged documents as they came", async () => {
    const doc: Document = { id: "x", text: "숫자 없는 글", meta: {} };
    async function* one() {
      yield doc;
    }
    const [out] = await collect(scrubStage()(one(), new StageStats("scrub")));
    expect(out).toBe(doc);
  });
});
