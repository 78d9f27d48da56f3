/**
 * A small pool of `korpipe task-server` child processes that run pipeline tasks one at a time each.
 * Processes, not threads: tokenizing in threads of one process cost 25-45% more CPU per byte than in
 * separate processes (see local-executor.ts). Kept alive across tasks and phases, so the half-second
 * start of a process is paid once per worker, not per task.
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface TaskMessage {
  outDir: string;
  phase: string;
  index: number;
}

/** What a task server sends back. */
export type ServerMessage = { type: "progress"; docs: number; bytes: number } | { type: "done" } | { type: "failed"; message: string };

const KORPIPE_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "korpipe");
const STDERR_TAIL = 4000;

interface Worker {
  child: ChildProcess;
  stderr: string;
  current?: { resolve(): void; reject(err: Error): void; onProgress(docs: number, bytes: number): void };
}

export class TaskProcessPool {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly waiting: ((w: Worker) => void)[] = [];

  constructor(private readonly size: number) {}

  private spawn(): Worker {
    const child = fork(KORPIPE_BIN, ["task-server"], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
    const w: Worker = { child, stderr: "" };
    child.stderr!.on("data", (c: Buffer) => {
      w.stderr = (w.stderr + c.toString("utf8")).slice(-STDERR_TAIL);
    });
    child.on("message", (raw) => {
      const m = raw as ServerMessage;
      if (!w.current) return;
      if (m.type === "progress") w.current.onProgress(m.docs, m.bytes);
      else if (m.type === "done") this.finish(w, undefined);
      else this.finish(w, new Error(m.message));
    });
    child.on("exit", (code, signal) => {
      this.all.delete(w);
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
      const tail = w.stderr.trim().split("\n").slice(-3).join(" / ");
      w.current?.reject(new Error(`task process exited with ${signal ?? `status ${code}`}${tail ? `: ${tail}` : ""}`));
      w.current = undefined;
    });
    this.all.add(w);
    return w;
  }

  private finish(w: Worker, err: Error | undefined): void {
    const job = w.current!;
    w.current = undefined;
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
    if (err) job.reject(err);
    else job.resolve();
  }

  private acquire(): Promise<Worker> {
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    if (this.all.size < this.size) return Promise.resolve(this.spawn());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async run(task: TaskMessage, onProgress: (docs: number, bytes: number) => void): Promise<void> {
    const w = await this.acquire();
    return new Promise<void>((resolve, reject) => {
      w.current = { resolve, reject, onProgress };
      w.child.send(task);
    });
  }

  /** Ends the idle servers; call when no task is running. */
  close(): void {
    for (const w of this.all) w.child.disconnect();
  }
}
