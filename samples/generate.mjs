#!/usr/bin/env node
/**
 * Writes the bundled sample corpus under samples/corpus/: a few hundred short Korean documents,
 * made up here from word lists and sentence patterns (no sentence taken from any real corpus), in
 * every input format korpipe reads. On purpose it also holds what a real crawl holds: exact and near
 * copies, short and non-Korean pages, repeated boilerplate lines, a few malformed records,
 * made-up personal numbers (phones, resident registration numbers, bank accounts) for the scrubber,
 * and web pages of every kind the Korean quality filters cut or drop (web.jsonl).
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


// Web pages of the kinds the quality filters exist for (docs/quality.md): good pages wrapped in
// boilerplate that line cleaning cuts, pages that must be kept although they look like lists
// (verse with a refrain, a recipe, a dialogue), and junk of every kind the korean-web preset drops.
function web() {
  const out = [];
  const add = (kind, text) => out.push({ id: `web-${kind}-${String(out.length).padStart(3, "0")}`, text, source: "web", kind });
  const headline = () => `${pick(places)}, ${pick(topics)} ${pick(["본격화", "논란", "확대", "재검토", "첫발"])}${pick(["…", "", " (종합)"])} ${pick(groups)} ${pick(["반발", "환영", "촉각"])}`;
  for (let i = 0; i < 4; i++) {
    add("news", `(${pick(places)}=샘플뉴스) 김기자 기자 = ${paragraph(int(3, 5))}\n${paragraph(2)}\n김기자 기자 reporter@example.com\n<저작권자 ⓒ 샘플뉴스, 무단전재 및 재배포 금지>\n관련기사\n▶ ${headline()}`);
  }
  add("poem", ["골목 끝 감나무에 붉은 등이 걸렸네", "할머니 부르던 노래 바람에 실려 오네", "가자 가자 고향으로 달빛 따라 가자", "그리운 마당에 다시 모여 앉자", "우물가 두레박은 누가 올려 주었나", "장독대 위에는 하얀 눈이 내렸네", "가자 가자 고향으로 달빛 따라 가자", "그리운 마당에 다시 모여 앉자"].join("\n"));
  add("recipe", ["두부조림 만드는 법", "- 두부 1모", "- 간장 3큰술", "- 고춧가루 1큰술", "- 다진 마늘 1큰술", "- 대파 반 대", "1. 두부는 도톰하게 썬다.", "2. 팬에 기름을 두르고 앞뒤로 노릇하게 굽는다.", "3. 양념을 끼얹고 약한 불에서 졸인다."].join("\n"));
  add("dialogue", ["“도서관 몇 시에 닫아?”", "“오늘은 여섯 시까지래.”", "“그럼 지금 가야겠다.”", "“나도 책 반납할 거 있어.”", "“같이 가자, 우산 챙겨.”", "“응, 금방 나갈게.”"].join("\n"));
  const junk = {
    nav_menu: () => Array.from({ length: 5 }, () => ["홈", "뉴스", "정치", "경제", "사회", "스포츠", "연예", "포토"].slice(int(0, 2), int(5, 8)).join(" | ")).join("\n"),
    chrome_footer: () => ["회사소개 | 이용약관 | 개인정보처리방침 | 청소년보호정책", `사업자등록번호 ${digits(3)}-${digits(2)}-${digits(5)} 통신판매업신고 제${digits(4)}호`, "고객센터 운영 안내 평일 오전 아홉 시부터", "Copyright © 샘플닷컴 All rights reserved."].join("\n"),
    cookie_banner: () => ["이 누리집은 더 나은 서비스를 위해 쿠키를 사용합니다.", "쿠키 설정에서 언제든 바꿀 수 있습니다.", "모든 쿠키 허용", "필수 쿠키만 허용", "쿠키 정책 보기"].join("\n"),
    login_page: () => ["로그인", "아이디 저장 자동 로그인", "아이디 찾기 비밀번호 찾기", "회원가입하고 혜택을 받아 보세요", "로그인 | 회원가입 | 고객센터"].join("\n"),
    gambling_spam: () => Array.from({ length: 4 }, () => `${pick(["안전놀이터", "메이저사이트", "토토사이트"])} 추천 ${pick(["먹튀검증", "가입코드", "꽁머니"])} 완료 ${pick(["바카라", "슬롯사이트", "파워볼"])} ${pick(["첫충", "매충"])} 이벤트`).join("\n"),
    massage_spam: () => Array.from({ length: 4 }, () => `${pick(places)}출장안마 ${pick(["출장마사지", "출장샵"])} 후불제 ${pick(["24시 상담", "카톡문의"])} 빠른 방문 ${pick(["출장안마", "출장마사지"])}`).join("\n"),
    price_list: () => Array.from({ length: 7 }, () => `${pick(["아메리카노", "카페라떼", "녹차라떼", "자몽에이드", "치즈케이크", "크로플", "김치찌개", "비빔밥"])} ${int(3, 15)},${pick(["000", "500"])}원`).join("\n"),
    seo_keywords: () => Array.from({ length: int(18, 30) }, () => pick(places) + pick(["맛집", "카페", "데이트", "술집", "브런치", "숙소"])).join(", "),
    hashtags: () => `${pick(sentencePatterns)()}\n` + Array.from({ length: 20 }, () => `#${pick(places)}${pick(["맛집", "카페", "여행", "일상", "데일리"])}`).join(" "),
    headline_list: () => Array.from({ length: 8 }, headline).join("\n"),
    comment_thread: () => Array.from({ length: 10 }, () => pick(["잘 보고 갑니다~", "좋은 정보 감사합니다!!", "퍼가요~", "저도요 ㅎㅎ", "ㄴ 그러게요", "구독하고 갑니다", "익명 12:34", "답글쓰기 신고"])).join("\n"),
    laugh_spam: () => Array.from({ length: 8 }, () => `${pick(["ㅋㅋㅋㅋㅋ", "ㅎㅎㅎ", "ㅠㅠㅠㅠ"])} ${pick(["진짜", "대박", "헐"])} ${pick(["ㅋㅋ", "ㅠㅠ"])}`).join("\n"),
    emoji_spam: () => Array.from({ length: 6 }, () => `${pick(["😂😂", "🔥🔥🔥", "👍👍", "✨💕"])} ${pick(["최고", "대박", "축하해요"])} ${pick(["😍", "🙏🙏"])}`).join("\n"),
    sentence_repeated: () => { const s = pick(sentencePatterns)(); return Array.from({ length: 6 }, () => s).join(" "); },
    mojibake: () => new TextDecoder("euc-kr").decode(Buffer.from(paragraph(4), "utf8")),
    lorem: () => Array.from({ length: 60 }, () => Array.from({ length: int(2, 4) }, () => String.fromCharCode(0xac00 + int(0, 11171))).join("")).join(" ") + ".",
    no_spaces: () => paragraph(4).replace(/ /g, ""),
  };
  for (const [kind, make] of Object.entries(junk)) for (let i = 0; i < 2; i++) add(kind, make());
  return jsonl(out);
}

mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, "news.jsonl"), news());
// mtime 0 keeps the gzip header, and so the file, identical between runs.
writeFileSync(path.join(outDir, "blog.jsonl.gz"), gzipSync(blog(), { level: 9 }));
writeFileSync(path.join(outDir, "forum.jsonl.zst"), zstdCompress(Buffer.from(forum())));
writeFileSync(path.join(outDir, "books.txt"), books());
writeFileSync(path.join(outDir, "wiki.json"), wiki());
writeFileSync(path.join(outDir, "web.jsonl"), web());
process.stderr.write(`sample corpus written to ${outDir}\n`);
