import { describe, expect, it } from "vitest";
import { escapeHtml, html, raw, renderReportHtml } from "../../src/run/report/index.js";
import { countTicks } from "../../src/run/report/charts.js";
import { buildRunStats, type RunStatsJSON } from "../../src/stats/run-stats.js";
import { StageStats, type StageStatsJSON } from "../../src/stats/stage-stats.js";
import type { Document } from "../../src/types.js";

function stageJSON(name: string, over: Partial<StageStatsJSON> = {}): StageStatsJSON {
  return { name, docs_in: 10, docs_out: 10, filtered: {}, duplicates: 0, rejected: 0, bytes_in: 1000, bytes_out: 1000, elapsed_s: 1, counters: {}, histograms: {}, files: {}, ...over };
}

function runJSON(stages: StageStatsJSON[], sections: Record<string, unknown> = {}, over: Partial<RunStatsJSON> = {}): RunStatsJSON {
  // elapsed_s is pinned: measured from a fixed start to now, its digits would change with the clock.
  return { ...buildRunStats({ command: "run", startedAt: new Date("2024-05-02T09:14:03Z"), inputs: ["in/"], stages, unreadable: [], sections }), elapsed_s: 12.5, ...over };
}

/** A literal string inside a RegExp. */
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const unescape = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");

