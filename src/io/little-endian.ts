/**
 * korpipe's binary files (dedup's intermediate records, GPT-NeoX shards) are written with typed
 * arrays in the machine's byte order and are defined as little-endian: refuse to run elsewhere
 * rather than write files no other machine reads back right.
 */
import { endianness } from "node:os";

export function requireLittleEndian(what: string): void {
  if (endianness() !== "LE") throw new Error(`${what} are little-endian; this machine is big-endian`);
}
