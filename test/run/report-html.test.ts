import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeHtml, renderReportHtml } from "../../src/run/report/index.js";
import { buildRunStats, type RunStatsJSON } from "../../src/stats/run-stats.js";
import { StageStats, type StageStatsJSON } from "../../src/stats/stage-stats.js";
import type { Document } from "../../src/types.js";

/** Text that only documents contain; the page must never show it. */
const SECRET = "홍길동-주민번호-SECRET-9f3a";
const NASTY_FILE = `corpus/<img src=x onerror="alert(1)">&web.jsonl`;

/**
 * Statistics of a small run gathered the way the pipeline gathers them: documents pass through
 * StageStats for read, normalize, filter, scrub, dedup and tokenize.
 */
function simulatedRun(): RunStatsJSON {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const files = ["corpus/news.jsonl", NASTY_FILE];
  const s = Object.fromEntries(["read", "normalize", "filter", "scrub", "dedup", "tokenize"].map((n) => [n, new StageStats(n)]));
  const docs: Document[] = [];
  for (let i = 0; i < 600; i++) {
    const len = Math.floor(2 ** (4 + rand() * 10));
    const text = `${SECRET} ${"가나다 ".repeat(Math.ceil(len / 4))}`.slice(0, Math.max(len, SECRET.length + 1));
    docs.push({ id: `doc-${i}`, text, meta: {}, source: { file: files[i % 2]!, line: i + 1 } });
  }
  s.read!.reject(NASTY_FILE, 5);
  for (const [i, doc] of docs.entries()) {
    s.read!.in(doc);
    s.read!.out(doc);
    s.normalize!.in(doc);
    s.normalize!.out(doc);
    s.filter!.in(doc);
    if (doc.text.length < 64) {
      s.filter!.filter(doc, "too_short");
      continue;
    }
    if (i % 50 === 0) {
      s.filter!.filter(doc, "hangul_ratio");
      continue;
    }
    s.filter!.out(doc);
    s.scrub!.in(doc);
    if (i % 20 === 0) s.scrub!.count("pii.tell");
    if (i % 70 === 0) s.scrub!.count("pii.rrn");
    if (i % 90 === 0) s.scrub!.count("pii.acc");
    if (i % 20 === 0 || i % 70 === 0 || i % 90 === 0) s.scrub!.count("pii.docs");
    s.scrub!.out(doc);
    s.dedup!.in(doc);
    if (i % 10 === 3) {
      s.dedup!.duplicate(doc);
      continue;
    }
    s.dedup!.out(doc);
    s.tokenize!.in(doc);
    const tokens = Math.ceil(doc.text.length / 3);
    s.tokenize!.count("tokens", tokens);
    s.tokenize!.observe("tokens_per_doc", tokens);
    s.tokenize!.out(doc);
  }
  for (const size of [2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 5, 9]) s.dedup!.observe("cluster_size", size);
  const ms: Record<string, number> = { read: 40, normalize: 60, filter: 30, scrub: 120, dedup: 200, tokenize: 900 };
  for (const [name, stats] of Object.entries(s)) stats.addTime(ms[name]!);
  return buildRunStats({
    command: "run",
    startedAt: new Date(Date.now() - 1500),
    inputs: files,
    stages: Object.values(s).map((x) => x.toJSON()),
    unreadable: [{ file: "corpus/<i>broken</i>.jsonl.gz", docs_read: 12, error: "unexpected end of file <eof>" }],
    sections: {
      tokenize: { dtype: "uint16", vocab_size: 2000, eod_id: 0, tokens: s.tokenize!.toJSON().counters.tokens, documents: s.tokenize!.docsOut, tokenizer: "tokenizers/ko-bpe/tokenizer.json" },
      token_lengths: { datasets: 1, documents: s.tokenize!.docsOut, p50: 300, p90: 2100, p99: 5000, max: 5461, longer_than: { "2048": 40, "4096": 6, "8192": 0 } },
      dedup: { removed_exact: 20, removed_near: s.dedup!.toJSON().duplicates - 20, clusters: 12, largest_cluster: 9, params: "word:5/b20/r8/seed1/sets/v1" },
      config: { inputs: files, output: "out/run", stages: [{ stage: "normalize" }, { stage: "filter", minChars: 64 }, { stage: "scrub" }, { stage: "dedup" }, { stage: "tokenize", tokenizer: "tokenizers/ko-bpe/tokenizer.json" }] },
    },
  });
}

