/**
 * Running Slurm's client commands (sbatch, squeue, sinfo, sacct, scancel, scontrol) and reading
 * what the cluster offers. Everything here goes through the real commands: no Slurm API
 * bindings, so korpipe works with whatever Slurm the login node has on PATH.
 */
import { execFile } from "node:child_process";

export class SlurmUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SlurmUnavailableError";
  }
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a Slurm command; a nonzero exit is returned, not thrown (callers know which ones are harmless). */
export function runSlurmCommand(command: string, args: string[], timeoutMs = 60_000): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
        reject(new SlurmUnavailableError(`${command} was not found on PATH: run korpipe on a Slurm login node, or install slurm-client`));
        return;
      }
      if (error && error.killed) {
        reject(new Error(`${command} ${args.join(" ")} did not answer within ${timeoutMs / 1000} s: is slurmctld up? (try: sinfo)`));
        return;
      }
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ stdout: String(stdout), stderr: String(stderr), code });
    });
  });
}

/** Like runSlurmCommand, but a nonzero exit is an error that quotes the command's own message. */
export async function runSlurmCommandOrThrow(command: string, args: string[], timeoutMs?: number): Promise<string> {
  const r = await runSlurmCommand(command, args, timeoutMs);
  if (r.code !== 0) {
    const said = (r.stderr.trim() || r.stdout.trim() || `exit code ${r.code}`).split("\n").slice(-3).join(" / ");
    throw new Error(`${command} failed: ${said}`);
  }
  return r.stdout;
}

/** True when the Slurm commands are installed and the controller answers. */
export async function slurmAvailable(): Promise<boolean> {
  try {
    const r = await runSlurmCommand("sinfo", ["-h", "-o", "%P"], 15_000);
    if (r.code !== 0) return false;
    return (await runSlurmCommand("sbatch", ["--version"], 15_000)).code === 0;
  } catch {
    return false;
  }
}

export interface SlurmNode {
  name: string;
  cpus: number;
  partition: string;
  isDefaultPartition: boolean;
}

/** Parses `sinfo -h -N -o '%N|%c|%P'`; a default partition carries a trailing `*`. */
export function parseSinfoNodes(text: string): SlurmNode[] {
  const nodes: SlurmNode[] = [];
  for (const line of text.split("\n")) {
    const [name, cpus, partition] = line.trim().split("|");
    if (!name || !cpus || !partition) continue;
    const n = Number.parseInt(cpus, 10);
    if (!Number.isFinite(n)) continue;
    const isDefaultPartition = partition.endsWith("*");
    nodes.push({ name, cpus: n, partition: isDefaultPartition ? partition.slice(0, -1) : partition, isDefaultPartition });
  }
  return nodes;
}

export async function listNodes(): Promise<SlurmNode[]> {
  return parseSinfoNodes(await runSlurmCommandOrThrow("sinfo", ["-h", "-N", "-o", "%N|%c|%P"]));
}

/**
 * The most CPUs one task can get in a partition (the default one when none is named): the largest
 * node there. Asking for more makes Slurm keep the job pending forever instead of refusing it.
 */
export function maxCpusPerTask(nodes: SlurmNode[], partition?: string): number {
  const inPartition = nodes.filter((n) => (partition === undefined ? n.isDefaultPartition : n.partition === partition));
  if (inPartition.length === 0) {
    const names = [...new Set(nodes.map((n) => n.partition))].sort().join(", ") || "none";
    throw new Error(
      partition === undefined
        ? `Slurm has no default partition; name one with --slurm-partition (sinfo lists: ${names})`
        : `Slurm partition "${partition}" has no nodes; sinfo lists: ${names}`,
    );
  }
  return Math.max(...inPartition.map((n) => n.cpus));
}

/** MaxArraySize from `scontrol show config`; array indices must stay below it. */
export async function maxArraySize(): Promise<number> {
  const r = await runSlurmCommand("scontrol", ["show", "config"]);
  const m = /^MaxArraySize\s*=\s*(\d+)/m.exec(r.stdout);
  return m ? Number(m[1]) : 1001; // Slurm's documented default
}
