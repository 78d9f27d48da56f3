/**
 * Exact token-length statistics of written datasets, for report.json's `token_lengths`: read
 * from each `.idx`'s sizes array in chunks (memory grows with the number of distinct lengths,
 * not with the number of documents), so percentiles are exact at any corpus size.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { CONTEXT_LENGTHS } from "../../shard/report-section.js";
import type { StageStatsJSON } from "../../stats/stage-stats.js";
import { DatasetFormatError, datasetFiles, dtypeFromCode, INDEX_HEADER_BYTES, INDEX_MAGIC, INDEX_VERSION } from "../../shard/indexed-dataset.js";

export interface TokenLengthSummary {
  datasets: number;
  documents: number;
  tokens: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Documents with more tokens than each context length. */
  longer_than: Record<string, number>;
  /** Tokens per input file, when the kept documents per file were given and add up to the datasets'. */
  tokens_per_file?: Record<string, number>;
}

const CHUNK_SIZES = 1 << 20;

/** Calls `each` with every sequence length of one dataset's `.idx`, in order. */
function forEachSequenceLength(datasetPath: string, each: (length: number) => void): void {
  const file = datasetFiles(datasetPath).idx;
  const fd = openSync(file, "r");
  try {
    const header = Buffer.alloc(INDEX_HEADER_BYTES);
    if (readSync(fd, header, 0, header.length, 0) !== header.length || !header.subarray(0, INDEX_MAGIC.length).equals(INDEX_MAGIC)) {
      throw new DatasetFormatError(`${file}: not a GPT-NeoX mmap index (no MMIDIDX header)`);
    }
    if (header.readBigUInt64LE(9) !== BigInt(INDEX_VERSION) || dtypeFromCode(header.readUInt8(17)) === undefined) {
      throw new DatasetFormatError(`${file}: unknown index version or dtype code`);
    }
    const n = Number(header.readBigUInt64LE(18));
    const d = Number(header.readBigUInt64LE(26));
    if (fstatSync(fd).size !== INDEX_HEADER_BYTES + 12 * n + 8 * d) throw new DatasetFormatError(`${file}: size does not match its header's ${n} sequences`);
    const buf = Buffer.alloc(4 * Math.min(n, CHUNK_SIZES));
    for (let done = 0; done < n; ) {
      const take = Math.min(n - done, CHUNK_SIZES);
      readSync(fd, buf, 0, 4 * take, INDEX_HEADER_BYTES + 4 * done);
      for (let i = 0; i < take; i++) each(buf.readInt32LE(4 * i));
      done += take;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Each input file's kept documents, in plan order, from the last stage's per-file counts: the
 * datasets hold documents in that order (tasks are contiguous runs of the sorted files, merged
 * in task order), so file k owns the next `kept` sequences.
 */
export function keptInFileOrder(stages: readonly StageStatsJSON[], files: readonly string[]): [file: string, kept: number][] {
  const last = stages[stages.length - 1];
  return files.map((f) => [f, last?.files?.[f]?.docs_out ?? 0]);
}

/**
 * Lengths over all the given datasets (e.g. numbered shards of one run, in order), and tokens per
 * input file when `kept` (see keptInFileOrder) is given. Percentiles are
 * nearest-rank: p90 is the smallest length that at least 90% of documents do not exceed.
 * Undefined when the datasets hold no documents.
 */
export function summarizeTokenLengths(datasetPaths: readonly string[], kept?: readonly [file: string, kept: number][]): TokenLengthSummary | undefined {
  const counts = new Map<number, number>();
  const owners = (kept ?? []).filter(([, n]) => n > 0);
  const perFile = owners.map(() => 0);
  let owner = 0;
  let ownerLeft = owners[0]?.[1] ?? 0;
  let beyond = 0;
  for (const p of datasetPaths) {
    forEachSequenceLength(p, (len) => {
      counts.set(len, (counts.get(len) ?? 0) + 1);
      while (ownerLeft === 0 && owner < owners.length - 1) ownerLeft = owners[++owner]![1];
      if (ownerLeft > 0) {
        perFile[owner]! += len;
        ownerLeft--;
      } else beyond++;
    });
  }
  const lengths = [...counts.keys()].sort((a, b) => a - b);
  let documents = 0;
  let tokens = 0;
  for (const len of lengths) {
    documents += counts.get(len)!;
    tokens += len * counts.get(len)!;
  }
  if (documents === 0) return undefined;
  const percentile = (p: number) => {
    const rank = Math.ceil((p / 100) * documents);
    let seen = 0;
    for (const len of lengths) {
      seen += counts.get(len)!;
      if (seen >= rank) return len;
    }
    return lengths[lengths.length - 1]!;
  };
  const longer_than: Record<string, number> = {};
  for (const limit of CONTEXT_LENGTHS) {
    longer_than[String(limit)] = lengths.filter((len) => len > limit).reduce((a, len) => a + counts.get(len)!, 0);
  }
  return {
    datasets: datasetPaths.length,
    documents,
    tokens,
    min: lengths[0]!,
    mean: Math.round((tokens / documents) * 10) / 10,
    p50: percentile(50),
    p90: percentile(90),
    p99: percentile(99),
    max: lengths[lengths.length - 1]!,
    longer_than,
    // Only when every sequence had exactly one owner: otherwise the order assumption does not hold.
    ...(kept && beyond === 0 && owners.reduce((a, [, n]) => a + n, 0) === documents
      ? { tokens_per_file: Object.fromEntries(owners.map(([file], i) => [file, perFile[i]!])) }
      : {}),
  };
}
