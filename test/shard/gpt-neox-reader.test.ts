/**
 * Reads our files the way GPT-NeoX's MMapIndexedDataset does (numpy over the raw bytes), when
 * python3 with numpy is installed; skipped otherwise.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DatasetWriter } from "../../src/shard/indexed-dataset.js";
import { mergeIndexedDatasets } from "../../src/shard/merge.js";
import { tmpDir } from "../helpers/tmp.js";

const hasNumpy = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" }).status === 0;

// The trainer's reading steps: 9-byte magic, <Q version, <B dtype code, <Q N, <Q doc_idx length,
// then int32 sizes, int64 pointers and int64 doc_idx straight from the buffer; document i is
// `size` items of the dtype at byte `pointer`.
const READER = `
import json, struct, sys
import numpy as np
prefix = sys.argv[1]
dtypes = {4: np.int32, 8: np.uint16}
with open(prefix + ".idx", "rb") as f:
    assert f.read(9) == b"MMIDIDX\\x00\\x00"
    assert struct.unpack("<Q", f.read(8)) == (1,)
    (code,) = struct.unpack("<B", f.read(1))
    (n,) = struct.unpack("<Q", f.read(8))
    (d,) = struct.unpack("<Q", f.read(8))
    offset = f.tell()
idx = memoryview(np.memmap(prefix + ".idx", mode="r", order="C"))
sizes = np.frombuffer(idx, dtype=np.int32, count=n, offset=offset)
pointers = np.frombuffer(idx, dtype=np.int64, count=n, offset=offset + sizes.nbytes)
doc_idx = np.frombuffer(idx, dtype=np.int64, count=d, offset=offset + sizes.nbytes + pointers.nbytes)
data = np.memmap(prefix + ".bin", mode="r", order="C")
docs = [np.frombuffer(memoryview(data), dtype=dtypes[code], count=int(s), offset=int(p)).tolist() if s else [] for s, p in zip(sizes, pointers)]
print(json.dumps({"code": code, "docs": docs, "doc_idx": doc_idx.tolist()}))
`;

function readLikeGptNeox(prefix: string): { code: number; docs: number[][]; doc_idx: number[] } {
  const r = spawnSync("python3", ["-c", READER, prefix], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as ReturnType<typeof readLikeGptNeox>;
}

describe.skipIf(!hasNumpy)("reading shards the way GPT-NeoX does (python3 + numpy, when present)", () => {
  it("reads back every document of a uint16 and an int32 dataset, and of a merge", () => {
    const dir = tmpDir();
    const docs = [[5, 6, 7, 2], [65535, 2], [1, 2, 3, 4, 5, 2]];
    for (const dtype of ["uint16", "int32"] as const) {
      const w = new DatasetWriter(path.join(dir, `${dtype}_text_document`), dtype);
      docs.forEach((d) => w.append(d));
      w.finish();
      const read = readLikeGptNeox(path.join(dir, `${dtype}_text_document`));
      expect(read).toEqual({ code: dtype === "uint16" ? 8 : 4, docs, doc_idx: [0, 1, 2, 3] });
    }
    const merged = mergeIndexedDatasets([path.join(dir, "uint16_text_document"), path.join(dir, "uint16_text_document")], path.join(dir, "m_text_document"));
    expect(readLikeGptNeox(merged.path)).toEqual({ code: 8, docs: [...docs, ...docs], doc_idx: [0, 1, 2, 3, 4, 5, 6] });
  });
});
