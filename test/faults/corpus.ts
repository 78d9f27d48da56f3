/**
 * Small corpora for the fault suite: every record has a known id and a planted personal number, so
 * a test can count that each input record ended in exactly one place and grep that no number was
 * left anywhere on disk.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import path from "node:path";

const SENTENCES = [
  "서울 시내의 작은 도서관에서 주말마다 어린이를 위한 책 읽기 모임이 열린다",
  "지역 주민들은 오래된 시장 골목을 새롭게 꾸미는 계획에 대해 의견을 나누었다",
  "올해 여름은 유난히 비가 많이 내려 농가의 걱정이 커지고 있다고 전해졌다",
  "새로 문을 연 박물관은 전통 공예품과 현대 미술 작품을 함께 전시하고 있다",
  "학생들은 방과 후에 운동장에 모여 축구와 농구를 하며 시간을 보냈다",
  "작은 마을의 빵집은 매일 아침 갓 구운 빵을 사려는 손님들로 붐빈다",
];

/** A phone number unique to record `i` (what the scrubber must replace). */
export const phoneOf = (i: number) => `010-${String(2000 + (i % 8000)).padStart(4, "0")}-${String(1000 + i).slice(-4)}`;

/** Korean text long enough to pass the default quality filter, distinct per record, with a phone number in it. */
export function textOf(i: number): string {
  const a = SENTENCES[i % SENTENCES.length]!;
  const b = SENTENCES[(i * 7 + 3) % SENTENCES.length]!;
  return `${i}번째 글입니다. ${a}. 문의는 ${phoneOf(i)} 번으로 연락 바랍니다. ${b}. 기록 번호 ${i * 7919} 끝.`;
}

export interface Rec {
  id: string;
  text: string;
  [k: string]: unknown;
}

export function records(prefix: string, n: number, from = 0): Rec[] {
  return Array.from({ length: n }, (_, k) => ({ id: `${prefix}-${from + k}`, text: textOf(from + k), source: "faults" }));
}

/** DIR/data with one JSONL file per entry; returns the data directory. */
export function writeDataDir(dir: string, files: Record<string, (Rec | string)[]>): string {
  const data = path.join(dir, "data");
  for (const [name, recs] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(data, name)), { recursive: true });
    writeJsonl(path.join(data, name), recs);
  }
  return data;
}

/** DIR/pipeline.json over `inputs` into DIR/out; returns both paths. */
export function writePipeline(dir: string, inputs: string[], stages: unknown[], extra: Record<string, unknown> = {}): { config: string; out: string } {
  const out = path.join(dir, "out");
  const config = path.join(dir, "pipeline.json");
  writeFileSync(config, JSON.stringify({ inputs, output: out, stages, ...extra }));
  return { config, out };
}

export function writeJsonl(file: string, recs: (Rec | string)[]): void {
  writeFileSync(file, recs.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n");
}

/** Every file under `dir`, recursively (dot directories and work directories included). */
export function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
    if (e.isFile()) out.push(p);
  }
  return out.sort();
}

/** The text of a file as stored, gunzipped when it is gzip (zstd outputs are not used here). */
function contentOf(file: string): string {
  const buf = readFileSync(file);
  return buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf).toString("utf8") : buf.toString("latin1") + buf.toString("utf8");
}

/** Files under `dir` holding any of the planted phone numbers of records 0..n-1. */
export function filesWithPlantedNumbers(dir: string, n: number): string[] {
  const numbers = Array.from({ length: n }, (_, i) => phoneOf(i));
  return allFiles(dir).filter((f) => statSync(f).size > 0 && numbers.some((num) => contentOf(f).includes(num)));
}

/** Ids of the JSONL records in the given files (blank lines skipped). */
export function idsIn(files: string[], key = "id"): string[] {
  return files.flatMap((f) =>
    readFileSync(f, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => String((JSON.parse(l) as Record<string, unknown>)[key])),
  );
}

export function readJsonl<T = Record<string, unknown>>(file: string): T[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}

/** Sorted copy, for comparing multisets of ids. */
export const sorted = (xs: string[]) => [...xs].sort();
