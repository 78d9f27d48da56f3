/**
 * The Korean quality rules as a specification: what the korean-web preset keeps, what it drops and
 * under which reason. Every text here is written for this test.
 */
import { describe, expect, it } from "vitest";
import { normalizeText } from "../../src/stages/normalize.js";
import { cleanLines } from "../../src/stages/quality/boilerplate-lines.js";
import { isKsx1001Syllable, KSX1001_SYLLABLE_COUNT } from "../../src/stages/quality/common-syllables.js";
import { judgeText } from "../../src/stages/quality/judge.js";
import { qualitySettings } from "../../src/stages/quality/options.js";
import { hangulRatio, qualityFilterReason } from "../../src/stages/quality-filter.js";

const webDefaults = qualitySettings();
const verdict = (text: string) => judgeText(normalizeText(text), webDefaults);
const reasonOf = (text: string) => verdict(text).reason;

const NEWS = [
  "시는 올해 하반기부터 노후한 버스 정류장 이백여 곳을 차례로 새로 단장하기로 했다.",
  "정류장마다 실시간 도착 안내판과 온열 의자를 설치하고 밤에는 조명을 밝게 바꾼다.",
  "시 관계자는 주민 설문에서 가장 많이 나온 요구를 먼저 반영했다고 설명했다.",
  "공사는 출퇴근 시간을 피해 야간에 진행되며 이용객 불편은 크지 않을 것으로 보인다.",
  "사업비는 모두 삼십억 원으로 국비와 시비가 절반씩 들어간다.",
  "시민단체는 교통약자를 위한 음성 안내 기능도 함께 갖춰야 한다고 요구했다.",
];

describe("korean-web keeps good Korean text", () => {
  it("keeps a news brief of three sentences", () => {
    expect(reasonOf(NEWS.slice(0, 3).join(" "))).toBeUndefined();
  });

  it("keeps a poem whose refrain repeats", () => {
    const refrain = ["돌아오라 돌아오라 봄바람 불어오면", "그리운 이 마을로 다시 돌아오라"];
    const poem = ["강 건너 버드나무 새잎이 돋았네", "어머니 빨래하던 돌 위에 햇살 앉았네", ...refrain, "장날이면 읍내 길에 사람들 모였지", "엿장수 가위 소리 골목을 채웠지", ...refrain, ...refrain];
    expect(reasonOf(poem.join("\n"))).toBeUndefined();
  });

  it("keeps a recipe of ingredient lines and numbered steps", () => {
    const recipe = [
      "감자조림 만드는 법",
      "재료",
      "- 감자 3개",
      "- 양파 반 개",
      "- 간장 4큰술",
      "- 물엿 2큰술",
      "- 물 1컵",
      "- 참기름 약간",
      "1. 감자는 껍질을 벗겨 한입 크기로 썬다.",
      "2. 찬물에 10분 담가 전분을 뺀다.",
      "3. 냄비에 감자와 물, 간장을 넣고 중간 불에서 졸인다.",
      "4. 국물이 자작해지면 물엿과 참기름을 넣고 섞는다.",
    ];
    expect(reasonOf(recipe.join("\n"))).toBeUndefined();
  });

  it("keeps a dialogue of short lines", () => {
    const dialogue = ["“오늘 저녁에 뭐 먹을까?”", "“비도 오는데 칼국수 어때?”", "“좋아, 시장 앞 그 집으로 가자.”", "“거기 줄 길지 않을까?”", "“일찍 가면 괜찮을 거야.”", "“그럼 여섯 시에 만나.”"];
    expect(reasonOf(dialogue.join("\n"))).toBeUndefined();
  });

  it("keeps a dialogue full of thanks and exclamations, which comments use too", () => {
    const dialogue = ["“선물 고마워!”", "“별거 아니야, 마음에 들어?”", "“대박, 진짜 예쁘다.”", "“저도요, 보자마자 너 생각났어.”", "“정말 감사합니다.”", "“에이, 뭘 그런 걸로.”"];
    expect(reasonOf(dialogue.join("\n"))).toBeUndefined();
  });

  it("keeps Korean prose full of English technical terms", () => {
    const text =
      "이번 릴리스에서는 Kubernetes의 Horizontal Pod Autoscaler 설정을 바꾸고 Prometheus로 p99 latency를 다시 측정했다. " +
      "TypeScript strict 모드에서 nullable 타입을 정리하자 runtime error가 눈에 띄게 줄었다. " +
      "CI 파이프라인은 GitHub Actions에서 self-hosted runner로 옮겼다.";
    expect(reasonOf(text)).toBeUndefined();
  });

  it("keeps an article under a long English title", () => {
    const text = `Designing Reliable Streaming Systems for Large Language Model Pretraining Data\n${NEWS.slice(0, 3).join(" ")}`;
    expect(reasonOf(text)).toBeUndefined();
  });

  it("keeps hanja glosses in parentheses", () => {
    const text = "훈민정음(訓民正音)은 백성(百姓)을 가르치는 바른 소리라는 뜻이다. 세종(世宗)은 이 글자를 만들어 누구나 쉽게 익히도록 했다. 당시 학자들 사이에서는 반대 의견도 적지 않았다.";
    expect(reasonOf(text)).toBeUndefined();
  });

  it("keeps text that arrived in NFD, once normalized (and even when the filter sees it raw)", () => {
    const nfd = NEWS.slice(0, 3).join(" ").normalize("NFD");
    expect(reasonOf(nfd)).toBeUndefined();
    expect(judgeText(nfd, webDefaults).reason).toBeUndefined();
  });

  it("keeps a blog post with a laugh and an emoji in it", () => {
    expect(reasonOf(`${NEWS.slice(0, 3).join(" ")} 생각보다 재미있었다 ㅋㅋ\n${NEWS.slice(3, 5).join(" ")} 다음에 또 가야지 😊`)).toBeUndefined();
  });
});

