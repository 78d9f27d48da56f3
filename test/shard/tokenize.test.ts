import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Tokenizer } from "tokenizers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRIVACY_TOKEN_PRESETS } from "../../src/pii/privacy-tokens.js";
import { readDocuments, resolveInputs } from "../../src/stages/read.js";
import { StageStats } from "../../src/stats/stage-stats.js";
import type { Document } from "../../src/types.js";
import { readDocument, readIndexedDataset, verifyIndexedDataset } from "../../src/shard/indexed-dataset.js";
import { PrivacyTokenError } from "../../src/shard/privacy-check.js";
import { tokenizeDocuments, TokenizerPool } from "../../src/shard/tokenize-documents.js";
import { tokenizeToShards } from "../../src/shard/tokenize-to-shards.js";
import { collect, tmpDir } from "../helpers/tmp.js";
import { koreanDocs, writeTestTokenizer } from "./korean-text.js";

// Worker threads run the compiled worker from dist/ (npm test builds first).
let tokenizerDir: string;
let tokenizerFile: string;
let tokenizer: Tokenizer;
beforeAll(async () => {
  tokenizerDir = mkdtempSync(path.join(tmpdir(), "korpipe-tok-"));
  tokenizerFile = await writeTestTokenizer(tokenizerDir);
  tokenizer = Tokenizer.fromFile(tokenizerFile);
});
afterAll(() => rmSync(tokenizerDir, { recursive: true, force: true }));

const EOD = 0; // <|endoftext|> in the test tokenizer
const privacyTokens = PRIVACY_TOKEN_PRESETS.default!;

async function ownIds(text: string): Promise<number[]> {
  return (await tokenizer.encode(text)).getIds();
}

function bytesOf(prefix: string): Buffer[] {
  return [readFileSync(`${prefix}_text_document.bin`), readFileSync(`${prefix}_text_document.idx`)];
}

