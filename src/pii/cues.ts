/**
 * The words that decide ambiguous numbers. Each list is a global regex over the NFKC view; the
 * recognizers take the cue that stands nearest before a number (see context.ts nearestCue).
 */

// --- resident registration numbers ---

/** Bare 13 digits, or a century digit 9/0, count as an RRN only after one of these. */
export const RRN_CUE = /주민|외국인\s?등록|생년월일|신분증|(?<![A-Za-z])(?:[Rr][Rr][Nn]|[Ss][Ss][Nn]|[Jj]umin|JUMIN|[Rr]esident|RESIDENT)/g;
/** Numbers with the RRN layout that are something else (corporate registration shares 6-7). */
export const RRN_BLOCK = /법인|사업자|바코드|ISBN|isbn|주문\s?번호|송장|사건/g;

// --- phone numbers ---

export const TELL_CUE =
  /전화|연락|문의|상담|고객\s?센터|콜\s?센터|대표\s?번호|안내\s?번호|휴대폰|핸드폰|팩스|[Tt][Ee][Ll]|[Ff][Aa][Xx]|☎|☏|📞|[Pp]hone|PHONE|[Mm]obile|MOBILE|(?<![A-Za-z])(?:hp|HP|cell)(?![A-Za-z])/g;
/** Unseparated phone-shaped digits after these are identifiers, not phone numbers. */
export const TELL_BLOCK_BARE =
  /주문\s?번호|송장|택배|바코드|ISBN|isbn|사업자|법인|카드|학번|일련\s?번호|승인\s?번호|회원\s?번호|고객\s?번호|등록\s?번호|사건|모델|품번|제품\s?번호|코드|금액|가격|요금|비용|총액|합계|잔액|매출|연봉|월급|급여|보증금|월세|전세|매매가|분양가|대금|가액|판매가|정가|할인가|결제액|예산|수익|원가|시세|[Pp]rice|[Aa]mount/g;

// --- bank accounts ---

/** Words that make a 10-14 digit number in the same clause an account. */
export const ACCOUNT_CUE = /계좌|입금|송금|이체|예금주|통장|[Aa]ccount|ACCOUNT|(?<![A-Za-z])(?:acct|ACCT|acc_?no|bank_?acc\w*)(?![A-Za-z])/g;
/** A phone-shaped number right after these is an account (banks issue phone-number accounts). */
export const ACCOUNT_RIGHT_BEFORE = /계좌\s?(?:번호)?\s?(?:는|은|로|를|가|:|=)?\s?[:(]?\s?$/;
/** Bank names that are not ordinary words. */
export const BANK =
  /KB|NH|IBK|KEB|KDB|SC\s?제일|SC\s?은행|농협|신한|카카오\s?뱅크|카뱅|토스\s?뱅크|케이\s?뱅크|K\s?뱅크|iM\s?뱅크|우체국|새마을\s?금고|신협|수협|씨티|시티\s?은행|산업\s?은행|저축\s?은행|(?:국민|우리|하나|기업|부산|대구|광주|경남|전북|제주|제일)\s?은행/g;
/**
 * Bank names that are also words ("우리는", "국민 여러분", "하나", place names): they count only
 * when followed by 은행 (then BANK matches) or touching the number.
 */
const WORD_BANKS = "국민|우리|하나|기업|부산|대구|광주|경남|전북|제주";
export const WORD_BANK_TOUCHING_BEFORE = new RegExp(`(?:${WORD_BANKS})[ :(]{0,2}$`);
export const WORD_BANK_TOUCHING_AFTER = new RegExp(`^[ )]{0,2}\\(?(?:${WORD_BANKS})(?![가-힣])`);
/** Identifiers and other numbers that take the account shape. */
export const ACCOUNT_BLOCK =
  /사업자|법인|바코드|ISBN|isbn|주문\s?번호|송장|택배|카드|학번|사건|회원\s?번호|고객\s?번호|승인\s?번호|일련\s?번호|등록\s?번호|전화|연락처|휴대폰|핸드폰|팩스|문의|주민|우편|[Tt][Ee][Ll]/g;
