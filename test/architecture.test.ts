/**
 * The layers stay as the layout shows them (io ← stats ← stages ← pii/dedup/shard ← run ← cli, no
 * cycles): dependency-cruiser checks the compiled modules against .dependency-cruiser.cjs. The
 * cruise reads dist/ (vitest's global setup has just built it), one file per src/ module, so a
 * stale file of a moved module cannot hide or invent a violation.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";

function compiledModules(): string[] {
  return (readdirSync(path.join(ROOT, "src"), { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => path.posix.join("dist", f.split(path.sep).join("/").replace(/\.ts$/, ".js")));
}

function cruise(files: string[]): { status: number | null; output: string } {
  const bin = path.join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");
  const r = spawnSync(process.execPath, [bin, "--config", ".dependency-cruiser.cjs", "--output-type", "err", ...files], { cwd: ROOT, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("the module layers", () => {
  it("no module imports from a layer above its own, and nothing imports in a circle", () => {
    const { status, output } = cruise(compiledModules());
    expect(output).not.toMatch(/error /);
    expect(status, output).toBe(0);
  });

  it("the check catches a module of a lower layer that imports from a higher one", () => {
    // io/atomic-file.js importing from run/ would be a violation: cruise a file that does exactly that.
    const probe = path.join("dist", "io", "__layer-probe.js");
    writeFileSync(path.join(ROOT, probe), 'import "../run/refused.js";\n');
    try {
      const { status, output } = cruise([probe]);
      expect(status).not.toBe(0);
      expect(output).toMatch(/io-imports-above: dist\/io\/__layer-probe\.js → dist\/run\/refused\.js/);
    } finally {
      rmSync(path.join(ROOT, probe), { force: true });
    }
  });
});
