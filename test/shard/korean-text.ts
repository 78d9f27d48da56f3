/** Made-up Korean documents for the shard tests (no sentence from any real corpus). */
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Document } from "../../src/types.js";
import { trainTokenizer } from "../../src/shard/train-tokenizer.js";

const subjects = ["우리 동네 도서관은", "새로 생긴 빵집이", "주말 시장에서는", "기차역 앞 공원이", "오래된 극장은", "학교 운동장에서"];
const middles = ["아침마다 사람들로 붐비고", "조용한 음악을 틀어 두고", "지역 농산물을 팔면서", "봄이 되면 꽃이 피어서", "저녁 늦게까지 문을 열고"];
const endings = ["모두가 즐겁게 지낸다.", "이웃들이 자주 찾아온다.", "작은 축제가 열리기도 한다.", "아이들이 뛰어논다.", "따뜻한 차를 나눠 준다."];

/** A deterministic paragraph: a few sentences chosen by `seed`. */
export function koreanParagraph(seed: number, sentences = 3): string {
  const parts: string[] = [];
  for (let i = 0; i < sentences; i++) {
    const k = seed * 7 + i * 13;
    parts.push(`${subjects[k % subjects.length]} ${middles[(k >> 1) % middles.length]} ${endings[(k >> 2) % endings.length]}`);
  }
  return parts.join(" ");
}

export function koreanDocs(n: number, prefix = "d"): Document[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, text: koreanParagraph(i, 1 + (i % 4)), meta: {} }));
}

/** Trains a small tokenizer on koreanDocs and writes it to DIR/tokenizer.json. */
export async function writeTestTokenizer(dir: string, specialTokens = ["<|rrn|>", "<|tell|>", "<|acc|>"], vocabSize = 400): Promise<string> {
  const trained = await trainTokenizer(koreanDocs(200), { vocabSize, specialTokens });
  const file = path.join(dir, "tokenizer.json");
  writeFileSync(file, trained.json);
  return file;
}
