#!/usr/bin/env node
/**
 * Writes the bundled sample corpus under samples/corpus/: a few hundred short Korean documents,
 * made up here from word lists and sentence patterns (no sentence taken from any real corpus), in
 * every input format korpipe reads. On purpose it also holds what a real crawl holds: exact and near
 * copies, short and non-Korean pages, repeated boilerplate lines, a few malformed records, and
 * made-up personal numbers (phones, resident registration numbers, bank accounts) for the scrubber.
 * Deterministic: the same files on every run.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { compress as zstdCompress } from "zstd-napi";

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(process.argv[2] ?? path.join(here, "corpus"));

// mulberry32: small, fast and good enough to make varied text reproducibly.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(20261126);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const digits = (n) => Array.from({ length: n }, () => int(0, 9)).join("");

const places = ["서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "수원", "전주", "춘천", "제주", "강릉", "포항", "청주", "목포"];
const groups = ["시민단체", "연구진", "주민들", "교육청", "시의회", "상인회", "지역 대학", "구청", "소방서", "도서관", "박물관", "보건소"];
const topics = ["도시 재생 사업", "청년 주거 지원", "대중교통 노선 개편", "지역 축제", "공공 도서관 확충", "미세먼지 저감 대책", "전통시장 활성화", "해안 정화 활동", "어린이 안전 교육", "문화유산 보존", "노인 돌봄 서비스", "자전거 도로 정비", "재활용 분리수거", "농산물 직거래 장터", "기후 변화 대응"];
const adjs = ["새로운", "꾸준한", "다양한", "체계적인", "적극적인", "작은", "오래된", "지속 가능한", "참신한", "실질적인"];
const verbsPast = ["발표했다", "시작했다", "마련했다", "검토하고 있다", "추진하기로 했다", "확대했다", "공개했다", "논의했다", "점검했다", "준비하고 있다"];
const results = ["참여자가 크게 늘었다", "주민 만족도가 높아졌다", "예산 문제가 제기되었다", "개선 요구가 이어졌다", "관심이 모이고 있다", "좋은 반응을 얻었다", "보완이 필요하다는 지적이 나왔다", "성과가 확인되었다"];
const times = ["올해", "지난달", "이번 주", "내년 상반기", "지난해 가을", "다음 달", "최근", "오는 봄"];
const nouns = ["계획", "설명회", "조사 결과", "시범 운영", "협약", "토론회", "안내문", "보고서"];
const hobbies = ["등산", "요리", "사진 촬영", "독서 모임", "텃밭 가꾸기", "마라톤", "캠핑", "그림 그리기", "악기 연주", "여행 기록"];
const feelings = ["즐거웠다", "생각보다 어려웠다", "뿌듯했다", "새로운 경험이었다", "다시 해보고 싶다", "조금 아쉬웠다"];
const banks = ["국민은행", "신한은행", "우리은행", "하나은행", "농협", "기업은행", "카카오뱅크", "토스뱅크", "우체국", "새마을금고"];

/** Attaches the particle form that fits the word's last syllable (은/는, 이/가, 을/를, 과/와). */
function j(word, withFinal, withoutFinal) {
  const c = word.charCodeAt(word.length - 1);
  const hasFinal = c >= 0xac00 && c <= 0xd7a3 ? (c - 0xac00) % 28 !== 0 : false;
  return word + (hasFinal ? withFinal : withoutFinal);
}
const eun = (w) => j(w, "은", "는");
const eul = (w) => j(w, "을", "를");
const i_ = (w) => j(w, "이", "가");

const sentencePatterns = [
  () => `${pick(places)}의 ${eun(pick(groups))} ${pick(times)} ${pick(topics)}에 관한 ${pick(adjs)} ${eul(pick(nouns))} ${pick(verbsPast)}.`,
  () => `${eun(pick(topics))} ${pick(places)} 지역에서 ${pick(adjs)} 관심을 받고 있으며 ${pick(results)}.`,
  () => `관계자는 "${eul(pick(topics))} 통해 ${pick(adjs)} 변화를 만들겠다"고 말했다.`,
  () => `${pick(times)} 열린 ${pick(nouns)}에는 약 ${int(20, 900)}명이 참석했고 ${pick(results)}.`,
  () => `${eun(pick(groups))} ${pick(topics)}의 효과를 높이기 위해 ${pick(adjs)} 방안을 ${pick(verbsPast)}.`,
  () => `전문가들은 ${i_(pick(topics))} ${pick(places)}의 미래에 중요한 역할을 할 것이라고 내다봤다.`,
  () => `이번 ${eun(pick(nouns))} ${int(2019, 2025)}년 ${int(1, 12)}월 ${int(1, 28)}일까지 진행되며 비용은 ${int(1, 90)},${digits(3)}원이다.`,
  () => `주말에는 ${eul(pick(hobbies))} 하며 시간을 보냈는데 ${pick(feelings)}.`,
  () => `${pick(places)}에서 ${pick(hobbies)} 모임을 찾는 사람이 늘면서 ${pick(results)}.`,
  () => `처음 ${eul(pick(hobbies))} 배울 때는 ${pick(adjs)} 계획을 세우는 것이 도움이 된다.`,
];

function paragraph(nSentences) {
  return Array.from({ length: nSentences }, () => pick(sentencePatterns)()).join(" ");
}

