/**
 * Where a worker script lives. Worker threads need JavaScript, so when korpipe runs from its
 * TypeScript sources (under vitest) the worker is taken from the compiled twin in dist/.
 * `npm test` builds first, so dist/ is always current there.
 */
import { fileURLToPath } from "node:url";
import path from "node:path";

/** `fromUrl` is the caller's import.meta.url; `relative` names the worker next to it, e.g. "./signature-worker.js". */
export function workerPath(fromUrl: string, relative: string): string {
  const here = fileURLToPath(fromUrl);
  const resolved = path.resolve(path.dirname(here), relative);
  if (!here.endsWith(".ts")) return resolved;
  const srcDir = `${path.sep}src${path.sep}`;
  const i = resolved.lastIndexOf(srcDir);
  if (i < 0) return resolved;
  return resolved.slice(0, i) + `${path.sep}dist${path.sep}` + resolved.slice(i + srcDir.length).replace(/\.ts$/, ".js");
}
