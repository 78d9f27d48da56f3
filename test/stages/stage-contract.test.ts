import { describe, expect, it } from "vitest";
import { filterStage, mapStage } from "../../src/stages/stage.js";
import { StageStats } from "../../src/stats/stage-stats.js";
import type { Document } from "../../src/types.js";
import { declaredDefault } from "../../src/stages/registry.js";
import { dedupDefinition } from "../../src/dedup/dedup-options.js";
import { filterDefinition } from "../../src/stages/quality-filter.js";
import { DEFAULT_THRESHOLD } from "../../src/dedup/minhash/lsh-params.js";
import { korpipe } from "../helpers/cli.js";

const doc = (id: string, text: string): Document => ({ id, text, meta: {}, source: { file: "f.jsonl", line: Number(id) } });

async function collect(docs: AsyncIterable<Document>): Promise<Document[]> {
  const out: Document[] = [];
  for await (const d of docs) out.push(d);
  return out;
}

async function* from(docs: Document[]): AsyncGenerator<Document> {
  yield* docs;
}

describe("filterStage", () => {
  it("drops documents with a reason, passes the rest unchanged, and counts both", async () => {
    const drops: string[] = [];
    const stats = new StageStats("shout", (e) => drops.push(`${e.id}:${e.reason}`));
    const stage = filterStage("shout", (d) => (d.text.includes("!") ? "exclaims" : undefined));
    const docs = [doc("1", "조용한 문장"), doc("2", "외치는 문장!"), doc("3", "또 조용한 문장")];
    const out = await collect(stage(from(docs), stats));
    expect(out.map((d) => d.id)).toEqual(["1", "3"]);
    expect(out[0]).toBe(docs[0]);
    expect(stage.stageName).toBe("shout");
    const j = stats.toJSON();
    expect([j.docs_in, j.docs_out, j.filtered]).toEqual([3, 2, { exclaims: 1 }]);
    expect(drops).toEqual(["2:exclaims"]);
  });

  it("refuses a stage name that cannot be a statistics key", () => {
    expect(() => filterStage("two words", () => undefined)).toThrow(/letters, digits/);
  });
});

describe("mapStage", () => {
  it("passes every document through the map and counts what the map records", async () => {
    const stats = new StageStats("upper");
    const stage = mapStage("upper", (d, s) => {
      s.count("changed");
      return { ...d, text: d.text.toUpperCase() };
    });
    const out = await collect(stage(from([doc("1", "abc"), doc("2", "de")]), stats));
    expect(out.map((d) => d.text)).toEqual(["ABC", "DE"]);
    const j = stats.toJSON();
    expect([j.docs_in, j.docs_out, j.counters.changed]).toEqual([2, 2, 2]);
  });
});

describe("declaredDefault", () => {
  it("gives the default a stage declares, which command-line flags use instead of writing their own", () => {
    expect(declaredDefault(dedupDefinition, "shingle")).toBe("word:5");
    expect(declaredDefault(dedupDefinition, "threshold")).toBe(DEFAULT_THRESHOLD);
    expect(declaredDefault(filterDefinition, "preset")).toBe("korean-web");
  });

  it("refuses an option that declares no default, naming it", () => {
    expect(() => declaredDefault(dedupDefinition, "bands")).toThrow("stage dedup: option bands declares no default");
  });

  it("korpipe dedup --help shows the declared defaults", () => {
    const help = korpipe(["dedup", "--help"]).stdout.replace(/\s+/g, " ");
    expect(help).toContain(`(default: "${declaredDefault(dedupDefinition, "shingle")}")`);
    expect(help).toContain(`(default: ${declaredDefault(dedupDefinition, "memoryMb")})`);
  });
});