function stageJSON(name: string, over: Partial<StageStatsJSON> = {}): StageStatsJSON {
  return {
    name,
    docs_in: 10,
    docs_out: 10,
    filtered: {},
    duplicates: 0,
    rejected: 0,
    bytes_in: 1000,
    bytes_out: 1000,
    elapsed_s: 1,
    counters: {},
    histograms: {},
    files: {},
    ...over,
  };
}

function runJSON(stages: StageStatsJSON[], over: Partial<RunStatsJSON> = {}): RunStatsJSON {
  return buildRunStats({ command: "run", startedAt: new Date("2024-05-02T09:14:03Z"), inputs: ["in/"], stages, unreadable: [], ...over });
}

/** The elements of one chart, by class or data attribute, counted in the markup. */
const countMatches = (html: string, re: RegExp) => (html.match(re) ?? []).length;

describe("the report page, as markup", () => {
  const run = simulatedRun();
  const html = renderReportHtml(run);

  it("never contains document text", () => {
    expect(html).not.toContain(SECRET);
    expect(html).not.toContain("가나다");
  });

  it("escapes every file name, reason and stage name it shows", () => {
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<i>broken");
    expect(html).toContain(escapeHtml(NASTY_FILE));
    expect(html).toContain("corpus/&lt;i&gt;broken&lt;/i&gt;.jsonl.gz");
    expect(html).toContain("unexpected end of file &lt;eof&gt;");

    const hostile = renderReportHtml(
      runJSON([stageJSON(`read<script>`), stageJSON("filter", { docs_out: 4, filtered: { [`"><svg onload=x>`]: 6 } })], {
        command: "<b>run</b>",
      }),
    );
    expect(hostile).not.toMatch(/<script|<svg onload|<b>run/);
    expect(hostile).toContain("read&lt;script&gt;");
    expect(hostile).toContain("&quot;&gt;&lt;svg onload=x&gt;");
  });

  it("loads nothing from anywhere: no scripts, no URLs, and a policy that forbids fetching", () => {
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|https?:\/\//i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it("draws the flow with one node per stage plus the output, and a sink per drop reason", () => {
    expect(countMatches(html, /<rect class="node[ "]/g)).toBe(7);
    expect(html).toMatch(/data-kind="filtered" data-stage="filter" data-label="too_short" data-count="\d+"/);
    expect(html).toContain(`data-kind="filtered" data-stage="filter" data-label="hangul_ratio" data-count="${run.stages[2]!.filtered.hangul_ratio}"`);
    expect(html).toContain(`data-kind="duplicates" data-stage="dedup" data-label="duplicates" data-count="${run.stages[4]!.duplicates}"`);
    expect(html).toContain(`data-kind="rejected" data-stage="read" data-label="rejected" data-count="5"`);
    expect(html).toContain("PII replaced</tspan>");
  });

  it("gathers all but the four largest filter reasons of a stage into one sink", () => {
    const reasons = { a: 50, b: 40, c: 30, d: 20, e: 2, f: 1 };
    const page = renderReportHtml(runJSON([stageJSON("filter", { docs_in: 200, docs_out: 57, filtered: reasons })]));
    expect(countMatches(page, /class="sink sink-filtered"/g)).toBe(5);
    expect(page).toContain(`data-label="2 other reasons" data-count="3"`);
  });

  it("compares lengths as read with lengths after the last stage before tokenize", () => {
    const page = renderReportHtml(
      runJSON([
        stageJSON("read", { histograms: { chars: { "8": 3, "1024": 7 } } }),
        stageJSON("filter", { histograms: { chars: { "1024": 6 } } }),
        stageJSON("dedup", { histograms: { chars: { "1024": 5 } } }),
        stageJSON("tokenize", { histograms: { chars: { "1024": 4 }, tokens_per_doc: { "256": 4 } } }),
      ]),
    );
    expect(page).toContain(`data-series="as read" data-bucket="8" data-count="3"`);
    expect(page).toContain(`data-series="after dedup" data-bucket="1024" data-count="5"`);
    expect(page).not.toContain(`data-series="after tokenize"`);
    // Every power of two between the smallest and largest bucket gets a slot, empty or not.
    expect(countMatches(page, /data-series="as read"/g)).toBe(8);
    expect(page).toContain(`data-series="documents" data-bucket="256" data-count="4"`);
  });

  it("puts counts under keys that are not powers of two into their power-of-two bucket", () => {
    const page = renderReportHtml(runJSON([stageJSON("tokenize", { histograms: { tokens_per_doc: { "3": 1, "2": 4, "100": 2, "x": 9 } } })]));
    expect(page).toContain(`data-bucket="2" data-count="5"`);
    expect(page).toContain(`data-bucket="64" data-count="2"`);
    expect(countMatches(page, /data-series="documents"/g)).toBe(6); // 2, 4, 8, 16, 32, 64
  });

  it("takes cluster sizes from the dedup stage, or else from the dedup section", () => {
    const fromSection = renderReportHtml(runJSON([stageJSON("dedup")], { sections: { dedup: { cluster_sizes: { "2": 9, "4": 1 } } } }));
    expect(fromSection).toContain(`data-series="clusters" data-bucket="2" data-count="9"`);
    const fromStage = renderReportHtml(runJSON([stageJSON("dedup", { histograms: { cluster_size: { "2": 3 } } })]));
    expect(fromStage).toContain(`data-series="clusters" data-bucket="2" data-count="3"`);
  });

  it("shows throughput as megabytes in per second of each stage's time", () => {
    const page = renderReportHtml(runJSON([stageJSON("read", { bytes_in: 50e6, elapsed_s: 2 }), stageJSON("scrub", { elapsed_s: 0 })]));
    expect(page).toContain("25.0 MB/s · 2.00 s");
    expect(page).toContain(`data-label="scrub" data-value="0"`);
    expect(page).toContain("not timed");
  });

  it("counts PII by type from the pii.* counters", () => {
    expect(html).toContain(`data-label="phone number (tell)" data-value="${run.stages[3]!.counters["pii.tell"]}"`);
    expect(html).toContain(`data-label="resident reg. no. (rrn)"`);
    expect(html).toContain(`data-label="bank account (acc)"`);
  });

  it("says what is missing instead of drawing empty charts", () => {
    const page = renderReportHtml(runJSON([stageJSON("read"), stageJSON("normalize")]));
    expect(page).toContain(`data-empty="lengths"`);
    expect(page).toContain(`data-chart="flow"`);
    expect(page).toContain(`data-chart="throughput"`);
    // A stage that did not run has no card at all.
    for (const chart of ["tokens", "clusters", "pii"]) expect(page).not.toContain(`"${chart}"`);

    const idle = renderReportHtml(runJSON([stageJSON("read"), stageJSON("scrub", { counters: { "pii.rrn": 0, "pii.docs": 0 } }), stageJSON("dedup"), stageJSON("tokenize")]));
    for (const chart of ["tokens", "clusters", "pii"]) expect(idle).toContain(`data-empty="${chart}"`);

    const nothing = renderReportHtml(runJSON([]));
    expect(nothing).toContain(`data-empty="flow"`);
    expect(nothing).toContain(`data-empty="throughput"`);
  });

  it("survives a report.json with whole parts missing or malformed", () => {
    const partial = {
      command: "run",
      stages: [{ name: "read", docs_in: 3, docs_out: 3 }, { name: "dedup", docs_in: 3, docs_out: 2, duplicates: 1, histograms: { cluster_size: "oops" } }],
      sections: { dedup: { cluster_sizes: [1, 2] } },
    } as unknown as RunStatsJSON;
    const page = renderReportHtml(partial);
    expect(page).toContain(`data-chart="flow"`);
    expect(page).toContain(`data-empty="clusters"`);
    expect(page).toContain("document counts do not add up");
  });

  it("says when the document accounting adds up", () => {
    expect(run.identity_holds).toBe(true);
    expect(html).toContain("every document accounted for");
  });

  it("is the same page for the same statistics", () => {
    expect(renderReportHtml(run)).toBe(html);
  });
});

