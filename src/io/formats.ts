/**
 * Which reader a file needs, decided by its name alone so that the choice is predictable.
 */
export type Compression = "none" | "gzip" | "zstd";
export type RecordFormat = "jsonl" | "json" | "txt" | "parquet";

export interface FileFormat {
  compression: Compression;
  /** `json` means one nested JSON value read with a path selector; `.json` files without one are read as JSONL. */
  records: RecordFormat;
}

const COMPRESSION_SUFFIX: Record<string, Compression> = { ".gz": "gzip", ".gzip": "gzip", ".zst": "zstd", ".zstd": "zstd" };

/** File endings korpipe reads, for directory inputs and error messages. */
export const SUPPORTED_SUFFIXES = [...[".jsonl", ".ndjson", ".json", ".txt"].flatMap((s) => [s, `${s}.gz`, `${s}.zst`]), ".parquet"];

export function stripCompressionSuffix(name: string): { base: string; compression: Compression } {
  const lower = name.toLowerCase();
  for (const [suffix, compression] of Object.entries(COMPRESSION_SUFFIX)) {
    if (lower.endsWith(suffix)) return { base: name.slice(0, -suffix.length), compression };
  }
  return { base: name, compression: "none" };
}

/** Undefined when the file's name says nothing korpipe can read. */
export function detectFormat(file: string, opts: { jsonPath?: string }): FileFormat | undefined {
  // Parquet compresses inside the file, per column chunk.
  if (file.toLowerCase().endsWith(".parquet")) return { compression: "none", records: "parquet" };
  const { base, compression } = stripCompressionSuffix(file);
  const lower = base.toLowerCase();
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return { compression, records: "jsonl" };
  if (lower.endsWith(".json")) return { compression, records: opts.jsonPath ? "json" : "jsonl" };
  if (lower.endsWith(".txt")) return { compression, records: "txt" };
  return undefined;
}
