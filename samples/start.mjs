#!/usr/bin/env node
/**
 * `npm start`: runs korpipe on the bundled samples. The sample corpus holds deliberately broken
 * records, so korpipe's exit status 3 ("finished, with rejects") is the expected outcome here.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const r = spawnSync(process.execPath, [path.join(root, "bin", "korpipe"), ...args], { cwd: root, stdio: "inherit" });
if (r.status === 3) {
  process.stderr.write("(exit status 3 is expected here: the samples contain broken records on purpose, listed in the rejects file)\n");
  process.exit(0);
}
process.exit(r.status ?? 1);
