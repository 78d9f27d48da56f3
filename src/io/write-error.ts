/**
 * Write failures told the way a user can act on them: one line with the file, the cause in words
 * and what to do, whatever the code path (plain, gzip, zstd, sync or async writes).
 */

import { existsSync, mkdirSync, rmdirSync } from "node:fs";
import path from "node:path";

const CAUSES: Record<string, { cause: string; advice: string }> = {
  ENOSPC: { cause: "no space left on device", advice: "free some space or choose an output on another disk" },
  EDQUOT: { cause: "disk quota exceeded", advice: "free some space or choose an output on another disk" },
  EFBIG: { cause: "file too large for this file system", advice: "choose an output on another file system" },
  EACCES: { cause: "permission denied", advice: "fix the permissions or choose another output" },
  EPERM: { cause: "operation not permitted", advice: "fix the permissions or choose another output" },
  EROFS: { cause: "read-only file system", advice: "choose an output on a writable file system" },
  EIO: { cause: "input/output error", advice: "check the disk, then rerun" },
  ENOTDIR: { cause: "a path component is a file, not a directory", advice: "choose another output" },
  EISDIR: { cause: "a directory is in the way", advice: "remove it or choose another output" },
};

/** Thrown for any failed write; `message` is the whole one-line explanation. */
export class WriteError extends Error {
  readonly code: string | undefined;
  readonly path: string;
  constructor(file: string, code: string | undefined, cause: string, advice: string) {
    super(`cannot write ${file}: ${cause}${code ? ` (${code})` : ""}; ${advice}`);
    this.code = code;
    this.path = file;
  }
}

/** Whether an error is a file-system failure korpipe should explain as a write error. */
export function isFileSystemError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === "string" && (err as NodeJS.ErrnoException).code! in CAUSES;
}

/** Wraps a write failure on `file` (an error already wrapped is passed through unchanged). */
export function writeErrorFor(file: string, err: unknown): Error {
  if (err instanceof WriteError) return err;
  let code = (err as NodeJS.ErrnoException | undefined)?.code;
  // Recursive mkdir reports ENOENT when a parent cannot be made (read-only or forbidden): find the real cause.
  if (code === "ENOENT" && (err as NodeJS.ErrnoException).syscall === "mkdir") code = mkdirCause(file) ?? code;
  const known = code ? CAUSES[code] : undefined;
  if (known) return new WriteError(file, code, known.cause, known.advice);
  // Not a file-system error (a bug, a stream torn down): keep it, but still name the file.
  const msg = err instanceof Error ? err.message : String(err);
  return new WriteError(file, code, msg, "check the output location and rerun");
}

const CODE_IN_MESSAGE = new RegExp(`^(?:Error: )?(${Object.keys(CAUSES).join("|")})\\b`);

/**
 * The one-line form of a failure that crossed a thread (worker errors arrive as bare messages):
 * a message already of the "cannot write" kind is kept, a raw "ENOSPC: ..., write" is explained
 * as a write failure under `where`; anything else gives undefined.
 */
export function writeFailureLine(message: string, where: string): string | undefined {
  if (message.startsWith("cannot write ")) return message.split("\n")[0];
  const m = CODE_IN_MESSAGE.exec(message);
  if (!m) return undefined;
  const known = CAUSES[m[1]!]!;
  return new WriteError(where, m[1], known.cause, known.advice).message;
}

/** Why no directory can be made on the way to `file`: tried below its nearest existing ancestor. */
function mkdirCause(file: string): string | undefined {
  let dir = path.dirname(path.resolve(file));
  while (!existsSync(dir)) {
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    const probe = path.join(parent, `.korpipe-probe-${process.pid}`);
    if (existsSync(parent)) {
      try {
        mkdirSync(probe);
        rmdirSync(probe);
        return undefined;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code;
      }
    }
    dir = parent;
  }
  return undefined;
}