/** The label → value rows of one stage's fact table, as the reader sees them. */
function facts(page: string, stage: string): Map<string, string> {
  const table = new RegExp(`<table class="facts" data-facts="${literal(escapeHtml(stage))}">(.*?)</table>`).exec(page);
  expect(table, `no fact table for ${stage}`).not.toBeNull();
  const rows = [...table![1]!.matchAll(/<tr><th scope="row">(.*?)<\/th><td(?: title="[^"]*")?>(.*?)<\/td><\/tr>/g)];
  return new Map(rows.map((m) => [unescape(m[1]!), unescape(m[2]!)]));
}

/** The hover text of one fact, which carries what the value does not say. */
function factHover(page: string, stage: string, label: string): string | undefined {
  const table = new RegExp(`data-facts="${literal(escapeHtml(stage))}">(.*?)</table>`).exec(page)![1]!;
  const m = new RegExp(`<th scope="row">${literal(escapeHtml(label))}</th><td title="([^"]*)">`).exec(table);
  return m ? unescape(m[1]!) : undefined;
}

function kpi(page: string, label: string): { value: string; sub: string } {
  const m = new RegExp(`<div class="kpi-label">${label}</div><div class="kpi-value">(.*?)</div><div class="kpi-sub">(.*?)</div>`).exec(page);
  expect(m, `no ${label} tile`).not.toBeNull();
  return { value: unescape(m![1]!), sub: unescape(m![2]!) };
}

/** The y-axis labels of one histogram. */
function yTicks(page: string, chart: string): string[] {
  const svg = new RegExp(`<svg class="chart" data-chart="${chart}".*?</svg>`).exec(page)![0];
  return [...svg.matchAll(/<text class="tick" [^>]*text-anchor="end">(.*?)<\/text>/g)].map((m) => m[1]!);
}

const exactly = (n: number) => n.toLocaleString("en-US");

describe("PII totals in the report", () => {
  const perType = { rrn: 10, tell: 19, acc: 22 };
  const docsWithPii = 40;
  const scrub = stageJSON("scrub", {
    docs_in: 386,
    docs_out: 386,
    counters: { "pii.rrn": perType.rrn, "pii.tell": perType.tell, "pii.acc": perType.acc, "pii.docs": docsWithPii },
  });
  const page = renderReportHtml(runJSON([stageJSON("read", { docs_in: 386, docs_out: 386 }), scrub]));
  const replaced = perType.rrn + perType.tell + perType.acc;

  it("counts replacements as the sum of the types, never adding documents with PII to them", () => {
    expect(kpi(page, "PII replaced").value).toBe(exactly(replaced));
    expect(page).toContain(`${exactly(replaced)} PII replaced</tspan>`);
    expect(page).not.toContain(`${exactly(replaced + docsWithPii)}`);
    expect(facts(page, "scrub").get("replacements in total")).toBe(exactly(replaced));
  });

  it("shows each type and, apart, the documents with PII", () => {
    const f = facts(page, "scrub");
    expect(f.get("phone number (tell)")).toBe(exactly(perType.tell));
    expect(f.get("resident reg. no. (rrn)")).toBe(exactly(perType.rrn));
    expect(f.get("bank account (acc)")).toBe(exactly(perType.acc));
    expect(f.get("documents with PII")).toMatch(new RegExp(`^${docsWithPii} of 386 \\(`));
    expect(kpi(page, "PII replaced").sub).toContain(`in ${docsWithPii} documents`);
    // The bars are types only, largest first.
    const names: Record<string, string> = { rrn: "resident reg. no. (rrn)", tell: "phone number (tell)", acc: "bank account (acc)" };
    const largestFirst = Object.entries(perType).sort((a, b) => b[1] - a[1]).map(([type]) => names[type]);
    expect([...page.matchAll(/class="bar s-pii" data-label="([^"]*)"/g)].map((m) => m[1])).toEqual(largestFirst);
  });
});

describe("PII totals from statistics without a documents counter", () => {
  it("says documents with PII were not recorded rather than showing 0", () => {
    const page = renderReportHtml(runJSON([stageJSON("read"), stageJSON("scrub", { counters: { "pii.rrn": 2, "pii.tell": 1 } })]));
    expect(facts(page, "scrub").get("documents with PII")).toBe("not recorded");
    expect(kpi(page, "PII replaced")).toEqual({ value: "3", sub: "rrn 2 · tell 1" });
  });
});

describe("count axes", () => {
  it("labels a chart of one duplicate cluster 0 and 1, not 0, 0, 0, 1, 1, 1", () => {
    const page = renderReportHtml(runJSON([stageJSON("read"), stageJSON("dedup", { docs_out: 9, duplicates: 1, histograms: { cluster_size: { "2": 1 } } })]));
    expect(yTicks(page, "clusters")).toEqual(["0", "1"]);
  });

  it("gives every count axis distinct whole-number ticks up to at least the largest count", () => {
    for (let max = 1; max <= 2000; max += max < 30 ? 1 : 37) {
      const ticks = countTicks(max);
      for (const t of ticks) expect(Number.isInteger(t), `max ${max}: tick ${t}`).toBe(true);
      for (let i = 1; i < ticks.length; i++) expect(ticks[i]!).toBeGreaterThan(ticks[i - 1]!);
      expect(ticks[ticks.length - 1]!).toBeGreaterThanOrEqual(max);
      expect(ticks.length).toBeLessThanOrEqual(max < 5 ? max + 1 : 7);
    }
  });
});

describe("facts an ML engineer needs", () => {
  const lengths = { datasets: 1, documents: 381, tokens: 26_473, min: 28, mean: 69.5, p50: 67, p90: 100, p99: 128, max: 9000, longer_than: { "2048": 3, "4096": 2, "8192": 1 } };
  const sections = {
    tokenize: { dtype: "uint16", vocab_size: 2000, eod_id: 0, tokens: 26_473, documents: 381, tokenizer: "samples/tokenizer.json" },
    token_lengths: lengths,
    dataset: { prefix: "corpus_text_document", dtype: "uint16", documents: 381, tokens: 26_473 },
    dedup: { removed_exact: 3, removed_near: 2, clusters: 5, largest_cluster: 2, params: "word:5/b20/r8/seed1/sets/v1", cluster_sizes: { "2": 5 } },
    config: { inputs: ["samples/corpus"], stages: [{ stage: "filter", minChars: 50 }, { stage: "tokenize", tokenizer: "samples/tokenizer.json" }] },
  };
  const stages = [
    stageJSON("read", { docs_in: 386, docs_out: 386 }),
    stageJSON("dedup", { docs_in: 386, docs_out: 381, duplicates: 5 }),
    stageJSON("tokenize", { docs_in: 381, docs_out: 381, counters: { tokens: 26_473, eod_tokens: 381 }, histograms: { tokens_per_doc: { "64": 381 } } }),
  ];
  const page = renderReportHtml(runJSON(stages, sections));

  it("names the tokenizer, its vocabulary size, the token dtype and the end-of-document id", () => {
    const f = facts(page, "tokenize");
    expect(f.get("tokenizer")).toBe("samples/tokenizer.json");
    expect(f.get("vocabulary size")).toBe("2,000");
    expect(f.get("token dtype")).toBe("uint16 (2 bytes per token)");
    expect(f.get("end-of-document id")).toBe("0");
    expect(f.get("dataset")).toBe("corpus_text_document");
  });

  it("gives the exact token total, not only a rounded one", () => {
    expect(facts(page, "tokenize").get("tokens")).toBe("26,473");
    expect(factHover(page, "tokenize", "tokens")).toBe("including 381 end-of-document tokens");
    expect(kpi(page, "tokens").value).toBe("26,473");
    expect(page).toContain("26,473 tokens</tspan>");
  });

  it("gives token-length percentiles and the share of documents longer than 2,048, 4,096 and 8,192 tokens", () => {
    const f = facts(page, "tokenize");
    expect(f.get("length p50 / p90 / p99 / max")).toBe("67 / 100 / 128 / 9,000 tokens");
    expect(f.get("longer than 2,048 tokens")).toBe(`3 (${((100 * 3) / 381).toFixed(2)}%)`);
    expect(f.get("longer than 4,096 tokens")).toBe(`2 (${((100 * 2) / 381).toFixed(2)}%)`);
    expect(f.get("longer than 8,192 tokens")).toBe(`1 (${((100 * 1) / 381).toFixed(2)}%)`);
  });

  it("says when token lengths were not measured instead of leaving them out silently", () => {
    const without = renderReportHtml(runJSON(stages, { ...sections, token_lengths: undefined }));
    expect(facts(without, "tokenize").get("length percentiles")).toBe("not recorded");
  });

  it("tells exact duplicates from near duplicates", () => {
    const f = facts(page, "dedup");
    expect(f.get("exact duplicates")).toBe("3");
    expect(f.get("near duplicates")).toBe("2");
    expect(f.get("duplicates removed")).toMatch(/^5 \(/);
    expect(page).toContain("3 exact · 2 near</tspan>");
  });

  it("shows the config the run used", () => {
    const pre = /<pre class="config" data-config="">([\s\S]*?)<\/pre>/.exec(page);
    expect(pre).not.toBeNull();
    expect(JSON.parse(unescape(pre![1]!))).toEqual(sections.config);
  });
});

describe("per-file outcomes", () => {
  it("counts each input file's documents kept, filtered, removed as duplicates and rejected", () => {
    const files = ["a.jsonl", "b.jsonl.gz", "c.txt"];
    const s = { read: new StageStats("read"), filter: new StageStats("filter"), dedup: new StageStats("dedup") };
    const expected = new Map(files.map((f) => [f, { read: 0, kept: 0, filtered: 0, duplicates: 0, rejected: 0 }]));
    for (let i = 0; i < 90; i++) {
      const file = files[i % 3]!;
      const e = expected.get(file)!;
      e.read++;
      if (i % 11 === 0) {
        s.read.reject(file);
        e.rejected++;
        continue;
      }
      const doc: Document = { id: String(i), text: "x".repeat(i + 1), meta: {}, source: { file, line: i + 1 } };
      s.read.in(doc);
      s.read.out(doc);
      s.filter.in(doc);
      if (i % 7 === 0) {
        s.filter.filter(doc, i % 2 ? "too_short" : "low_hangul_ratio");
        e.filtered++;
        continue;
      }
      s.filter.out(doc);
      s.dedup.in(doc);
      if (i % 5 === 0) {
        s.dedup.duplicate(doc);
        e.duplicates++;
        continue;
      }
      s.dedup.out(doc);
      e.kept++;
    }
    const page = renderReportHtml(runJSON(Object.values(s).map((x) => x.toJSON())));
    for (const [file, e] of expected) {
      const row = new RegExp(`<tr data-file="${file}">(.*?)</tr>`).exec(page);
      expect(row, file).not.toBeNull();
      const cells = [...row![1]!.matchAll(/<td class="n"[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!);
      const shown = (n: number) => (n ? exactly(n) : "–");
      expect(cells.slice(0, 5)).toEqual([exactly(e.read), exactly(e.kept), shown(e.filtered), shown(e.duplicates), shown(e.rejected)]);
      expect(e.read).toBe(e.kept + e.filtered + e.duplicates + e.rejected);
    }
    expect(page).not.toContain("<th>tokens</th>");

    const tokensPerFile = Object.fromEntries(files.map((f, i) => [f, 1000 * (i + 1) + 7]));
    const withTokens = renderReportHtml(runJSON(Object.values(s).map((x) => x.toJSON()), { token_lengths: { tokens_per_file: tokensPerFile } }));
    for (const f of files) {
      const row = new RegExp(`<tr data-file="${f}">(.*?)</tr>`).exec(withTokens)![1]!;
      expect(row).toMatch(new RegExp(`<td class="n">${exactly(tokensPerFile[f]!)}</td>$`));
    }
  });
});

describe("a stage's own card", () => {
  it("gives a user's module stage a card of its filter reasons and counters", () => {
    const langId = stageJSON("lang-id", { docs_in: 10, docs_out: 7, filtered: { not_korean: 3 }, counters: { "lang.ko": 7 } });
    const page = renderReportHtml(runJSON([stageJSON("read"), langId]));
    const f = facts(page, "lang-id");
    expect(f.get("filtered: not_korean")).toBe("3 (30.0%)");
    expect(f.get("kept")).toBe("7 (70.0%)");
    expect(f.get("lang.ko")).toBe("7");
    expect(page).toContain(`<h2>Stage lang-id</h2>`);
  });

  it("gives no card to a stage that only passed documents on", () => {
    const page = renderReportHtml(runJSON([stageJSON("read"), stageJSON("normalize")]));
    expect(page).not.toContain(`id="stage-normalize"`);
  });
});

describe("escaping", () => {
  const H = `<img src=x onerror="alert(1)">'&`;
  const h = escapeHtml(H);
  const stages = [
    stageJSON("read", { docs_in: 12, docs_out: 10, rejected: 2, files: { [`in/${H}.jsonl`]: { docs_in: 12, docs_out: 10, filtered: {}, duplicates: 0, rejected: 2, bytes_in: 9, bytes_out: 9 } } }),
    stageJSON(`mod${H}`, { docs_in: 10, docs_out: 8, filtered: { [`reason${H}`]: 2 }, counters: { [`counter${H}`]: 1 } }),
    stageJSON("filter", { docs_in: 8, docs_out: 7, filtered: { [`why${H}`]: 1 } }),
    stageJSON("scrub", { docs_in: 7, docs_out: 7, counters: { [`pii.${H}`]: 2, "pii.docs": 1 } }),
    stageJSON("dedup", { docs_in: 7, docs_out: 6, duplicates: 1 }),
    stageJSON("tokenize", { docs_in: 6, docs_out: 6, counters: { tokens: 60 }, histograms: { tokens_per_doc: { "8": 6 } } }),
  ];
  const sections = {
    tokenize: { tokenizer: `tok/${H}.json`, dtype: `u${H}`, vocab_size: 10, eod_id: 0, tokens: 60, documents: 6 },
    dataset: { prefix: `ds${H}` },
    dedup: { params: `p${H}`, removed_exact: 1, removed_near: 0 },
    config: { inputs: [`in/${H}`] },
  };
  const run = runJSON(stages, sections, { command: `run${H}`, unreadable_files: [{ file: `bad${H}.gz`, docs_read: 1, error: `eof${H}` }] });
  const page = renderReportHtml(run, { title: `title${H}` });

  it("lets no hostile stage name, reason, file name, counter or path become markup", () => {
    expect(page).not.toMatch(/<img|onerror="/);
    expect(page.match(/<section /g)!.length).toBe(page.match(/<\/section>/g)!.length);
  });

  it("shows each hostile string, escaped, in every section that names it", () => {
    const card = (id: string) => {
      const m = new RegExp(`<section class="card" id="${literal(escapeHtml(id))}">([\\s\\S]*?)</section>`).exec(page);
      expect(m, `no card ${id}`).not.toBeNull();
      return m![1]!;
    };
    expect(card("flow")).toContain(`mod${h}`);
    expect(card("flow")).toContain(`reason${h}`);
    expect(card(`stage-mod${H}`)).toContain(`reason${h}`);
    expect(card(`stage-mod${H}`)).toContain(`counter${h}`);
    expect(card("stage-filter")).toContain(`why${h}`);
    expect(card("stage-scrub")).toContain(h);
    expect(card("stage-dedup")).toContain(`p${h}`);
    expect(card("stage-tokenize")).toContain(`tok/${h}.json`);
    expect(card("stage-tokenize")).toContain(`ds${h}`);
    expect(card("throughput")).toContain(`mod${h}`);
    expect(card("stages")).toContain(`counter${h}`);
    expect(card("files")).toContain(`in/${h}.jsonl`);
    expect(card("files")).toContain(`bad${h}.gz`);
    expect(card("files")).toContain(`eof${h}`);
    expect(card("config")).toContain(escapeHtml(JSON.stringify(`in/${H}`)));
    expect(page).toContain(`<h1>title${h}</h1>`);
    expect(page).toContain(`korpipe run${h}`);
  });
});

describe("the html template", () => {
  const evil = `<b onclick="x">'&`;

  it("escapes every interpolated value, in text and in attributes", () => {
    expect(html`<p title="${evil}">${evil}</p>`.markup).toBe(`<p title="&lt;b onclick=&quot;x&quot;&gt;&#39;&amp;">&lt;b onclick=&quot;x&quot;&gt;&#39;&amp;</p>`);
  });

  it("lets through fragments built by html or raw, and lists of them, unchanged", () => {
    const item = (s: string) => html`<li>${s}</li>`;
    expect(html`<ul>${[item("a<"), item("b")]}</ul>`.markup).toBe("<ul><li>a&lt;</li><li>b</li></ul>");
    expect(html`<style>${raw("a>b{}")}</style>`.markup).toBe("<style>a>b{}</style>");
  });

  it("renders false, null and undefined as nothing, and numbers as text", () => {
    expect(html`[${false}${null}${undefined}${0}${2.5}]`.markup).toBe("[02.5]");
  });

  it("cannot be fooled by an object that looks like a fragment", () => {
    const fake = { markup: "<script>", toString: () => "<script>" } as unknown as string;
    expect(html`${fake}`.markup).toBe("&lt;script&gt;");
  });
});
