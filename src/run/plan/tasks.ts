/**
 * Splitting the sorted inputs into tasks: contiguous runs of files (or slices of big files) of about
 * equal size, so that the concatenation of the tasks in order is the input order (dedup's keep-first
 * and the merged shards depend on that), whatever the number of tasks.
 */
export interface SizedPart<P = string> {
  part: P;
  size: number;
}

/** Up to `n` non-empty tasks; fewer when there are fewer parts (a part is never split). */
export function splitIntoTasks<P>(files: SizedPart<P>[], n: number): P[][] {
  if (files.length === 0) return [];
  const count = Math.max(1, Math.min(n, files.length));
  // Weigh empty files a little so that they still spread out.
  const weights = files.map((f) => Math.max(f.size, 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const tasks: P[][] = Array.from({ length: count }, () => []);
  let before = 0;
  files.forEach((f, i) => {
    const mid = before + weights[i]! / 2;
    tasks[Math.min(count - 1, Math.floor((mid * count) / total))]!.push(f.part);
    before += weights[i]!;
  });
  return tasks.filter((t) => t.length > 0);
}

export function defaultTaskCount(cores: number): number {
  return Math.max(1, cores * 2);
}

export { taskName } from "../../io/task-name.js";
