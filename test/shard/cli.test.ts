import { existsSync, readFileSync, readdirSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunStatsJSON } from "../../src/stats/run-stats.js";
import { korpipe } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";
import { koreanDocs, writeTestTokenizer } from "./korean-text.js";

function corpus(dir: string, extra: string[] = []): string {
  const file = path.join(dir, "in.jsonl");
  const lines = koreanDocs(30).map((d) => JSON.stringify({ id: d.id, text: d.text }));
  writeFileSync(file, [...lines, ...extra].join("\n") + "\n");
  return file;
}

describe("korpipe tokenize", () => {
  it("writes PREFIX_text_document.bin/.idx and PREFIX.report/stats.json with token statistics", async () => {
    const dir = tmpDir();
    const tok = await writeTestTokenizer(dir);
    const prefix = path.join(dir, "out", "ko");
    const r = korpipe(["tokenize", corpus(dir, [JSON.stringify({ id: "e", text: "" })]), "-o", prefix, "--tokenizer", tok, "--workers", "2"]);
    expect(r.stderr).toContain("wrote");
    expect(r.status).toBe(0);
    expect(readdirSync(path.join(dir, "out")).sort()).toEqual(["ko.report", "ko_text_document.bin", "ko_text_document.idx", "ko_text_document.json"]);
    const stats = JSON.parse(readFileSync(`${prefix}.report/stats.json`, "utf8")) as RunStatsJSON;
    expect(stats.identity_holds).toBe(true);
    const tokenize = stats.stages.find((s) => s.name === "tokenize")!;
    expect(tokenize).toMatchObject({ docs_in: 31, docs_out: 30, filtered: { empty: 1 } });
    expect(Object.values(tokenize.histograms.tokens_per_doc!).reduce((a, b) => a + b, 0)).toBe(30);
    expect(stats.sections.tokenize).toMatchObject({ documents: 30, empty_documents: 1, dtype: "uint16", eod_id: 0, bytes_per_token: expect.any(Number) });
  });

  it("writes byte-identical shards with --engine fast and --engine hf, and auto says once why it falls back", async () => {
    const dir = tmpDir();
    const tok = await writeTestTokenizer(dir);
    const input = corpus(dir, [JSON.stringify({ id: "x", text: "é\u0085 <|rrn|>\ufeff1 👨‍👩‍👧" })]);
    const bins = (["fast", "hf"] as const).map((engine) => {
      const prefix = path.join(dir, engine, "ko");
      const r = korpipe(["tokenize", input, "-o", prefix, "--tokenizer", tok, "--workers", "1", "--engine", engine]);
      expect(r.status).toBe(0);
      expect(r.stderr).not.toContain("Hugging Face tokenizers, not the fast engine");
      return readFileSync(`${prefix}_text_document.bin`);
    });
    expect(bins[0]!.equals(bins[1]!)).toBe(true);

    const fallback = path.join(dir, "fallback.json");
    const json = JSON.parse(readFileSync(tok, "utf8"));
    json.model.byte_fallback = true;
    writeFileSync(fallback, JSON.stringify(json));
    const auto = korpipe(["tokenize", input, "-o", path.join(dir, "auto", "ko"), "--tokenizer", fallback, "--workers", "2"]);
    expect(auto.status).toBe(0);
    expect(auto.stderr.match(/tokenizing with Hugging Face tokenizers, not the fast engine: .*byte_fallback/g)).toHaveLength(1);
    const refused = korpipe(["tokenize", input, "-o", path.join(dir, "refused", "ko"), "--tokenizer", fallback, "--engine", "fast"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/--engine fast: .*byte_fallback.*use --engine auto or hf/);
    expect(existsSync(path.join(dir, "refused"))).toBe(false);
  });

  it("stops before reading when a privacy token is not a special token, naming the nearest one", async () => {
    const dir = tmpDir();
    const tok = await writeTestTokenizer(dir, ["<|rrn|>", "<|tel|>", "<|acc|>"]);
    const prefix = path.join(dir, "ko");
    const r = korpipe(["tokenize", corpus(dir), "-o", prefix, "--tokenizer", tok]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/<\|tell\|> is not a special token.*nearest special token: <\|tel\|>/);
    expect(existsSync(`${prefix}.report`)).toBe(false);
    expect(korpipe(["tokenize", corpus(dir), "-o", prefix, "--tokenizer", tok, "--privacy-tokens", "tell=<|tel|>"]).status).toBe(0);
  });

  it("exits 3 and lists the record when an input line is broken, still writing the rest", async () => {
    const dir = tmpDir();
    const tok = await writeTestTokenizer(dir);
    const prefix = path.join(dir, "ko");
    const r = korpipe(["tokenize", corpus(dir, ["{not json"]), "-o", prefix, "--tokenizer", tok, "--shard-tokens", "300"]);
    expect(r.status).toBe(3);
    expect(readFileSync(`${prefix}.report/rejects.jsonl`, "utf8")).toContain("malformed_json");
    expect(existsSync(`${prefix}-00001_text_document.idx`)).toBe(true);
  });
});

describe("korpipe inspect and merge", () => {
  async function tokenized(dir: string, name: string, extra: string[] = []) {
    const tok = path.join(dir, "tokenizer.json");
    if (!existsSync(tok)) await writeTestTokenizer(dir);
    const prefix = path.join(dir, name);
    expect(korpipe(["tokenize", corpus(dir, extra), "-o", prefix, "--tokenizer", tok, "--workers", "1"]).status).toBe(0);
    return { tok, prefix };
  }

  it("prints counts for a good dataset and decodes a document with its end-of-document token", async () => {
    const dir = tmpDir();
    const { tok, prefix } = await tokenized(dir, "ko");
    const r = korpipe(["inspect", prefix, "--decode", "2", "--tokenizer", tok]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ko_text_document: ok\n {2}uint16, 30 documents, [\d,]+ tokens/);
    expect(r.stdout).toContain(`${koreanDocs(3)[2]!.text}<|endoftext|>\n`);
  });

  it("exits non-zero with the reason for a truncated .bin", async () => {
    const dir = tmpDir();
    const { prefix } = await tokenized(dir, "ko");
    truncateSync(`${prefix}_text_document.bin`, 10);
    const r = korpipe(["inspect", prefix]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/INCONSISTENT\n[\s\S]*problem: .*\.bin: 10 bytes, but sum\(sizes\) × 2 = \d+ \(truncated\?\)/);
  });

  it("merges two datasets into one with all documents, which inspect accepts", async () => {
    const dir = tmpDir();
    const a = await tokenized(dir, "a");
    const b = await tokenized(dir, "b");
    const merged = path.join(dir, "all");
    const m = korpipe(["merge", a.prefix, b.prefix, "-o", merged]);
    expect(m.status).toBe(0);
    expect(m.stderr).toContain("60 documents");
    const r = korpipe(["inspect", merged, "--json"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject([{ ok: true, documents: 60, problems: [] }]);
  });

  it("refuses to merge a corrupt dataset", async () => {
    const dir = tmpDir();
    const a = await tokenized(dir, "a");
    const idx = readFileSync(`${a.prefix}_text_document.idx`);
    idx.write("XXXX", 0, "latin1");
    writeFileSync(`${a.prefix}_text_document.idx`, idx);
    const m = korpipe(["merge", a.prefix, "-o", path.join(dir, "all")]);
    expect(m.status).toBe(1);
    expect(m.stderr).toMatch(/refusing to merge .*wrong magic/);
  });
});

describe("korpipe train-tokenizer", () => {
  it("trains a tokenizer.json that korpipe tokenize then uses with the default privacy tokens", () => {
    const dir = tmpDir();
    const out = path.join(dir, "tok.json");
    const t = korpipe(["train-tokenizer", corpus(dir), "-o", out, "--vocab-size", "300"]);
    expect(t.status).toBe(0);
    expect(t.stderr).toContain("wrote");
    const vocab = (JSON.parse(readFileSync(out, "utf8")) as { model: { vocab: Record<string, number> } }).model.vocab;
    expect(Object.keys(vocab)).toHaveLength(300);
    expect(korpipe(["tokenize", corpus(dir), "-o", path.join(dir, "ko"), "--tokenizer", out]).status).toBe(0);
  });
});
