import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const KORPIPE = path.join(ROOT, "bin", "korpipe");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built korpipe CLI (npm test builds dist/ first). */
export function korpipe(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [KORPIPE, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: "utf8",
    env: { ...process.env, KORPIPE_PROGRESS_SECONDS: "3600", ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