describe("korean-web drops junk, each under its reason", () => {
  it("drops a navigation menu (mostly_boilerplate: line cleaning cut most of it)", () => {
    const menu = Array.from({ length: 5 }, () => "홈 | 뉴스 | 정치 | 경제 | 사회 | 스포츠 | 연예").join("\n");
    expect(reasonOf(menu + "\n오늘의 주요 소식을 전해 드립니다")).toBe("mostly_boilerplate");
  });

  it("drops a footer of terms, privacy and business registration lines (page_chrome)", () => {
    const footer = ["회사소개 | 이용약관 | 개인정보처리방침 | 청소년보호정책", "사업자등록번호 000-00-00000 통신판매업신고 제0000호", "고객센터 운영시간 평일 오전 아홉 시부터 오후 여섯 시까지", "대표이사 아무개 주소 어느 시 어느 구 어느 길"];
    expect(reasonOf(footer.join("\n"))).toBe("page_chrome");
  });

  it("drops a cookie banner page (page_chrome)", () => {
    const text = "이 누리집은 더 나은 서비스를 위해 쿠키를 사용합니다.\n쿠키 설정에서 언제든 바꿀 수 있습니다.\n모든 쿠키 허용\n필수 쿠키만 허용\n쿠키 정책 자세히 보기";
    expect(reasonOf(text)).toBe("page_chrome");
  });

  it("drops gambling spam (spam_words)", () => {
    const line = "안전놀이터 추천 메이저사이트 먹튀검증 완료 토토사이트 가입코드 입력시 첫충 혜택";
    expect(reasonOf([line, line.split(" ").reverse().join(" "), line].join("\n"))).toBe("spam_words");
  });

  it("drops a price list (price_list)", () => {
    const prices = ["아메리카노 4,500원", "카페라떼 5,000원", "바닐라라떼 5,500원", "녹차라떼 5,500원", "자몽에이드 6,000원", "치즈케이크 6,500원"];
    expect(reasonOf(prices.join("\n"))).toBe("price_list");
    const board = ["아메리카노 …… 4.5", "카페라떼 …… 5.0", "바닐라라떼 …… 5.5", "콜드브루 …… 5.0", "레몬에이드 …… 6.0", "오늘의 케이크 …… 6.5"];
    expect(reasonOf(board.join("\n"))).toBe("price_list");
  });

  it("drops a page of terms of service (page_chrome)", () => {
    const terms = ["제1조(목적) 이 약관은 회사가 제공하는 서비스의 이용 조건과 절차를 정합니다.", "제2조(약관의 효력) 본 약관은 서비스 화면에 게시하여 효력이 생깁니다.", "제3조(이용계약) 이용계약은 회원가입 신청에 회사가 승낙하여 성립합니다.", "제4조(회원탈퇴) 회원은 언제든지 회원 탈퇴를 요청할 수 있습니다."];
    expect(reasonOf(terms.join("\n"))).toBe("page_chrome");
  });

  it("drops an SEO keyword list, with commas or with spaces (keyword_list)", () => {
    const places = ["강남", "역삼", "선릉", "삼성", "논현", "신사"];
    const things = ["맛집", "카페", "술집", "데이트", "브런치"];
    const keywords = places.flatMap((p) => things.map((t) => p + t));
    expect(reasonOf(keywords.join(", "))).toBe("keyword_list");
    expect(reasonOf(keywords.join(" "))).toBe("keyword_list");
    expect(reasonOf(`${NEWS[0]}\n${keywords.map((k) => "#" + k).join(" ")}`)).toBe("keyword_list");
  });

  it("drops a list of headlines (headline_list)", () => {
    const headlines = ["[속보] 기준금리 동결…물가 둔화 흐름 주시", "반도체 수출 석 달 연속 증가세", "서울 아파트값 5주 연속 상승…강남 주도", "‘역대급 폭염’ 전력 수요 최고치 경신", "프로야구 올스타전 투표 오늘 마감", "새 학기 교실 냉방 예산 논란 (종합)"];
    expect(reasonOf(headlines.join("\n"))).toBe("headline_list");
  });

  it("drops a comment thread of short lines (comment_thread)", () => {
    const comments = ["잘 보고 갑니다~", "좋은 정보 감사합니다!!", "저도 궁금했어요 ㅎㅎ", "익명 12:31", "ㄴ 그러게요 맞아요", "퍼가요~", "구독하고 갑니다", "답글쓰기 신고"];
    expect(reasonOf(comments.join("\n"))).toBe("comment_thread");
  });

  it("drops laughter and crying spam: compatibility jamo are not Hangul", () => {
    expect(hangulRatio("ㅋㅋㅋㅋㅋ ㅎㅎㅎ ㅠㅠㅠ")).toBe(0);
    const spam = Array.from({ length: 8 }, (_, i) => `ㅋㅋㅋㅋㅋ ${["진짜", "대박", "헐", "웃겨"][i % 4]} ㅋㅋ ㅠㅠ`).join("\n");
    expect(["jamo_emoji_spam", "low_hangul_ratio"]).toContain(reasonOf(spam));
  });

  it("drops emoji spam (jamo_emoji_spam)", () => {
    const spam = Array.from({ length: 6 }, (_, i) => `😂😂🤣🔥 ${["최고예요", "사랑해요", "축하해요"][i % 3]} 👍👍✨`).join("\n");
    expect(reasonOf(spam)).toBe("jamo_emoji_spam");
  });

  it("drops one sentence repeated on a single line", () => {
    const text = Array.from({ length: 6 }, () => NEWS[0]).join(" ");
    expect(["top_ngram", "duplicated_ngrams", "repeated_in_line"]).toContain(reasonOf(text));
  });

  it("drops a phrase repeated over and over (top_ngram)", () => {
    expect(reasonOf(Array.from({ length: 15 }, () => "오늘도 좋은 하루 보내세요").join(" "))).toBe("top_ngram");
  });

  it("drops the same lines repeated (repeated_lines)", () => {
    expect(reasonOf(Array.from({ length: 10 }, (_, i) => NEWS[i % 2]).join("\n"))).toBe("repeated_lines");
  });

  it("drops mojibake: UTF-8 Korean decoded as CP949", () => {
    const broken = new TextDecoder("euc-kr").decode(Buffer.from(NEWS.join(" "), "utf8"));
    expect(["mojibake", "low_hangul_ratio"]).toContain(reasonOf(broken));
  });

  it("drops text of random syllables from all 11,172 (mojibake) and from the common 2,350 (random_syllables)", () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const common = Array.from({ length: 11172 }, (_, i) => String.fromCharCode(0xac00 + i)).filter((s) => isKsx1001Syllable(s.charCodeAt(0)));
    const words = (pick: () => string) => Array.from({ length: 60 }, () => Array.from({ length: 2 + Math.floor(next() * 3) }, pick).join("")).join(" ") + ".";
    expect(reasonOf(words(() => String.fromCharCode(0xac00 + Math.floor(next() * 11172))))).toBe("mojibake");
    expect(reasonOf(words(() => common[Math.floor(next() * common.length)]!))).toBe("random_syllables");
  });

  it("drops word salad: real words, sentences ending on particles (word_salad)", () => {
    let seed = 3;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const salad = NEWS.map((s) => {
      const words = s.replace(/\.$/, "").split(" ");
      for (let i = words.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [words[i], words[j]] = [words[j]!, words[i]!];
      }
      // The predicate must not land last, or the sentence would read as finished.
      if (/다$/.test(words[words.length - 1]!)) words.unshift(words.pop()!);
      return words.join(" ") + ".";
    });
    expect(reasonOf(salad.join(" "))).toBe("word_salad");
  });

  it("drops text without spaces and spaced-out letters (word_length)", () => {
    expect(reasonOf(NEWS.join("").replace(/ /g, ""))).toBe("word_length");
    expect(reasonOf([...NEWS.slice(0, 2).join("").replace(/ /g, "")].join(" "))).toBe("word_length");
  });
});

