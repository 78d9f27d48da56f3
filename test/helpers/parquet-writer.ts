/**
 * Writes Parquet files for tests with a real writer: parquet-wasm wraps the Apache Arrow Rust
 * writer, the same code behind most Parquet files in the wild; apache-arrow builds the tables.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tableFromArrays, tableToIPC } from "apache-arrow";

const require = createRequire(import.meta.url);
const pw = require("parquet-wasm/node") as typeof import("parquet-wasm/node");

export type ParquetCompression = "UNCOMPRESSED" | "SNAPPY" | "GZIP" | "BROTLI" | "ZSTD" | "LZ4_RAW";

/** Columns as arrays of one type each; `rowGroupRows` rows per row group. */
export function writeParquetFile(file: string, columns: Record<string, unknown[] | Int32Array | BigInt64Array>, opts: { compression?: ParquetCompression; rowGroupRows?: number } = {}): void {
  const table = tableFromArrays(columns as Parameters<typeof tableFromArrays>[0]);
  const props = new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression[opts.compression ?? "SNAPPY"])
    .setMaxRowGroupSize(opts.rowGroupRows ?? 1024 * 1024)
    .build();
  writeFileSync(file, pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(table, "stream")), props));
}
