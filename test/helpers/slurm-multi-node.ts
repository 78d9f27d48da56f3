/**
 * The two-node test cluster of .ci/slurm-multi-node-setup.sh, seen from a test: where it lives, whether
 * it answers, and its controls (crash a node, hold a job on one, start a node again).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./cli.js";

export const SETUP = path.join(ROOT, ".ci", "slurm-multi-node-setup.sh");
export const CLUSTER_DIR = process.env.KORPIPE_SLURM_MULTI_DIR ?? path.join(os.tmpdir(), "korpipe-slurm-multi");
export const NODES = ["korpipe-n1", "korpipe-n2"] as const;
/** What Slurm's clients need to talk to this cluster rather than the machine's default one. */
export const CLUSTER_ENV = { SLURM_CONF: path.join(CLUSTER_DIR, "slurm.conf") };

/** True when both nodes answer and this process may crash them (the script needs root). */
export function multiNodeClusterAnswers(): boolean {
  if (!existsSync(CLUSTER_ENV.SLURM_CONF) || process.getuid?.() !== 0) return false;
  try {
    const out = execFileSync("sinfo", ["-h", "-N", "-o", "%N|%T"], { env: { ...process.env, ...CLUSTER_ENV }, timeout: 10_000, encoding: "utf8" });
    const usable = new Set(out.split("\n").filter((l) => /\|(idle|mixed|allocated|completing)$/.test(l)).map((l) => l.split("|")[0]));
    return NODES.every((n) => usable.has(n));
  } catch {
    return false;
  }
}

export function clusterControl(...args: string[]): void {
  execFileSync("bash", [SETUP, ...args], { env: { ...process.env, KORPIPE_SLURM_MULTI_DIR: CLUSTER_DIR }, stdio: "ignore", timeout: 120_000 });
}

/** The job id held on `node` once a job reached the hold (see `hold` in the setup script). */
export function heldJob(node: string): string | undefined {
  try {
    return readFileSync(path.join(CLUSTER_DIR, "hold", `${node}.held`), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface CompletedJob {
  jobId: string;
  arrayJobId: string;
  arrayTaskId: number;
  name: string;
  state: string;
  node: string;
}

/** Slurm's own record of every job that ended on this cluster (jobcomp/filetxt; it has no sacct). */
export function jobCompletions(): CompletedJob[] {
  let text = "";
  try {
    text = readFileSync(path.join(CLUSTER_DIR, "log", "jobcomp.log"), "utf8");
  } catch {
    return [];
  }
  const field = (line: string, name: string) => new RegExp(`(?:^| )${name}=(\\S*)`).exec(line)?.[1] ?? "";
  return text
    .split("\n")
    .filter((l) => l.startsWith("JobId="))
    .map((l) => ({
      jobId: field(l, "JobId"),
      arrayJobId: field(l, "ArrayJobId"),
      arrayTaskId: Number(field(l, "ArrayTaskId")),
      name: field(l, "Name"),
      state: field(l, "JobState"),
      node: field(l, "NodeList"),
    }));
}
