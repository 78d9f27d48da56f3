/**
 * korpipe as a user's dependency: the packed tarball installed into a new project, imported from
 * TypeScript with strict settings and without skipLibCheck (korpipe's declarations, and every
 * declaration they import, type-check), writing shards through runPipeline.
 * Installs from npm's cache when it can (`npm ci` filled it); the native zstd binding is copied from
 * this checkout instead of being compiled again, since the same machine and Node built it.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { verifyIndexedDataset } from "../../src/shard/indexed-dataset.js";
import { ROOT } from "../helpers/cli.js";
import { tmpDir } from "../helpers/tmp.js";

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const CONSUMER = `import { runPipeline, filterStage, mapStage, type Document, type RunStatsJSON } from "korpipe";
import { mkdirSync, writeFileSync } from "node:fs";

// A user's own stages type-check against the exported contract.
export const noShouting = filterStage("no-shouting", (doc: Document) => (doc.text.includes("!!!") ? "shouting" : undefined));
export const trimmed = mapStage("trim", (doc: Document) => ({ ...doc, text: doc.text.trim() }));

mkdirSync("in", { recursive: true });
const texts = ["첫 번째 문서는 충분히 길고 전화번호 010-1234-5678을 담고 있습니다.", "두 번째 문서도 충분히 길게 썼습니다."];
writeFileSync("in/a.jsonl", texts.map((text, i) => JSON.stringify({ id: String(i), text })).join("\\n") + "\\n");
const stats: RunStatsJSON = await runPipeline(
  { inputs: ["in"], output: "out", stages: [{ stage: "normalize" }, { stage: "scrub" }, { stage: "tokenize", tokenizer: process.argv[2]! }] },
  { workers: 1 },
);
console.log(JSON.stringify({ kept: stats.totals.docs_out, identity: stats.identity_holds }));
`;

describe("korpipe installed from its packed tarball into a fresh project", () => {
  it("type-checks under strict TypeScript and writes shards through runPipeline", () => {
    const dir = tmpDir();
    const tarball = run("npm", ["pack", "--silent", "--pack-destination", dir], ROOT).trim().split("\n").pop()!;
    const app = path.join(dir, "app");
    mkdirSync(app);
    writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", path.join(dir, tarball)], app);
    const binding = path.join("zstd-napi", "build", "Release", "binding.node");
    mkdirSync(path.dirname(path.join(app, "node_modules", binding)), { recursive: true });
    copyFileSync(path.join(ROOT, "node_modules", binding), path.join(app, "node_modules", binding));

    writeFileSync(path.join(app, "main.ts"), CONSUMER);
    writeFileSync(
      path.join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          // Every declaration file korpipe's types reach is checked: a public type that leaked a
          // dependency's declarations which do not type-check (tokenizers' index.d.ts) fails here.
          skipLibCheck: false,
          outDir: "build",
          // TypeScript 7 picks up no @types by itself: the README tells users to name node's.
          types: ["node"],
          typeRoots: [path.join(ROOT, "node_modules", "@types")],
        },
        files: ["main.ts"],
      }),
    );
    run(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], app);
    const out = JSON.parse(run(process.execPath, [path.join("build", "main.js"), path.join(ROOT, "samples", "tokenizer.json")], app).trim().split("\n").pop()!);
    expect(out).toEqual({ kept: 2, identity: true });
    expect(readdirSync(path.join(app, "out"))).toContain("corpus_text_document.bin");
    expect(verifyIndexedDataset(path.join(app, "out", "corpus_text_document"))).toEqual([]);
    expect(existsSync(path.join(app, "node_modules", "korpipe", "dist", "index.d.ts"))).toBe(true);
  }, 300_000);
});
