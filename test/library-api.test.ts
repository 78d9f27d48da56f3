import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalize, qualityFilter, readDocuments, resolveInputs, StageStats, writeDocuments } from "../src/index.js";
import { tmpDir } from "./helpers/tmp.js";

describe("the library API", () => {
  it("composes read → normalize → filter → write with async iterables, as the README shows", async () => {
    const dir = tmpDir();
    const f = path.join(dir, "in.jsonl");
    const text = "라이브러리로   쓰는 경우에도 같은 결과가 나와야 합니다. 충분히 긴 한국어 문서를 하나 준비했습니다.";
    writeFileSync(f, [JSON.stringify({ id: "1", text }), JSON.stringify({ id: "2", text: "짧음" })].join("\n"));
    const files = await resolveInputs([dir]);
    const filterStats = new StageStats("filter");
    const out = path.join(dir, "out");
    const result = await writeDocuments(qualityFilter(normalize(readDocuments(files)), {}, filterStats), { outputDir: out, inputs: files });
    expect(result.docs).toBe(1);
    expect(JSON.parse(readFileSync(path.join(out, "in.jsonl"), "utf8"))).toEqual({ id: "1", text: text.replace("   ", " ") });
    expect(filterStats.toJSON().filtered).toEqual({ too_short: 1 });
  });
});
