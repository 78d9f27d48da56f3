/**
 * Progress on stderr for long runs: a live line on a terminal, a log line every few seconds
 * otherwise (CI logs, Slurm output files). Counts and rates only, never text.
 */
export interface ProgressOptions {
  label: string;
  /** Total raw bytes expected (sum of input file sizes), for percent and ETA. */
  totalBytes?: number;
  stream?: NodeJS.WriteStream;
  /** Seconds between log lines when not on a terminal (default 5, or KORPIPE_PROGRESS_SECONDS). */
  logEverySeconds?: number;
  enabled?: boolean;
}

const TTY_REDRAW_MS = 200;
const MAX_SHOWN_FRACTION = 0.99;

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export class Progress {
  private docs = 0;
  private bytes = 0;
  private readonly started = performance.now();
  private lastDraw = 0;
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly intervalMs: number;
  private readonly enabled: boolean;
  private drawn = false;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
    const envSeconds = Number(process.env.KORPIPE_PROGRESS_SECONDS);
    this.intervalMs = this.tty ? TTY_REDRAW_MS : 1000 * (options.logEverySeconds ?? (envSeconds > 0 ? envSeconds : 5));
    this.enabled = options.enabled ?? true;
  }

  setLabel(label: string): void {
    this.options.label = label;
  }

  addDocs(n = 1): void {
    this.docs += n;
    // Looking at the clock every 128 documents keeps the per-document cost negligible.
    if (n > 1 || (this.docs & 127) === 0) this.maybeDraw();
  }

  addBytes(n: number): void {
    this.bytes += n;
  }

  private maybeDraw(): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    this.draw(now);
  }

  line(now = performance.now()): string {
    const secs = Math.max((now - this.started) / 1000, 1e-3);
    const mb = this.bytes / 1e6;
    const parts = [`${this.options.label}: ${this.docs.toLocaleString("en-US")} docs`, `${mb.toFixed(1)} MB`];
    const total = this.options.totalBytes;
    if (total && total > 0) {
      // Bytes are counted as they are read, ahead of the work on them (read-ahead, batches in
      // flight, the tokenizer's tail): all read is not all done, so the count stops short of 100%.
      const frac = Math.min(this.bytes / total, MAX_SHOWN_FRACTION);
      parts.push(`${(frac * 100).toFixed(1)}%`);
      if (frac >= MAX_SHOWN_FRACTION) parts.push("finishing");
      else if (frac > 0) parts.push(`ETA ${formatDuration((secs / frac) * (1 - frac))}`);
    }
    parts.push(`${Math.round(this.docs / secs).toLocaleString("en-US")} docs/s`, `${(mb / secs).toFixed(1)} MB/s`);
    return parts.join(" | ");
  }

  private draw(now: number): void {
    if (this.tty) {
      const total = this.options.totalBytes;
      const frac = total ? Math.min(this.bytes / total, MAX_SHOWN_FRACTION) : 0;
      const width = 20;
      const bar = total ? `[${"#".repeat(Math.round(frac * width)).padEnd(width, ".")}] ` : "";
      this.stream.write(`\r\x1b[K${bar}${this.line(now)}`);
      this.drawn = true;
    } else {
      this.stream.write(`${new Date().toISOString()} ${this.line(now)}\n`);
    }
  }

  /** Clears the live line so the summary starts on a clean line. */
  finish(): void {
    if (this.enabled && this.tty && this.drawn) this.stream.write("\r\x1b[K");
  }
}
