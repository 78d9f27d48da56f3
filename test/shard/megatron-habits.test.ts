import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readIndexedDataset } from "../../src/shard/indexed-dataset.js";
import { korpipe, ROOT } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";

const TOKENIZER = path.join(ROOT, "samples", "tokenizer.json");

function corpus(dir: string): string {
  const file = path.join(dir, "d.jsonl");
  const rows = Array.from({ length: 6 }, (_, i) => ({ id: String(i), text: `${i}번째 본문은 도서관의 독서 모임 이야기입니다.`, title: `제목 ${i}` }));
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return file;
}

describe("korpipe tokenize with preprocess_data.py's flags", () => {
  it("--input, --output-prefix, --json-keys, --append-eod, --workers: one dataset per key, named as Megatron names them", () => {
    const dir = tmpDir();
    const file = corpus(dir);
    const prefix = path.join(dir, "out", "ko");
    const r = korpipe(["tokenize", "--input", file, "--output-prefix", prefix, "--tokenizer", TOKENIZER, "--json-keys", "text", "title", "--append-eod", "--workers", "1"]);
    expect(r.status, r.stderr).toBe(0);
    const text = readIndexedDataset(`${prefix}_text_document`);
    const title = readIndexedDataset(`${prefix}_title_document`);
    expect([text.documents, title.documents]).toEqual([6, 6]);
    expect(title.tokens).toBeLessThan(text.tokens);
    // The same as tokenizing each key on its own with --text-key.
    const alone = path.join(dir, "alone");
    expect(korpipe(["tokenize", file, "-o", alone, "--tokenizer", TOKENIZER, "--text-key", "title", "--workers", "1"]).status).toBe(0);
    expect(readFileSync(`${alone}_text_document.bin`).equals(readFileSync(`${prefix}_title_document.bin`))).toBe(true);
  });

  it("explains --text-key with a comma instead of rejecting every document", () => {
    const dir = tmpDir();
    const r = korpipe(["tokenize", corpus(dir), "-o", path.join(dir, "x"), "--tokenizer", TOKENIZER, "--text-key", "text,title"]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('korpipe: error: --text-key takes one field, not "text,title"; for one dataset per key, give --json-keys text title');
  });

  it("refuses a tokenize without an output prefix, naming both spellings", () => {
    const dir = tmpDir();
    const r = korpipe(["tokenize", corpus(dir), "--tokenizer", TOKENIZER]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("-o PREFIX (or --output-prefix PREFIX)");
  });
});

describe("the tokenizer sidecar and merge", () => {
  it("records the tokenizer beside each dataset, and merge refuses datasets from different tokenizers unless told", () => {
    const dir = tmpDir();
    const file = corpus(dir);
    const other = path.join(dir, "other-tokenizer.json");
    expect(korpipe(["train-tokenizer", file, "-o", other, "--vocab-size", "300", "--no-progress"]).status).toBe(0);
    expect(korpipe(["tokenize", file, "-o", path.join(dir, "a"), "--tokenizer", TOKENIZER, "--workers", "1"]).status).toBe(0);
    expect(korpipe(["tokenize", file, "-o", path.join(dir, "b"), "--tokenizer", TOKENIZER, "--workers", "1"]).status).toBe(0);
    expect(korpipe(["tokenize", file, "-o", path.join(dir, "c"), "--tokenizer", other, "--workers", "1"]).status).toBe(0);
    const sidecar = JSON.parse(readFileSync(path.join(dir, "a_text_document.json"), "utf8"));
    expect(sidecar).toMatchObject({ vocab_size: 2000, eod_id: 0, dtype: "uint16", tokenizer_path: TOKENIZER });
    expect(sidecar.tokenizer_sha256).toMatch(/^[0-9a-f]{64}$/);

    const same = korpipe(["merge", path.join(dir, "a"), path.join(dir, "b"), "-o", path.join(dir, "ab")]);
    expect(same.status, same.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, "ab_text_document.json"), "utf8")).tokenizer_sha256).toBe(sidecar.tokenizer_sha256);

    const mixed = korpipe(["merge", path.join(dir, "a"), path.join(dir, "c"), "-o", path.join(dir, "ac")]);
    expect(mixed.status).toBe(1);
    expect(mixed.stderr).toMatch(/refusing to merge datasets made by different tokenizers: .*--allow-mixed-tokenizers/);
    const allowed = korpipe(["merge", path.join(dir, "a"), path.join(dir, "c"), "-o", path.join(dir, "ac"), "--allow-mixed-tokenizers"]);
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(readIndexedDataset(path.join(dir, "ac_text_document")).documents).toBe(12);
  });

  it("never reads a dataset's sidecar as corpus when a directory of datasets is given as input", () => {
    const dir = tmpDir();
    const file = corpus(dir);
    const out = path.join(dir, "datasets");
    expect(korpipe(["tokenize", file, "-o", path.join(out, "ko"), "--tokenizer", TOKENIZER, "--workers", "1"]).status).toBe(0);
    const r = korpipe(["clean", out, "-o", path.join(dir, "cleaned")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/holds no readable files/);
  });
});
