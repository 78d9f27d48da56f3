/**
 * vitest's global setup: compile src/ to dist/ before any test, so that tests which run the CLI
 * or worker threads (both load dist/) never exercise stale code, however vitest was started.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ROOT } from "./cli.js";

export default function setup(): void {
  // typescript's package exports do not include its bin, so it is reached by path.
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`the build failed, so no test can run:\n${r.stdout}${r.stderr}`);
}