// ---------------------------------------------------------------------------------------------
// In a real browser: Debian's chromium driven over the DevTools protocol on a pipe (fds 3/4),
// which needs no extra npm package.

const CHROMIUM = "/usr/bin/chromium";
// CI installs chromium (.ci/chromium-setup.sh), so there a missing browser fails instead of skipping.
const runBrowserTests = existsSync(CHROMIUM) || process.env.CI === "true";

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  readonly events: CdpMessage[] = [];
  private readonly waiters: { method: string; resolve: (m: CdpMessage) => void }[] = [];
  private stderr = "";

  private constructor(private readonly child: ChildProcess) {
    const input = child.stdio[4] as Readable;
    let buf = "";
    input.setEncoding("utf8");
    input.on("data", (chunk: string) => {
      buf += chunk;
      for (let i = buf.indexOf("\0"); i >= 0; i = buf.indexOf("\0")) {
        this.dispatch(JSON.parse(buf.slice(0, i)) as CdpMessage);
        buf = buf.slice(i + 1);
      }
    });
    child.stderr!.on("data", (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    child.on("exit", () => {
      for (const p of this.pending.values()) p.reject(new Error(`chromium exited; its stderr:\n${this.stderr}`));
      this.pending.clear();
    });
  }

  static launch(userDataDir: string): Browser {
    const child = spawn(
      CHROMIUM,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        `--user-data-dir=${userDataDir}`,
        "--remote-debugging-pipe",
        "about:blank",
      ],
      { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] },
    );
    return new Browser(child);
  }

  private dispatch(msg: CdpMessage): void {
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result ?? {});
      return;
    }
    this.events.push(msg);
    const i = this.waiters.findIndex((w) => w.method === msg.method);
    if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(msg);
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    (this.child.stdio[3] as Writable).write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  next(method: string): Promise<CdpMessage> {
    return new Promise((resolve) => this.waiters.push({ method, resolve }));
  }

  /** Opens a page of the given size and loads `url` in it; returns the session to talk to it. */
  async open(url: string, width: number, height: number): Promise<string> {
    const { targetId } = await this.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = (await this.send("Target.attachToTarget", { targetId, flatten: true })) as { sessionId: string };
    await this.send("Page.enable", {}, sessionId);
    await this.send("Network.enable", {}, sessionId);
    await this.send("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
    const loaded = this.next("Page.loadEventFired");
    await this.send("Page.navigate", { url }, sessionId);
    await loaded;
    return sessionId;
  }

  async evaluate<T>(sessionId: string, expression: string): Promise<T> {
    const r = (await this.send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true }, sessionId)) as {
      result: { value: T };
      exceptionDetails?: { text: string };
    };
    if (r.exceptionDetails) throw new Error(`page script failed: ${r.exceptionDetails.text}`);
    return r.result.value;
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.send("Browser.close").catch(() => undefined);
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
interface Layout {
  charts: Record<
    string,
    {
      box: Box;
      bars: (Box & Record<string, string>)[];
      nodes: (Box & Record<string, string>)[];
      sinks: (Box & Record<string, string>)[];
      texts: (Box & { text: string })[];
    }
  >;
  empties: string[];
  facts: (Box & { stage: string; rows: number; card: Box })[];
  scrollWidth: number;
  innerWidth: number;
  text: string;
  html: string;
}

