/**
 * The tokenize stage's card in the run report: what a trainer needs to know about the shards
 * (tokenizer, vocabulary, dtype, EOD id, the exact token total) and how long the sequences are,
 * measured on the written .idx (report.json `token_lengths`).
 */
import type { ReportFact, StageReport } from "../stages/registry.js";
import { exact, fieldsOf, finite, percent } from "../stages/report-section.js";

/** Context lengths worth knowing the share of documents beyond. */
export const CONTEXT_LENGTHS = [2048, 4096, 8192] as const;

const BYTES_PER_TOKEN: Record<string, number> = { uint16: 2, int32: 4 };

export const tokenizeReport: StageReport = (stats, sections) => {
  const tok = fieldsOf(sections, "tokenize");
  const lengths = fieldsOf(sections, "token_lengths");
  const facts: ReportFact[] = [];
  // One dataset, or a list when the run writes numbered shards.
  const datasets = (Array.isArray(sections.dataset) ? sections.dataset : [sections.dataset]).map((d) => fieldsOf({ d }, "d").prefix).filter((p) => typeof p === "string");
  if (datasets.length > 0) facts.push([datasets.length === 1 ? "dataset" : `datasets (${datasets.length})`, datasets.join(", "), "the data path a GPT-NeoX config names (without .bin/.idx)"]);
  if (typeof tok.tokenizer === "string") facts.push(["tokenizer", tok.tokenizer]);
  const vocab = finite(tok.vocab_size);
  if (vocab !== undefined) facts.push(["vocabulary size", exact(vocab)]);
  if (typeof tok.dtype === "string") {
    const width = BYTES_PER_TOKEN[tok.dtype];
    facts.push(["token dtype", width ? `${tok.dtype} (${width} bytes per token)` : tok.dtype, "uint16 below 65,500 entries, else int32"]);
  }
  if ("eod_id" in tok) {
    const eod = finite(tok.eod_id);
    facts.push(["end-of-document id", eod === undefined ? "none (no EOD appended)" : String(eod), "appended as the last token of every document"]);
  }
  const tokens = finite(tok.tokens) ?? finite(stats.counters?.tokens);
  const eodTokens = finite(stats.counters?.eod_tokens);
  if (tokens !== undefined) facts.push(["tokens", exact(tokens), eodTokens ? `including ${exact(eodTokens)} end-of-document tokens` : "every token written to the shards"]);
  const documents = finite(tok.documents) ?? finite(stats.docs_out) ?? 0;
  facts.push(["documents", exact(documents)]);

  const [p50, p90, p99, max] = ["p50", "p90", "p99", "max"].map((k) => finite(lengths[k]));
  const measured = finite(lengths.documents);
  if (p50 !== undefined && p90 !== undefined && p99 !== undefined && max !== undefined && measured !== undefined) {
    facts.push(["length p50 / p90 / p99 / max", `${exact(p50)} / ${exact(p90)} / ${exact(p99)} / ${exact(max)} tokens`, "per document, EOD included, read from the written .idx"]);
    const longer = fieldsOf(lengths, "longer_than");
    for (const limit of CONTEXT_LENGTHS) {
      const n = finite(longer[String(limit)]);
      if (n !== undefined) facts.push([`longer than ${exact(limit)} tokens`, `${exact(n)} (${percent(n, measured)})`, `documents with more than ${exact(limit)} tokens, of ${exact(measured)}`]);
    }
  } else {
    facts.push(["length percentiles", "not recorded", "this report.json has no token_lengths section"]);
  }

  return {
    title: "Tokens",
    facts,
    ...(tokens !== undefined ? { flow: `${exact(tokens)} tokens` } : {}),
    histogram: { id: "tokens", counts: stats.histograms?.tokens_per_doc ?? {}, unit: "tokens", what: "documents" },
    empty: "No token counts per document were recorded.",
  };
};
