/**
 * The quality filter as a stage: what it counts, how a config names it, and what `korpipe clean`
 * shows about it (--preset, rule flags, --explain).
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, exampleConfig, parsePipelineConfig } from "../../src/run/plan/config.js";
import { renderReportHtml } from "../../src/run/report/index.js";
import { qualityFilterStage } from "../../src/stages/quality-filter.js";
import { buildRunStats } from "../../src/stats/run-stats.js";
import { filterMapStage } from "../../src/stages/stage.js";
import { StageStats } from "../../src/stats/stage-stats.js";
import type { Document } from "../../src/types.js";
import { korpipe } from "../helpers/cli.js";
import { collect, tmpDir } from "../helpers/tmp.js";

const ARTICLE = [
  "구립 도서관은 다음 달부터 평일 운영 시간을 밤 열 시까지 늘리기로 했다.",
  "퇴근 뒤에 책을 빌리려는 직장인들의 요청이 꾸준히 이어졌기 때문이다.",
  "도서관은 야간 근무 인력을 새로 뽑고 열람실 조명도 교체할 계획이다.",
].join(" ");
const TAIL = "무단전재 및 재배포 금지";
const SPAM = ["안전놀이터 추천 메이저사이트 먹튀검증 완료 토토사이트 가입코드 입력시 첫충 혜택", "바카라 카지노사이트 슬롯사이트 꽁머니 지급 이벤트 진행 중", "먹튀검증 끝난 안전놀이터만 모았습니다 가입코드 문의 환영"].join("\n");
const PRICES = ["아메리카노 4,500원", "카페라떼 5,000원", "바닐라라떼 5,500원", "녹차라떼 5,500원", "자몽에이드 6,000원"].join("\n");

async function* docsOf(texts: [string, string][]): AsyncGenerator<Document> {
  for (const [id, text] of texts) yield { id, text, meta: {}, source: { file: "in.jsonl", line: 1 } };
}

describe("the filter stage", () => {
  it("passes documents line-cleaned, drops by reason, counts lines cut and keeps three example ids per reason", async () => {
    const stats = new StageStats("filter");
    const input: [string, string][] = [
      ["kept", `${ARTICLE}\n${TAIL}`],
      ...Array.from({ length: 4 }, (_, i): [string, string] => [`spam-${i}`, SPAM]),
      ["prices", PRICES],
    ];
    const out = await collect(qualityFilterStage()(docsOf(input), stats));
    expect(out.map((d) => [d.id, d.text])).toEqual([["kept", ARTICLE]]);
    const j = stats.toJSON();
    expect(j.filtered).toEqual({ spam_words: 4, price_list: 1 });
    expect(j.counters).toEqual({ "lines_cut.news_tail": 1 });
    expect(j.examples).toEqual({ spam_words: ["spam-0", "spam-1", "spam-2"], price_list: ["prices"] });
  });

  it("passes a document it does not change as the same object", async () => {
    const doc: Document = { id: "a", text: ARTICLE, meta: { site: "x" } };
    async function* one() {
      yield doc;
    }
    const [out] = await collect(qualityFilterStage()(one(), new StageStats("filter")));
    expect(out).toBe(doc);
  });
});

describe("filterMapStage, the contract helper the filter stage is built on", () => {
  it("drops a document when the function returns a reason and passes the document it returns, counting both", async () => {
    const stats = new StageStats("trim");
    const stage = filterMapStage("trim", (d) => (d.text.length < 3 ? "tiny" : { ...d, text: d.text.trim() }));
    const out = await collect(stage(docsOf([["a", " 긴 문장입니다 "], ["b", "짧"]]), stats));
    expect(out.map((d) => [d.id, d.text])).toEqual([["a", "긴 문장입니다"]]);
    expect(stage.stageName).toBe("trim");
    const j = stats.toJSON();
    expect([j.docs_in, j.docs_out, j.filtered]).toEqual([2, 1, { tiny: 1 }]);
  });
});

describe("the filter stage in a pipeline config", () => {
  const config = (filter: Record<string, unknown>) => ({ inputs: ["in/"], output: "out", stages: [{ stage: "normalize" }, { stage: "filter", ...filter }] });

  it("defaults to preset korean-web and accepts any rule key beside a preset", () => {
    expect(parsePipelineConfig(config({})).stages[1]).toEqual({ stage: "filter", preset: "korean-web" });
    expect(parsePipelineConfig(config({ preset: "basic", maxPriceLineShare: 0.5 })).stages[1]).toEqual({ stage: "filter", preset: "basic", maxPriceLineShare: 0.5 });
    expect(exampleConfig().stages.find((s) => s.stage === "filter")).toMatchObject({ preset: "korean-web" });
  });

  it("refuses an unknown preset, an unknown key and a share above 1, naming the key", () => {
    expect(() => parsePipelineConfig(config({ preset: "strict" }))).toThrow(/stages\[1\]\.preset/);
    expect(() => parsePipelineConfig(config({ maxSpamRate: 1 }))).toThrow(/stages\[1\].*unknown key\(s\) "maxSpamRate"/);
    expect(() => parsePipelineConfig(config({ maxHeadlineLineShare: 2 }))).toThrow(ConfigError);
    expect(() => parsePipelineConfig(config({ maxHeadlineLineShare: 2 }))).toThrow(/stages\[1\]\.maxHeadlineLineShare/);
  });
});

describe("korpipe clean", () => {
  function input(dir: string): string {
    const file = path.join(dir, "in.jsonl");
    const records = [
      { id: "article", text: `${ARTICLE}\n${TAIL}` },
      { id: "spam-010-1234-5678", text: SPAM },
      { id: "prices", text: PRICES },
    ];
    writeFileSync(file, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    return file;
  }

  it("--explain prints each reason with its count and example ids, scrubbed, and never document text", () => {
    const dir = tmpDir();
    const r = korpipe(["clean", input(dir), "-o", path.join(dir, "out"), "--explain", "--no-progress"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/spam_words\s+1\s+33\.3%\s+e\.g\. spam-<\|tell\|>/);
    expect(r.stdout).toMatch(/price_list\s+1\s+33\.3%\s+e\.g\. prices/);
    expect(r.stdout).toContain("lines_cut.news_tail 1 lines");
    expect(r.stdout + r.stderr).not.toContain("안전놀이터");
    expect(r.stdout + r.stderr).not.toContain("아메리카노");
    const kept = readFileSync(path.join(dir, "out", "in.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(kept).toEqual([{ id: "article", text: ARTICLE }]);
  });

  it("--preset basic keeps spam and price lists; a rule flag brings one rule back", () => {
    const dir = tmpDir();
    const file = input(dir);
    expect(korpipe(["clean", file, "-o", path.join(dir, "basic"), "--preset", "basic", "--no-progress"]).status).toBe(0);
    expect(readFileSync(path.join(dir, "basic", "in.jsonl"), "utf8").trim().split("\n")).toHaveLength(3);
    expect(korpipe(["clean", file, "-o", path.join(dir, "prices"), "--preset", "basic", "--max-price-line-share", "0.5", "--no-progress"]).status).toBe(0);
    const ids = readFileSync(path.join(dir, "prices", "in.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l).id);
    expect(ids).toEqual(["article", "spam-010-1234-5678"]);
  });

  it("refuses a share out of range and an unknown preset before any work", () => {
    const dir = tmpDir();
    const file = input(dir);
    const bad = korpipe(["clean", file, "-o", path.join(dir, "x"), "--max-headline-line-share", "1.5"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("--max-headline-line-share takes a number from 0 to 1");
    const preset = korpipe(["clean", file, "-o", path.join(dir, "y"), "--preset", "strict"]);
    expect(preset.status).toBe(1);
    expect(preset.stderr).toContain("--preset takes one of korean-web, basic");
  });
});

describe("the run report", () => {
  it("shows the example ids of each filter reason beside its count, scrubbed", async () => {
    const stats = new StageStats("filter");
    const input: [string, string][] = [["prices-010-1234-5678", PRICES], ["kept", ARTICLE]];
    await collect(qualityFilterStage()(docsOf(input), stats));
    const run = buildRunStats({ command: "run", startedAt: new Date("2026-12-07T12:00:00Z"), inputs: ["in.jsonl"], stages: [stats.toJSON()], unreadable: [] });
    const html = renderReportHtml(run);
    expect(html).toContain("e.g. prices-&lt;|tell|&gt;");
    expect(html).not.toContain("010-1234-5678");
    expect(html).not.toContain("아메리카노");
  });
});