describe("line cleaning", () => {
  const body = NEWS.slice(0, 4).join(" ");

  it("cuts a news page's tail from its first boilerplate line on, and counts it", () => {
    const page = `${body}\n홍길동 기자 gildong@example.com\n<저작권자 ⓒ 어느신문, 무단전재 및 재배포 금지>\n관련기사\n다른 기사 제목 하나`;
    const r = cleanLines(page);
    expect(r.text).toBe(body);
    expect(r.cuts).toEqual({ byline: 1, news_tail: 3 });
  });

  it("takes a dateline off the front of its line and keeps the rest", () => {
    const r = cleanLines(`(서울=어느뉴스) 홍길동 기자 = ${body}`);
    expect(r.text).toBe(body);
    expect(r.cuts).toEqual({ dateline: 1 });
  });

  it("cuts link lines and share buttons but keeps a long sentence that mentions copyright", () => {
    const prose = "저작권 보호 기간이 끝난 작품은 누구나 자유롭게 이용할 수 있어서, 도서관들은 오래된 고전을 디지털로 옮겨 무료로 공개하고 있다.";
    const r = cleanLines(`${prose}\n▶ 다른 기사 보러 가기\n카카오톡 공유 페이스북 공유 URL 복사\n${body}`);
    expect(r.text).toBe(`${prose}\n${body}`);
    expect(r.cuts).toEqual({ link_line: 1, boilerplate: 1 });
  });

  it("keeps a page that has no furniture unchanged (the same string)", () => {
    expect(cleanLines(body).text).toBe(body);
  });

  it("keeps a news article once its tail is cut", () => {
    const v = verdict(`(부산=어느뉴스) 홍길동 기자 = ${body}\n${NEWS[4]}\n무단전재 및 재배포 금지`);
    expect(v.reason).toBeUndefined();
    expect(v.text).toBe(`${body}\n${NEWS[4]}`);
  });
});

