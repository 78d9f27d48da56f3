/**
 * The two engines behind the batch seam: korpipe's own (`fast`) and Hugging Face tokenizers
 * (`hf`), each appending a batch's ids to one buffer and recording where each text ends. Both cut
 * long documents at exact boundaries when the tokenizer allows it (see long-documents.ts).
 */
import path from "node:path";
import { nfcNormalizer, nfdNormalizer, nfkcNormalizer, nfkdNormalizer, sequenceNormalizer, Tokenizer, type Normalizer } from "tokenizers";
import type { HfTokenizer } from "../hf-tokenizer.js";
import { FastEncoder, type FastEncoderOptions } from "./fast-encoder.js";
import { IdBuffer } from "./id-buffer.js";
import { cutAtSpaces, cutsAreExact, CHUNK_CHARS } from "./long-documents.js";
import { engineSpec, specProblem, type NormalizerForm } from "./tokenizer-spec.js";
import { readTokenizerFile } from "../tokenizer-file.js";

export type EngineName = "fast" | "hf";
export type EngineChoice = "auto" | EngineName;
export const ENGINE_CHOICES: readonly EngineChoice[] = ["auto", "fast", "hf"];

export interface TokenEngine {
  readonly name: EngineName;
  /** The pieces this engine encodes `text` as: itself, or exact cuts of a long one. */
  pieces(text: string): string[];
  /** Appends every text's ids to `out`; `ends[i]` is `out.length` after text i. */
  encodeAll(texts: string[], out: IdBuffer, ends: Int32Array): Promise<void> | void;
}

/** What both engines share: a text is encoded as itself, or as cuts of a long one when they are exact (`cut` = piece size, 0 for none). */
abstract class PiecewiseEngine {
  constructor(protected readonly cut: number) {}

  pieces(text: string): string[] {
    return this.cut > 0 && text.length > this.cut ? cutAtSpaces(text, this.cut) : [text];
  }
}

export class FastEngine extends PiecewiseEngine implements TokenEngine {
  readonly name = "fast";
  constructor(
    readonly encoder: FastEncoder,
    cut: number,
  ) {
    super(cut);
  }

  encodeAll(texts: string[], out: IdBuffer, ends: Int32Array): void {
    texts.forEach((text, i) => {
      for (const piece of this.pieces(text)) this.encoder.encode(piece, out);
      ends[i] = out.length;
    });
  }
}

/**
 * The library's memory grows with the text of one `encodeBatch` call: it keeps offsets, token
 * strings and alignments per byte until the call's Encoding objects are collected, which V8 does
 * not hurry (it does not see their size). Measured on one 60 MB Korean document, one thread:
 * pieces of 256K code units peaked at 554 MB (46.6 CPU-s), of 16K at 239 MB (34.4 CPU-s). So the
 * library gets small pieces, and calls of a few of them.
 */
export const HF_CHUNK_CHARS = 1 << 14;
const HF_CALL_CHARS = 1 << 16;

export interface LoadEngineOptions extends FastEncoderOptions {
  /** Long documents are encoded in pieces of about this many UTF-16 code units, when exact (default 256K; 16K for `hf`). */
  chunkChars?: number;
}

export class HfEngine extends PiecewiseEngine implements TokenEngine {
  readonly name = "hf";
  constructor(
    readonly tokenizer: HfTokenizer,
    cut: number,
  ) {
    super(cut);
  }

  async encodeAll(texts: string[], out: IdBuffer, ends: Int32Array): Promise<void> {
    let call: string[] = [];
    // For each piece in the call, the text it ends (or -1 when more pieces of its text follow).
    let endsText: number[] = [];
    let callChars = 0;
    const flush = async () => {
      const encodings = await this.tokenizer.encodeBatch(call);
      encodings.forEach((encoding, k) => {
        const ids = encoding.getIds();
        out.reserve(ids.length);
        out.ids.set(ids, out.length);
        out.length += ids.length;
        if (endsText[k]! >= 0) ends[endsText[k]!] = out.length;
      });
      call = [];
      endsText = [];
      callChars = 0;
    };
    for (let i = 0; i < texts.length; i++) {
      const pieces = this.pieces(texts[i]!);
      for (let p = 0; p < pieces.length; p++) {
        call.push(pieces[p]!);
        endsText.push(p === pieces.length - 1 ? i : -1);
        callChars += pieces[p]!.length;
        if (callChars >= HF_CALL_CHARS) await flush();
      }
    }
    if (call.length > 0) await flush();
  }
}

