/**
 * Parquet input (Hugging Face datasets ship as Parquet), read one row group at a time with
 * hyparquet, a dependency-free JS reader, and hyparquet-compressors for snappy, gzip, zstd,
 * brotli and lz4. Memory is bounded by one row group, the unit Parquet writers size for readers.
 * A row group that cannot be decoded is reported with its index and rows and the next one is read.
 */
import type { AsyncBuffer, FileMetaData } from "hyparquet";

let parquetLibrary: Promise<{ hyparquet: typeof import("hyparquet"); compressors: typeof import("hyparquet-compressors").compressors }> | undefined;

/**
 * The reader is imported on first use: most corpora hold no Parquet, and importing it (with its
 * decompressors) cost every task thread about 0.15 CPU-seconds of start-up (bench/pipeline.mjs).
 */
function parquetLib() {
  parquetLibrary ??= Promise.all([import("hyparquet"), import("hyparquet-compressors")]).then(([hyparquet, c]) => ({ hyparquet, compressors: c.compressors }));
  return parquetLibrary;
}

/** A run of row groups [start, end) of one Parquet file; `firstLine` is the 1-based number of its first row. */
export interface ParquetRowGroupSlice {
  file: string;
  unit: "row-groups";
  start: number;
  end: number;
  firstLine: number;
}

export type ParquetItem =
  | { row: number; record: Record<string, unknown> }
  | { damaged: { rowGroup: number; firstRow: number; rows: number; message: string } };

interface OpenParquet {
  buffer: AsyncBuffer;
  metadata: FileMetaData;
}

async function openParquet(file: string): Promise<OpenParquet> {
  const { hyparquet } = await parquetLib();
  const buffer = await hyparquet.asyncBufferFromFile(file);
  let metadata: FileMetaData;
  try {
    metadata = await hyparquet.parquetMetadataAsync(buffer);
  } catch (err) {
    throw new Error(`not a readable Parquet file (${(err as Error).message})`);
  }
  return { buffer, metadata };
}

/** Rows and compressed bytes of each row group, for planning slices. */
export async function parquetRowGroups(file: string): Promise<{ rows: number; bytes: number }[]> {
  const { metadata } = await openParquet(file);
  return metadata.row_groups.map((g) => ({ rows: Number(g.num_rows), bytes: Number(g.total_compressed_size ?? g.total_byte_size) }));
}

/** Groups consecutive row groups into about `pieces` slices of similar compressed size. */
export async function sliceParquet(file: string, pieces: number): Promise<{ slice: ParquetRowGroupSlice; bytes: number }[]> {
  const groups = await parquetRowGroups(file);
  const total = groups.reduce((a, g) => a + g.bytes, 0);
  const target = total / Math.max(1, pieces);
  const out: { slice: ParquetRowGroupSlice; bytes: number }[] = [];
  let start = 0;
  let firstLine = 1;
  let bytes = 0;
  let rows = 0;
  groups.forEach((g, i) => {
    bytes += g.bytes;
    rows += g.rows;
    if (bytes >= target || i === groups.length - 1) {
      out.push({ slice: { file, unit: "row-groups", start, end: i + 1, firstLine }, bytes });
      start = i + 1;
      firstLine += rows;
      bytes = 0;
      rows = 0;
    }
  });
  return out;
}

/**
 * JSON-safe values: int64 columns arrive as BigInt (kept exact as a number when it fits, else as
 * a decimal string), binary as bytes (base64), timestamps as Date (ISO text).
 */
function jsonSafe(value: unknown): unknown {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonSafe(v);
    return out;
  }
  return value;
}

/** The records of a Parquet file (or of a slice of its row groups), one row group in memory at a time. */
export async function* readParquetRecords(file: string, slice?: Pick<ParquetRowGroupSlice, "start" | "end">): AsyncGenerator<ParquetItem> {
  const { buffer, metadata } = await openParquet(file);
  const { hyparquet, compressors } = await parquetLib();
  const groups = metadata.row_groups;
  let firstRow = 0;
  const end = slice?.end ?? groups.length;
  for (let g = 0; g < end; g++) {
    const rows = Number(groups[g]!.num_rows);
    if (g >= (slice?.start ?? 0)) {
      let records: Record<string, unknown>[] | undefined;
      try {
        records = (await hyparquet.parquetReadObjects({ file: buffer, metadata, compressors, rowStart: firstRow, rowEnd: firstRow + rows })) as Record<string, unknown>[];
      } catch (err) {
        yield { damaged: { rowGroup: g, firstRow: firstRow + 1, rows, message: (err as Error).message } };
      }
      if (records) {
        for (let i = 0; i < records.length; i++) yield { row: firstRow + i + 1, record: jsonSafe(records[i]) as Record<string, unknown> };
      }
    }
    firstRow += rows;
  }
}