describe("presets", () => {
  it("basic applies only the three original rules", () => {
    const spam = ["안전놀이터 추천 메이저사이트 먹튀검증 완료 토토사이트 가입코드 입력시 첫충 혜택", "바카라 카지노사이트 슬롯사이트 파워볼 꽁머니 지급 이벤트 진행 중입니다 지금 바로"].join("\n");
    expect(qualityFilterReason(spam, { preset: "basic" })).toBeUndefined();
    expect(qualityFilterReason(spam)).toBe("spam_words");
    expect(qualityFilterReason("짧은 글", { preset: "basic" })).toBe("too_short");
    expect(qualityFilterReason("This page is in English with only one Korean word, 안녕, in it at all.", { preset: "basic" })).toBe("low_hangul_ratio");
  });

  it("a key set by the user overrides the preset; its neutral value turns the rule off", () => {
    const prices = ["아메리카노 4,500원", "카페라떼 5,000원", "바닐라라떼 5,500원", "녹차라떼 5,500원", "자몽에이드 6,000원", "치즈케이크 6,500원"].join("\n");
    expect(qualityFilterReason(prices, { maxPriceLineShare: 1, maxKeywordListShare: 1 })).toBeUndefined();
    expect(qualityFilterReason(prices, { preset: "basic", maxPriceLineShare: 0.5 })).toBe("price_list");
  });
});

describe("KS X 1001", () => {
  it("generates the 2,350 common syllables from the platform's EUC-KR decoder", () => {
    let n = 0;
    for (let c = 0xac00; c <= 0xd7a3; c++) if (isKsx1001Syllable(c)) n++;
    expect(n).toBe(KSX1001_SYLLABLE_COUNT);
    expect(isKsx1001Syllable("한".charCodeAt(0))).toBe(true);
    // 똠 and 햏 are the classic syllables EUC-KR could not write.
    expect(isKsx1001Syllable("똠".charCodeAt(0))).toBe(false);
    expect(isKsx1001Syllable("햏".charCodeAt(0))).toBe(false);
  });
});
