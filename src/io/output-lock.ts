/**
 * One korpipe command per output directory at a time. The lock file holds the holder's host, pid
 * and command; it is created atomically (written under a temporary name, then hard-linked into
 * place, which fails if the lock exists), so two starts cannot both win. A lock whose holder is a
 * dead process on this host is taken over; one from another host is refused with the way out.
 * Only the process that starts a command takes the lock: Slurm array tasks of a run do not.
 */
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { temporaryNameFor } from "./atomic-file.js";
import { writeErrorFor } from "./write-error.js";

export const LOCK_NAME = ".korpipe.lock";

interface LockHolder {
  host: string;
  pid: number;
  command: string;
  since: string;
}

/** Another live korpipe holds the directory; the message says who and what to do. */
export class OutputLockedError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

async function readHolder(file: string): Promise<LockHolder | undefined> {
  try {
    const h = JSON.parse(await readFile(file, "utf8")) as LockHolder;
    return typeof h.host === "string" && Number.isInteger(h.pid) ? h : undefined;
  } catch {
    return undefined;
  }
}

export class OutputLock {
  private constructor(readonly file: string) {}

  /** Takes the lock on `dir` (created if needed) for `command`, or throws OutputLockedError. */
  static async acquire(dir: string, command: string): Promise<OutputLock> {
    const file = path.join(dir, LOCK_NAME);
    const me: LockHolder = { host: os.hostname(), pid: process.pid, command, since: new Date().toISOString() };
    const tmp = temporaryNameFor(file);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(tmp, JSON.stringify(me) + "\n");
    } catch (err) {
      await rm(tmp, { force: true });
      throw writeErrorFor(file, err);
    }
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await link(tmp, file);
          return new OutputLock(file);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw writeErrorFor(file, err);
        }
        const holder = await readHolder(file);
        const stale = holder ? holder.host === me.host && (holder.pid === process.pid || !alive(holder.pid)) : false;
        if (stale && attempt === 0) {
          await rm(file, { force: true });
          continue;
        }
        throw new OutputLockedError(
          holder
            ? `${dir} is in use by korpipe ${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.since}); ` +
                `wait for it to finish, or if that process is gone for good, delete ${file} and rerun`
            : `${dir} is locked by another korpipe (${file} is being written or is damaged); if no korpipe is running there, delete ${file} and rerun`,
        );
      }
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async release(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