// Made-up personal numbers; the RRN dates are valid so the scrubber must catch them.
const fakePhone = () => pick([`010-${digits(4)}-${digits(4)}`, `02-${digits(3)}-${digits(4)}`, `031-${digits(3)}-${digits(4)}`, `010 ${digits(4)} ${digits(4)}`, `1588-${digits(4)}`]);
const fakeRrn = () => `${String(int(60, 99)).padStart(2, "0")}${String(int(1, 12)).padStart(2, "0")}${String(int(1, 28)).padStart(2, "0")}-${int(1, 2)}${digits(6)}`;
const fakeAccount = () => `${digits(3)}-${digits(2)}-${digits(6)}`;
const piiSentences = [
  () => `문의 사항은 담당자 연락처 ${fakePhone()}로 전화하면 안내를 받을 수 있다.`,
  () => `참가비는 ${pick(banks)} ${fakeAccount()} (예금주 ${pick(groups)})로 입금하면 된다.`,
  () => `신청서에는 주민등록번호 ${fakeRrn()}와 주소를 적어야 한다고 안내했다.`,
  () => `후원 계좌: ${fakeAccount()} ${pick(banks)}, 문의 ${fakePhone()}`,
];

function makeDoc(i, kind) {
  let text = paragraph(int(3, 7));
  if (rand() < 0.12) text += " " + pick(piiSentences)();
  if (rand() < 0.3) text += "\n" + paragraph(int(2, 4));
  return { id: `${kind}-${String(i).padStart(4, "0")}`, text, source: kind, date: `2025-${String(int(1, 12)).padStart(2, "0")}-${String(int(1, 28)).padStart(2, "0")}` };
}

/** A copy with one word swapped: a near duplicate (word 5-gram Jaccard above 0.8) for the dedup stage. */
function nearCopy(doc, id) {
  const words = doc.text.split(" ");
  words[int(0, words.length - 1)] = pick(["그리고", "또한", "한편", "특히"]);
  return { ...doc, id, text: words.join(" ") };
}

const jsonl = (records) => records.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n";

function news() {
  const docs = Array.from({ length: 150 }, (_, i) => makeDoc(i, "news"));
  const out = [...docs];
  out.push({ ...docs[3], id: "news-copy-0003" }); // exact copy
  out.push({ ...docs[10], id: "news-copy-0010" });
  out.push(nearCopy(docs[20], "news-near-0020"));
  out.push(nearCopy(docs[33], "news-near-0033"));
  out.push({ id: "news-short", text: "짧은 공지입니다.", source: "news" });
  out.push({ id: "news-english", text: "This page is written entirely in English and has almost no Korean characters at all, so the Hangul ratio filter should drop it.", source: "news" });
  out.push({ id: "news-menu", text: ["홈 | 뉴스 | 스포츠 | 연예", "로그인 회원가입", "홈 | 뉴스 | 스포츠 | 연예", "로그인 회원가입", "홈 | 뉴스 | 스포츠 | 연예", "저작권 안내 및 이용 약관"].join("\n"), source: "news" });
  out.push({ id: "news-spaces", text: "  여러   칸의    공백과\u200b 보이지 않는 문자가\u00a0섞인 문장도 정리되어야 한다. " + paragraph(3) + "  ", source: "news" });
  // Malformed records: a cut-off JSON line, a record without text, a record whose text is a number.
  out.splice(40, 0, '{"id": "news-broken", "text": "닫히지 않은 문자열');
  out.splice(80, 0, { id: "news-no-text", title: "본문 없음" });
  out.splice(120, 0, { id: "news-number-text", text: 12345 });
  return jsonl(out);
}

function blog() {
  const docs = Array.from({ length: 90 }, (_, i) => makeDoc(i, "blog"));
  docs.push({ ...docs[5], id: "blog-copy-0005" });
  return jsonl(docs);
}

function forum() {
  const docs = Array.from({ length: 60 }, (_, i) => {
    const d = makeDoc(i, "forum");
    return { post_id: `forum-${i}`, text: d.text, board: pick(["자유게시판", "질문과 답변", "정보 공유"]) };
  });
  return jsonl(docs);
}

function books() {
  // One document per line; line 7 holds bytes that are not UTF-8.
  const lines = Array.from({ length: 40 }, () => paragraph(int(3, 6)));
  const parts = lines.map((l) => Buffer.from(l + "\n", "utf8"));
  parts.splice(6, 0, Buffer.concat([Buffer.from("깨진 인코딩 줄 ", "utf8"), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from("\n")]));
  return Buffer.concat(parts);
}

function wiki() {
  const data = Array.from({ length: 12 }, (_, a) => ({
    title: `${pick(places)} ${pick(topics)} ${a}`,
    paragraphs: Array.from({ length: int(2, 5) }, () => ({ context: paragraph(int(4, 8)), qas: [{ question: "무엇인가?", id: `q${a}` }] })),
  }));
  return JSON.stringify({ version: "sample-1", data }, null, 1);
}

mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, "news.jsonl"), news());
// mtime 0 keeps the gzip header, and so the file, identical between runs.
writeFileSync(path.join(outDir, "blog.jsonl.gz"), gzipSync(blog(), { level: 9 }));
writeFileSync(path.join(outDir, "forum.jsonl.zst"), zstdCompress(Buffer.from(forum())));
writeFileSync(path.join(outDir, "books.txt"), books());
writeFileSync(path.join(outDir, "wiki.json"), wiki());
process.stderr.write(`sample corpus written to ${outDir}\n`);