/** Measures what the browser actually laid out: boxes of every chart element and text. */
const MEASURE = `(() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; };
  const own = (t) => [...t.childNodes].filter((n) => n.nodeType === 3 || n.nodeName === "tspan").map((n) => n.textContent).join("");
  const charts = {};
  for (const svg of document.querySelectorAll("svg[data-chart]")) {
    const tip = (el) => (el.querySelector(":scope > title") ?? el.closest("g")?.querySelector(":scope > title"))?.textContent ?? "";
    const pick = (sel) => [...svg.querySelectorAll(sel)].map((el) => ({ ...el.dataset, ...box(el), fill: getComputedStyle(el).fill, tip: tip(el) }));
    charts[svg.dataset.chart] = {
      box: box(svg), bars: pick(".bar"), nodes: pick(".node"), sinks: pick(".sink"),
      texts: [...svg.querySelectorAll("text")].map((t) => ({ text: own(t), ...box(t) })),
    };
  }
  return {
    charts, empties: [...document.querySelectorAll("[data-empty]")].map((e) => e.dataset.empty),
    facts: [...document.querySelectorAll("table.facts")].map((t) => ({ stage: t.dataset.facts, rows: t.rows.length, ...box(t), card: box(t.closest("section")) })),
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    text: document.body.innerText, html: document.documentElement.outerHTML,
  };
})()`;

