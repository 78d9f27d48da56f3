/**
 * The part of a Hugging Face `tokenizers` Tokenizer that korpipe uses, as its own small interface.
 * korpipe's public declarations name this instead of the package's classes: the package's own
 * index.d.ts does not type-check under strict settings (it uses names it never declares), so a
 * public type that imported it would force every user onto skipLibCheck. A `Tokenizer` of the
 * package is one of these (checked where korpipe builds one).
 */
export interface HfEncoding {
  getIds(): number[];
}

export interface HfTokenizer {
  encode(text: string, pair?: string | null, options?: { addSpecialTokens?: boolean } | null): Promise<HfEncoding>;
  encodeBatch(texts: string[]): Promise<HfEncoding[]>;
  decode(ids: number[], skipSpecialTokens: boolean): Promise<string>;
  tokenToId(token: string): number | null;
  idToToken(id: number): string | null;
  getVocabSize(withAddedTokens?: boolean): number;
  getVocab(withAddedTokens?: boolean): Record<string, number>;
  addTokens(tokens: string[]): number;
}
