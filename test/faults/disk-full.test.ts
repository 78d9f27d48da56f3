/**
 * Write failures on a real small file system: a 256 KiB tmpfs fills up (ENOSPC), a read-only one
 * refuses (EROFS). Every command, plain and compressed: exit 1, one error line naming the path and
 * the cause, no temporary file left. Mounting needs root: skipped elsewhere, failing under CI=true.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { korpipe, ROOT } from "../helpers/cli.js";
import { allFiles } from "./corpus.js";

const TOKENIZER = path.join(ROOT, "samples/tokenizer.json");
let base = "";
let canMount = false;

function mount(dir: string, options: string): boolean {
  mkdirSync(dir, { recursive: true });
  return spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]).status === 0;
}

function unmount(dir: string): void {
  spawnSync("umount", [dir]);
}

/** About 2.8 MB of random Hangul, which no compressor squeezes under 256 KiB. */
function bigCorpus(dir: string): string {
  let seed = 0x9e3779b9;
  // xorshift32: deterministic and far from compressible.
  const rnd = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const text = Array.from({ length: 300 }, () => String.fromCharCode(0xac00 + Math.floor(rnd() * 11172))).join("");
    lines.push(JSON.stringify({ id: `big-${i}`, text }));
  }
  const file = path.join(dir, "big.jsonl");
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

let input = "";

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), "korpipe-diskfull-"));
  input = bigCorpus(base);
  canMount = mount(path.join(base, "probe"), "size=64k");
  if (canMount) unmount(path.join(base, "probe"));
  if (!canMount && process.env.CI === "true") throw new Error("cannot mount a tmpfs (needs root): the disk-full tests must run in CI");
});

afterAll(() => {
  for (const d of ["full", "ro"]) unmount(path.join(base, d));
  rmSync(base, { recursive: true, force: true });
});

function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.startsWith("korpipe: error:"));
}

const temporaryFiles = (dir: string) => allFiles(dir).filter((f) => /\.tmp$/.test(f));

const commands: { name: string; args: (out: string) => string[] }[] = [
  { name: "clean", args: (out) => ["clean", input, "-o", out] },
  { name: "clean --compression gzip", args: (out) => ["clean", input, "-o", out, "--compression", "gzip"] },
  { name: "clean --compression zstd", args: (out) => ["clean", input, "-o", out, "--compression", "zstd"] },
  { name: "scrub --compression gzip", args: (out) => ["scrub", input, "-o", out, "--compression", "gzip"] },
  { name: "dedup", args: (out) => ["dedup", input, "-o", out] },
  { name: "tokenize", args: (out) => ["tokenize", input, "-o", path.join(out, "ko"), "--tokenizer", TOKENIZER] },
];

describe("a full disk (ENOSPC)", () => {
  it.each(commands)("$name: exit 1, one line naming the path and 'no space left on device', no temp files", ({ args }) => {
    if (!canMount) return;
    const full = path.join(base, "full");
    expect(mount(full, "size=256k")).toBe(true);
    try {
      const out = path.join(full, "out");
      const r = korpipe([...args(out), "--no-progress"]);
      expect(r.status, r.stderr).toBe(1);
      const lines = errorLines(r.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^korpipe: error: cannot write ${full}/\\S*: no space left on device \\(ENOSPC\\); free some space`));
      expect(temporaryFiles(full)).toEqual([]);
    } finally {
      unmount(full);
    }
  });

  it("run: exit 1 with one line, finished tasks kept, and the same command finishes once there is room", () => {
    if (!canMount) return;
    const full = path.join(base, "full");
    expect(mount(full, "size=256k")).toBe(true);
    const config = path.join(base, "run.json");
    const stages = [{ stage: "normalize" }, { stage: "scrub" }, { stage: "dedup" }, { stage: "tokenize", tokenizer: TOKENIZER }];
    writeFileSync(config, JSON.stringify({ inputs: [input], output: path.join(full, "run"), stages, tasks: 2 }));
    try {
      const r = korpipe(["run", config, "--no-progress"]);
      expect(r.status, r.stderr).toBe(1);
      const lines = errorLines(r.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^korpipe: error: cannot write \S+: no space left on device \(ENOSPC\); .*run the same command again to resume\)$/);
      expect(temporaryFiles(full)).toEqual([]);
      // Room again (the tmpfs grows in place): the advice works.
      expect(spawnSync("mount", ["-o", "remount,size=64m", full]).status).toBe(0);
      const again = korpipe(["run", config, "--no-progress"]);
      expect(again.status, again.stderr).toBe(0);
    } finally {
      unmount(full);
    }
  }, 180_000);
});

describe("a read-only file system (EROFS)", () => {
  it.each(commands.filter((c) => !c.name.includes("compression")))("$name: exit 1, one line naming the path and the cause", ({ args }) => {
    if (!canMount) return;
    const ro = path.join(base, "ro");
    expect(mount(ro, "size=64k,ro")).toBe(true);
    try {
      const r = korpipe([...args(path.join(ro, "out")), "--no-progress"]);
      expect(r.status, r.stderr).toBe(1);
      const lines = errorLines(r.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^korpipe: error: cannot write ${ro}/\\S*: read-only file system \\(EROFS\\); choose an output on a writable file system$`));
    } finally {
      unmount(ro);
    }
  });
});