export interface EnginePlan {
  engine: EngineName;
  /** One line for the user when `auto` falls back to Hugging Face, saying why. */
  notice?: string;
  /**
   * Whether a long text may be cut before a space into pieces that encode to the whole text's ids
   * (see long-documents.ts): then a worker thread is sent pieces, never a whole long document.
   */
  exactCuts: boolean;
}

/** Reads the tokenizer.json at `file` as JSON (the loader has already checked that it is one). */
const readJson = (file: string): unknown => readTokenizerFile(file).json;

interface TokenizerFacts {
  /** Why the fast engine cannot reproduce it; undefined when it can. */
  problem: string | undefined;
  exactCuts: boolean;
}
// The command and the pool of the same thread each ask about the same file: read it once.
const facts = new Map<string, TokenizerFacts>();
function factsOf(file: string, json?: unknown): TokenizerFacts {
  let f = facts.get(file);
  if (!f) {
    const j = json ?? readJson(file);
    f = { problem: specProblem(j), exactCuts: cutsAreExact(j) };
    facts.set(file, f);
  }
  return f;
}

/**
 * Which engine tokenizes with `file`: `fast` when asked for or when `auto` finds the tokenizer is
 * one the fast engine reproduces exactly, else `hf`. Asking for `fast` on any other tokenizer is
 * refused before work starts.
 */
export function chooseEngine(file: string, choice: EngineChoice = "auto", json?: unknown): EnginePlan {
  if (!ENGINE_CHOICES.includes(choice)) throw new Error(`--engine takes auto, fast or hf, got "${choice}"`);
  const { problem, exactCuts } = factsOf(file, json);
  if (choice === "hf") return { engine: "hf", exactCuts };
  if (problem === undefined) return { engine: "fast", exactCuts };
  if (choice === "fast") {
    throw new Error(`--engine fast: ${file} is not a tokenizer korpipe's engine reproduces exactly (${problem}); use --engine auto or hf`);
  }
  return { engine: "hf", notice: `korpipe: tokenizing with Hugging Face tokenizers, not the fast engine: ${file}: ${problem}`, exactCuts };
}

/** Builds the named engine from a tokenizer.json file (once per thread: the fast engine's tables take a moment). */
export function loadEngine(file: string, engine: EngineName, options: LoadEngineOptions = {}): TokenEngine {
  const { text, json } = readTokenizerFile(file);
  const cut = cutsAreExact(json) ? (options.chunkChars ?? (engine === "hf" ? HF_CHUNK_CHARS : CHUNK_CHARS)) : 0;
  if (engine === "hf") return new HfEngine(Tokenizer.fromString(text), cut);
  const { spec, reason } = engineSpec(json);
  if (!spec) throw new Error(`${file}: the fast engine cannot reproduce this tokenizer (${reason})`);
  return new FastEngine(new FastEncoder(spec, { normalize: libraryNormalizer(spec.normalizers), ...options }), cut);
}

const NORMALIZERS: Record<NormalizerForm, () => Normalizer> = { NFC: nfcNormalizer, NFD: nfdNormalizer, NFKC: nfkcNormalizer, NFKD: nfkdNormalizer };
/** Text NFC leaves as it is: no character below U+0300 composes or decomposes, nor does a lone Hangul syllable. */
const NFC_STABLE = /^[\u0000-\u02ff\uac00-\ud7a3]*$/;

/**
 * The library's own normalizer for these forms, so normalization is exact by construction (the
 * Unicode version of JavaScript's String.normalize composes a few new characters differently);
 * NFC skips the call for text it cannot change, which is most Korean text.
 */
export function libraryNormalizer(forms: NormalizerForm[]): ((text: string) => string) | undefined {
  if (forms.length === 0) return undefined;
  const normalizer = forms.length === 1 ? NORMALIZERS[forms[0]!]() : sequenceNormalizer(forms.map((f) => NORMALIZERS[f]()));
  if (forms.every((f) => f === "NFC")) return (text) => (NFC_STABLE.test(text) ? text : normalizer.normalizeString(text));
  return (text) => normalizer.normalizeString(text);
}

const threadEngines = new Map<string, TokenEngine>();

/**
 * The engine for `file` in this thread, built on first use and kept: pipeline tasks that run one
 * after another on a thread share its tables and its warm word cache.
 */
export function threadEngine(file: string, engine: EngineName): TokenEngine {
  const key = `${engine}\0${path.resolve(file)}`;
  let e = threadEngines.get(key);
  if (!e) {
    e = loadEngine(file, engine);
    threadEngines.set(key, e);
  }
  return e;
}