describe("tokenizing documents into shards", () => {
  it("writes each document's own ids followed by the end-of-document id, in input order", async () => {
    const docs = koreanDocs(40);
    const prefix = path.join(tmpDir(), "ko");
    const result = await tokenizeToShards(docs, { prefix, tokenizer: tokenizerFile, privacyTokens, workers: 2, batchSize: 3 });
    const ds = readIndexedDataset(result.shards[0]!.path);
    expect(ds.documents).toBe(40);
    for (let i = 0; i < docs.length; i++) expect([...readDocument(ds, i)]).toEqual([...(await ownIds(docs[i]!.text)), EOD]);
    expect(verifyIndexedDataset(ds.path)).toEqual([]);
    expect(result).toMatchObject({ dtype: "uint16", eod_id: EOD, documents: 40, empty_documents: 0, tokens: ds.tokens, privacy_token_ids: { rrn: 1, tell: 2, acc: 3 } });
  });

  it("gives byte-identical shards with 0, 1 and 2 workers and any batch size", async () => {
    const docs = koreanDocs(60);
    const outputs: Buffer[][] = [];
    for (const [workers, batchSize] of [[0, 256], [1, 7], [2, 1], [2, 16]] as const) {
      const prefix = path.join(tmpDir(), "ko");
      await tokenizeToShards(docs, { prefix, tokenizer: tokenizerFile, privacyTokens, workers, batchSize });
      outputs.push(bytesOf(prefix));
    }
    for (const o of outputs.slice(1)) expect(o).toEqual(outputs[0]);
  });

  it("appends no end-of-document id with eod off", async () => {
    const docs = koreanDocs(5);
    const prefix = path.join(tmpDir(), "ko");
    const { shards } = await tokenizeToShards(docs, { prefix, tokenizer: tokenizerFile, privacyTokens, eod: false, workers: 0 });
    const ds = readIndexedDataset(shards[0]!.path);
    for (let i = 0; i < docs.length; i++) expect([...readDocument(ds, i)]).toEqual(await ownIds(docs[i]!.text));
  });

  it("skips and counts documents that tokenize to nothing, keeping the rest aligned", async () => {
    const docs: Document[] = [{ id: "a", text: "첫 문서", meta: {} }, { id: "empty", text: "", meta: {} }, { id: "b", text: "둘째 문서", meta: {} }];
    const dropped: string[] = [];
    const stats = new StageStats("tokenize", (e) => dropped.push(`${e.id}:${e.reason}`));
    const prefix = path.join(tmpDir(), "ko");
    const result = await tokenizeToShards(docs, { prefix, tokenizer: tokenizerFile, privacyTokens, stats, workers: 1 });
    const ds = readIndexedDataset(result.shards[0]!.path);
    expect(ds.documents).toBe(2);
    expect([...readDocument(ds, 1)]).toEqual([...(await ownIds("둘째 문서")), EOD]);
    expect(result.empty_documents).toBe(1);
    expect(dropped).toEqual(["empty:empty"]);
    const json = stats.toJSON();
    expect(json).toMatchObject({ docs_in: 3, docs_out: 2, filtered: { empty: 1 } });
    expect(json.counters).toEqual({ tokens: ds.tokens, eod_tokens: 2 });
    expect(Object.values(json.histograms.tokens_per_doc!).reduce((a, b) => a + b, 0)).toBe(2);
  });

  it("reports bytes per token over the text tokens (end-of-document ids not counted)", async () => {
    const docs = koreanDocs(10);
    const result = await tokenizeToShards(docs, { prefix: path.join(tmpDir(), "ko"), tokenizer: tokenizerFile, privacyTokens, workers: 0 });
    const textBytes = docs.reduce((n, d) => n + Buffer.byteLength(d.text), 0);
    expect(result.text_bytes).toBe(textBytes);
    expect(result.bytes_per_token).toBeCloseTo(textBytes / (result.tokens - 10), 3);
  });

  it("rolls to numbered shards at the token limit", async () => {
    const docs = koreanDocs(30);
    const prefix = path.join(tmpDir(), "ko");
    const { shards, tokens } = await tokenizeToShards(docs, { prefix, tokenizer: tokenizerFile, privacyTokens, shardTokens: 200, workers: 2 });
    expect(shards.length).toBeGreaterThan(1);
    expect(shards.map((s) => path.basename(s.path))[1]).toBe("ko-00001_text_document");
    for (const s of shards) {
      expect(s.tokens).toBeLessThanOrEqual(200);
      expect(verifyIndexedDataset(s.path)).toEqual([]);
    }
    expect(shards.reduce((n, s) => n + s.tokens, 0)).toBe(tokens);
  });

  it("decodes every document back to its text exactly", async () => {
    const docs = [...koreanDocs(20), { id: "x", text: "전화 <|tell|>, 계좌 <|acc|> 😀\n  English 3.14", meta: {} }];
    const { shards } = await tokenizeToShards(docs, { prefix: path.join(tmpDir(), "ko"), tokenizer: tokenizerFile, privacyTokens, workers: 2 });
    const ds = readIndexedDataset(shards[0]!.path);
    for (let i = 0; i < docs.length; i++) {
      const ids = [...readDocument(ds, i)];
      expect(ids.pop()).toBe(EOD);
      expect(await tokenizer.decode(ids, false)).toBe(docs[i]!.text);
    }
  });

  it("checks the privacy tokens before reading any document or writing any file", async () => {
    const dir = tmpDir();
    const tokFile = await writeTestTokenizer(dir, ["<|rrn|>", "<|tel|>", "<|acc|>"]);
    let read = 0;
    function* docs(): Generator<Document> {
      read++;
      yield { id: "a", text: "가", meta: {} };
    }
    await expect(tokenizeToShards(docs(), { prefix: path.join(dir, "ko"), tokenizer: tokFile, privacyTokens, workers: 0 })).rejects.toThrow(PrivacyTokenError);
    expect(read).toBe(0);
    expect(readdirSync(dir)).toEqual(["tokenizer.json"]);
  });

  it("leaves no dataset under its final name when reading fails midway", async () => {
    const dir = tmpDir();
    async function* docs(): AsyncGenerator<Document> {
      yield* koreanDocs(10);
      throw new Error("disk went away");
    }
    await expect(tokenizeToShards(docs(), { prefix: path.join(dir, "ko"), tokenizer: tokenizerFile, privacyTokens, workers: 2, batchSize: 2 })).rejects.toThrow("disk went away");
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("the bundled samples", () => {
  it("tokenize with samples/tokenizer.json and decode back to their text, document by document", async () => {
    const dir = tmpDir();
    const corpus = path.join(dir, "corpus");
    execFileSync(process.execPath, [fileURLToPath(new URL("../../samples/generate.mjs", import.meta.url)), corpus], { stdio: "ignore" });
    const docs = await collect(readDocuments(await resolveInputs([corpus]), { jsonPath: "data.*.paragraphs.*.context" }));
    const sampleTokenizer = fileURLToPath(new URL("../../samples/tokenizer.json", import.meta.url));
    const { shards } = await tokenizeToShards(docs, { prefix: path.join(dir, "ko"), tokenizer: sampleTokenizer, privacyTokens, workers: 2 });
    const ds = readIndexedDataset(shards[0]!.path);
    expect(ds.documents).toBe(docs.length);
    const decoder = Tokenizer.fromFile(sampleTokenizer);
    for (let i = 0; i < docs.length; i++) {
      const ids = [...readDocument(ds, i)];
      expect(ids.pop()).toBe(EOD);
      // The trained tokenizer normalizes to NFC, as korpipe clean does before it.
      expect(await decoder.decode(ids, false)).toBe(docs[i]!.text.normalize("NFC"));
    }
  });
});

describe("tokenizeDocuments", () => {
  it("yields every document with its ids in input order from a shared pool", async () => {
    const pool = new TokenizerPool({ tokenizerPath: tokenizerFile, workers: 2 });
    try {
      for (const n of [0, 1, 17]) {
        const docs = koreanDocs(n);
        const out = await collect(tokenizeDocuments(docs, { pool, batchSize: 4, eodId: null, dtype: "uint16" }));
        expect(out.map((t) => t.doc.id)).toEqual(docs.map((d) => d.id));
        for (let i = 0; i < n; i++) expect([...out[i]!.ids]).toEqual(await ownIds(docs[i]!.text));
      }
    } finally {
      await pool.close();
    }
  });
});