const overlaps = (a: Box, b: Box) => Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 1 && Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 1;
const inside = (a: Box, outer: Box) => a.x >= outer.x - 1 && a.y >= outer.y - 1 && a.x + a.w <= outer.x + outer.w + 1 && a.y + a.h <= outer.y + outer.h + 1;

function expectLabelsClear(chart: Layout["charts"][string], atLeast: number): void {
  const texts = chart.texts.filter((t) => t.w > 0);
  expect(texts.length).toBeGreaterThan(atLeast);
  for (const t of texts) expect(inside(t, chart.box), `"${t.text}" sticks out of the chart`).toBe(true);
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      expect(overlaps(texts[i]!, texts[j]!), `"${texts[i]!.text}" overlaps "${texts[j]!.text}"`).toBe(false);
    }
  }
}

describe.skipIf(!runBrowserTests)("the report page in headless Chromium", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "korpipe-report-"));
  const run = simulatedRun();
  const file = path.join(dir, "report <1>.html");
  const url = pathToFileURL(file).href;
  let browser: Browser;
  let session: string;
  let layout: Layout;

  beforeAll(async () => {
    writeFileSync(file, renderReportHtml(run));
    browser = Browser.launch(path.join(dir, "profile"));
    session = await browser.open(url, 1280, 900);
    layout = await browser.evaluate<Layout>(session, MEASURE);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("renders all six charts with a visible size", () => {
    expect(Object.keys(layout.charts).sort()).toEqual(["clusters", "flow", "lengths", "pii", "throughput", "tokens"]);
    for (const chart of Object.values(layout.charts)) {
      expect(chart.box.w).toBeGreaterThan(300);
      expect(chart.box.h).toBeGreaterThan(60);
    }
    expect(layout.empties).toEqual([]);
  });

  it("draws the flow: a node per stage and for the kept documents, and a visible sink for every kind of drop", () => {
    const flow = layout.charts.flow!;
    expect(flow.nodes.map((n) => n.stage)).toEqual(["read", "normalize", "filter", "scrub", "dedup", "tokenize", "kept"]);
    for (const n of flow.nodes) expect(n.h).toBeGreaterThan(20);
    expect(flow.sinks.map((s) => `${s.stage}:${s.label}`).sort()).toEqual(["dedup:duplicates", "filter:hangul_ratio", "filter:too_short", "read:rejected"]);
    for (const s of flow.sinks) expect(s.h).toBeGreaterThanOrEqual(2);
    const words = flow.texts.map((t) => t.text);
    for (const w of ["read", "tokenize", "kept", "too_short", "duplicates", "rejected"]) expect(words).toContain(w);
    // The first node stands for every input document, the kept node only for the survivors.
    expect(flow.nodes[0]!.h).toBeGreaterThan(flow.nodes[6]!.h);
  });

  it("keeps every label of the flow inside the chart and clear of the others", () => {
    expectLabelsClear(layout.charts.flow!, 20);
  });

  it("keeps the labels clear with ten long-named stages each dropping for many long reasons", async () => {
    const reasons = Object.fromEntries(["a", "b", "c", "d", "e", "f"].map((c, i) => [`${c}_reason_with_a_very_long_name`, 10 + i]));
    const stages = Array.from({ length: 10 }, (_, i) =>
      stageJSON(`stage_number_${i}_with_a_long_name`, { docs_in: 10_000_000 - i * 75, docs_out: 10_000_000 - (i + 1) * 75, filtered: reasons }),
    );
    const crowded = path.join(dir, "crowded.html");
    writeFileSync(crowded, renderReportHtml(runJSON(stages)));
    const page = await browser.open(pathToFileURL(crowded).href, 1280, 900);
    const crowdedLayout = await browser.evaluate<Layout>(page, MEASURE);
    expectLabelsClear(crowdedLayout.charts.flow!, 100);
  });

  it("draws bar heights in proportion to the histogram counts", () => {
    const tokens = layout.charts.tokens!.bars;
    const hist = run.stages[5]!.histograms.tokens_per_doc!;
    const drawn = tokens.filter((b) => b.h > 0);
    expect(drawn.length).toBe(Object.values(hist).filter((n) => n > 0).length);
    const tallest = drawn.reduce((a, b) => (b.h > a.h ? b : a));
    expect(Number(tallest.count)).toBe(Math.max(...Object.values(hist)));

    const lengths = layout.charts.lengths!.bars;
    expect(new Set(lengths.filter((b) => b.h > 0).map((b) => b.series))).toEqual(new Set(["as read", "after dedup"]));
    const clusters = layout.charts.clusters!.bars.filter((b) => b.h > 0);
    // Sizes 2,2,…,3,3 fall in bucket 2, size 5 in bucket 4, size 9 in bucket 8.
    expect(clusters.map((b) => [b.bucket, b.count])).toEqual([["2", "10"], ["4", "1"], ["8", "1"]]);
  });

  it("orders the PII and throughput bars by their values", () => {
    const pii = layout.charts.pii!.bars;
    expect(pii.map((b) => b.label)).toEqual(["phone number (tell)", "resident reg. no. (rrn)", "bank account (acc)"]);
    expect(pii[0]!.w).toBeGreaterThan(pii[1]!.w);
    const speed = layout.charts.throughput!.bars;
    expect(speed.map((b) => b.label)).toEqual(["read", "normalize", "filter", "scrub", "dedup", "tokenize"]);
    for (const b of speed) expect(b.w).toBeGreaterThan(0);
  });

  it("gives every bar and sink its exact count on hover", () => {
    const exact = (n: string) => Number(n).toLocaleString("en-US");
    for (const [id, chart] of Object.entries(layout.charts)) {
      for (const b of chart.bars) {
        const n = b.count ?? b.value;
        expect(n, `${id} bar without a number`).toBeDefined();
        if (b.count !== undefined) expect(b.tip, `${id} bar ${b.bucket}`).toContain(exact(b.count));
        else expect(b.tip, `${id} bar ${b.label}`).toMatch(id === "throughput" ? /bytes/ : new RegExp(exact(b.value!)));
      }
      for (const sink of chart.sinks) expect(sink.tip).toContain(exact(sink.count!));
    }
  });

  it("lays out each stage's facts inside its card, at full and at narrow width", async () => {
    expect(layout.facts.map((f) => f.stage)).toEqual(["filter", "scrub", "dedup", "tokenize"]);
    const narrow = await browser.open(url, 420, 900);
    const small = await browser.evaluate<Layout>(narrow, MEASURE);
    for (const f of [...layout.facts, ...small.facts]) {
      expect(f.rows).toBeGreaterThan(2);
      expect(inside(f, f.card), `the ${f.stage} facts stick out of their card`).toBe(true);
    }
  });

  it("shows no document text, and the file names as text rather than markup", () => {
    expect(layout.text).not.toContain(SECRET);
    expect(layout.html).not.toContain(SECRET);
    expect(layout.text).toContain(NASTY_FILE);
    expect(layout.html).not.toMatch(/<img/);
  });

  it("asks the network for nothing but the page itself", () => {
    const requested = browser.events
      .filter((e) => e.method === "Network.requestWillBeSent" && e.sessionId === session)
      .map((e) => (e.params!.request as { url: string }).url);
    expect(requested).toEqual([url]);
  });

  it("fits a narrow window without making the page scroll sideways", async () => {
    const narrow = await browser.open(url, 420, 900);
    const small = await browser.evaluate<Layout>(narrow, MEASURE);
    expect(small.scrollWidth).toBeLessThanOrEqual(small.innerWidth);
    expect(small.charts.tokens!.box.w).toBeGreaterThan(300);
  });

  it("takes a full-page screenshot in which every chart's tallest bar shows in its own colour", async () => {
    // A background tab never paints, so its screenshot would wait forever.
    await browser.send("Page.bringToFront", {}, session);
    const { data } = (await browser.send("Page.captureScreenshot", { format: "png", captureBeyondViewport: true }, session)) as { data: string };
    const png = Buffer.from(data, "base64");
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    if (process.env.KORPIPE_REPORT_SCREENSHOT) writeFileSync(process.env.KORPIPE_REPORT_SCREENSHOT, png);

    const probes = Object.entries(layout.charts)
      .filter(([id]) => id !== "flow")
      .map(([id, chart]) => {
        const bar = chart.bars.reduce((a, b) => (b.w * b.h > a.w * a.h ? b : a));
        return { id, x: Math.round(bar.x + bar.w / 2), y: Math.round(bar.y + bar.h / 2), fill: bar.fill! };
      });
    expect(probes.map((p) => p.id).sort()).toEqual(["clusters", "lengths", "pii", "throughput", "tokens"]);
    // The browser decodes its own screenshot: pixels at the centre of each chart's largest bar.
    const viewer = await browser.open("about:blank", 400, 300);
    const seen = await browser.evaluate<{ width: number; height: number; pixels: string[] }>(
      viewer,
      `new Promise((resolve, reject) => {
        const img = new Image();
        img.onload = () => {
          const c = document.createElement("canvas");
          c.width = img.width; c.height = img.height;
          const g = c.getContext("2d"); g.drawImage(img, 0, 0);
          const px = ${JSON.stringify(probes)}.map(({ x, y }) => { const d = g.getImageData(x, y, 1, 1).data; return "rgb(" + d[0] + ", " + d[1] + ", " + d[2] + ")"; });
          resolve({ width: img.width, height: img.height, pixels: px });
        };
        img.onerror = () => reject(new Error("the screenshot is not a readable PNG"));
        img.src = "data:image/png;base64,${data}";
      })`,
    );
    expect(seen.width).toBe(1280);
    expect(seen.height).toBeGreaterThan(900);
    expect(seen.pixels).toEqual(probes.map((p) => p.fill));
  });
});
