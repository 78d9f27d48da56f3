import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { scrubDefinition } from "../../src/pii/stage.js";
import { StageStats } from "../../src/stats/stage-stats.js";
import type { RunStatsJSON } from "../../src/stats/run-stats.js";
import type { Document } from "../../src/types.js";
import { korpipe, ROOT } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";

/** A user's stage module, as docs/stages.md shows it, importing the built library the way `import "korpipe"` would. */
function writeAdFilterModule(dir: string): string {
  const file = path.join(dir, "no-ads.mjs");
  const lib = pathToFileURL(path.join(ROOT, "dist/index.js")).href;
  writeFileSync(
    file,
    `import { filterStage } from ${JSON.stringify(lib)};\n` +
      `export default function noAds(options) {\n` +
      `  const words = options.words ?? [];\n` +
      `  return filterStage("no-ads", (doc) => (words.some((w) => doc.text.includes(w)) ? "advert" : undefined));\n` +
      `}\n`,
  );
  return file;
}

function writeCorpus(dir: string): { file: string; ads: string[] } {
  const lines: string[] = [];
  const ads: string[] = [];
  for (let i = 0; i < 40; i++) {
    const ad = i % 5 === 0;
    const id = `doc-${i}`;
    if (ad) ads.push(id);
    const text = `${ad ? "특가 광고 " : ""}${i}번째 문서는 서울의 작은 도서관에서 열린 독서 모임에 관한 이야기를 담고 있으며 참가자들은 저마다 좋아하는 책을 소개했다.`;
    lines.push(JSON.stringify({ id, text }));
  }
  const file = path.join(dir, "corpus.jsonl");
  writeFileSync(file, lines.join("\n") + "\n");
  return { file, ads };
}

function writeConfig(dir: string, stages: unknown[], input: string): string {
  const file = path.join(dir, "pipeline.json");
  writeFileSync(file, JSON.stringify({ inputs: [input], output: path.join(dir, "out"), stages }));
  return file;
}

describe("a user's stage module in korpipe run", () => {
  it("runs on worker threads, and its filter reasons reach stats, filtered.jsonl and the report", () => {
    const dir = tmpDir();
    const mod = writeAdFilterModule(dir);
    const { file, ads } = writeCorpus(dir);
    const config = writeConfig(dir, [{ stage: "normalize" }, { stage: "module", import: mod, options: { words: ["광고"] } }], file);
    const r = korpipe(["run", config, "--tasks", "2", "--workers", "2"]);
    expect(r.status, r.stderr).toBe(0);
    const out = path.join(dir, "out");
    const rep = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as RunStatsJSON;
    expect(rep.identity_holds).toBe(true);
    const stage = rep.stages.find((s) => s.name === "no-ads");
    expect(stage?.filtered).toEqual({ advert: ads.length });
    const filtered = readFileSync(path.join(out, "filtered.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { stage: string; id: string; reason: string });
    expect(filtered.filter((f) => f.stage === "no-ads").map((f) => f.id).sort()).toEqual([...ads].sort());
    expect(filtered.every((f) => f.reason === "advert")).toBe(true);
    expect(readFileSync(path.join(out, "report.html"), "utf8")).toContain("no-ads");
    const plan = JSON.parse(readFileSync(path.join(out, ".korpipe", "plan.json"), "utf8")) as { config: { stages: { import?: string }[] } };
    expect(plan.config.stages[1]!.import).toBe(pathToFileURL(mod).href);
  });

  it("refuses to resume after the module's file changed (its finished tasks ran the old code), until it is back or --force", () => {
    const dir = tmpDir();
    const mod = writeAdFilterModule(dir);
    const original = readFileSync(mod, "utf8");
    const { file } = writeCorpus(dir);
    const config = writeConfig(dir, [{ stage: "module", import: mod, options: { words: ["광고"] } }], file);
    const killed = korpipe(["run", config, "--tasks", "2", "--workers", "1"], { env: { KORPIPE_TEST_KILL_AT: "process:1:5" } });
    expect(killed.status).toBe(null); // SIGKILLed
    writeFileSync(mod, original.replace('"advert"', '"ad"'));
    const refused = korpipe(["run", config, "--tasks", "2"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/made with another version of the stage module .*no-ads\.mjs .*--force/);
    writeFileSync(mod, original);
    const resumed = korpipe(["run", config, "--tasks", "2"]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain("process: 1 of 2 task(s) already done");
  });

  it("refuses a module that cannot be found before any work, naming the stage", () => {
    const dir = tmpDir();
    const { file } = writeCorpus(dir);
    const config = writeConfig(dir, [{ stage: "module", import: "./missing-stage.mjs" }], file);
    const r = korpipe(["run", config], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/stages\[0\]: stage module \.\/missing-stage\.mjs not found/);
  });

  it("refuses a module without a default-exported factory", () => {
    const dir = tmpDir();
    const { file } = writeCorpus(dir);
    writeFileSync(path.join(dir, "bad.mjs"), "export const notAFactory = 1;\n");
    const config = writeConfig(dir, [{ stage: "module", import: "./bad.mjs" }], file);
    const r = korpipe(["run", config], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/must default-export a stage factory/);
  });

  it("refuses a module stage that would report under a built-in stage's name", () => {
    const dir = tmpDir();
    const { file } = writeCorpus(dir);
    writeFileSync(
      path.join(dir, "twin.mjs"),
      `import { filterStage } from ${JSON.stringify(pathToFileURL(path.join(ROOT, "dist/index.js")).href)};\nexport default () => filterStage("normalize", () => undefined);\n`,
    );
    const config = writeConfig(dir, [{ stage: "normalize" }, { stage: "module", import: "./twin.mjs" }], file);
    const r = korpipe(["run", config], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/stages\[1\]: a stage named "normalize" is already stages\[0\]/);
  });
});

describe("determinism of a planned run", () => {
  /** A resident registration number with a valid check digit. */
  function rrn(front: string, back6: string): string {
    const d = (front + back6).split("").map(Number);
    const w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
    const s = d.reduce((a, x, i) => a + x * w[i]!, 0);
    return `${front}-${back6}${(11 - (s % 11)) % 10}`;
  }

  it("pins the scrubber's today in the plan: a birth date after the pinned day is not read as an RRN", async () => {
    const text = `주민등록번호 ${rrn("200315", "312345")} 입니다`;
    const scrubbedOn = async (today: string) => {
      const stage = scrubDefinition.create!(scrubDefinition.options.parse({}), { today });
      const out: Document[] = [];
      for await (const d of stage((async function* () { yield { id: "1", text, meta: {} }; })(), new StageStats("scrub"))) out.push(d);
      return out[0]!.text;
    };
    expect(await scrubbedOn("2019-06-01")).toBe(text);
    expect(await scrubbedOn("2026-12-07")).toBe("주민등록번호 <|rrn|> 입니다");
  });

  it("records the day a run was planned, and a rerun keeps it", () => {
    const dir = tmpDir();
    const { file } = writeCorpus(dir);
    const config = writeConfig(dir, [{ stage: "scrub" }], file);
    expect(korpipe(["run", config]).status).toBe(0);
    const planFile = path.join(dir, "out", ".korpipe", "plan.json");
    const plan = JSON.parse(readFileSync(planFile, "utf8")) as { today: string };
    expect(plan.today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    writeFileSync(planFile, JSON.stringify({ ...plan, today: "2001-02-03" }));
    expect(korpipe(["run", config]).status).toBe(0);
    expect((JSON.parse(readFileSync(planFile, "utf8")) as { today: string }).today).toBe("2001-02-03");
  });
});
