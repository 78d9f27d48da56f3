/**
 * An Int32 array of any length in a bounded amount of memory: kept in memory when it fits the
 * budget, else in a file read and written in pages through a small cache (least recently loaded
 * page evicted first, written back if changed). Clustering's union-find lives in one, so that
 * phase 3 runs within --memory-mb however many documents there are; once spilled, each cache miss
 * costs a page read (and perhaps a write), so it is slower, never wrong.
 */
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

/** 64 KiB pages: large enough for sequential passes, small enough for many in a small budget. */
const PAGE_SHIFT = 14;
const PAGE_LEN = 1 << PAGE_SHIFT;
const PAGE_MASK = PAGE_LEN - 1;

export class PagedInt32Array {
  /** Set when everything fits in memory. */
  private readonly whole: Int32Array | undefined;
  private readonly fd: number | undefined;
  private readonly pages = new Map<number, { data: Int32Array; dirty: boolean }>();
  private readonly maxPages: number;
  private lastNo = -1;
  private last: { data: Int32Array; dirty: boolean } | undefined;
  /** Pages read from or written to the file, for statistics. */
  pageIO = 0;

  /**
   * `length` entries, all 0 (as a file's holes read); at most `budgetBytes` of memory for them.
   * Past the budget they go to `spillFile` (created, and removed by close()).
   */
  constructor(
    readonly length: number,
    budgetBytes: number,
    private readonly spillFile: string,
  ) {
    if (length * 4 <= budgetBytes) {
      this.whole = new Int32Array(length);
      this.maxPages = 0;
      return;
    }
    this.maxPages = Math.max(2, Math.floor(budgetBytes / (PAGE_LEN * 4)));
    mkdirSync(path.dirname(spillFile), { recursive: true });
    // Pages never written read back as zeros: the file starts empty and grows as pages are evicted.
    this.fd = openSync(spillFile, "w+");
  }

  /** True when the array lives in a file. */
  get spilled(): boolean {
    return this.whole === undefined;
  }

  get(i: number): number {
    if (this.whole) return this.whole[i]!;
    return this.page(i >>> PAGE_SHIFT).data[i & PAGE_MASK]!;
  }

  set(i: number, v: number): void {
    if (this.whole) {
      this.whole[i] = v;
      return;
    }
    const p = this.page(i >>> PAGE_SHIFT);
    p.data[i & PAGE_MASK] = v;
    p.dirty = true;
  }

  private page(no: number): { data: Int32Array; dirty: boolean } {
    if (no === this.lastNo) return this.last!;
    let p = this.pages.get(no);
    if (!p) {
      if (this.pages.size >= this.maxPages) this.evictOldest();
      p = { data: this.load(no), dirty: false };
      this.pages.set(no, p);
    }
    this.lastNo = no;
    this.last = p;
    return p;
  }

  private evictOldest(): void {
    const [no, p] = this.pages.entries().next().value as [number, { data: Int32Array; dirty: boolean }];
    this.pages.delete(no);
    if (no === this.lastNo) this.lastNo = -1;
    if (p.dirty) {
      const bytes = new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength);
      let off = 0;
      while (off < bytes.length) off += writeSync(this.fd!, bytes, off, bytes.length - off, no * PAGE_LEN * 4 + off);
      this.pageIO++;
    }
  }

  private load(no: number): Int32Array {
    const data = new Int32Array(PAGE_LEN);
    const bytes = new Uint8Array(data.buffer);
    let off = 0;
    while (off < bytes.length) {
      const n = readSync(this.fd!, bytes, off, bytes.length - off, no * PAGE_LEN * 4 + off);
      if (n <= 0) break;
      off += n;
    }
    if (off > 0) this.pageIO++;
    return data;
  }

  close(): void {
    this.pages.clear();
    this.last = undefined;
    this.lastNo = -1;
    if (this.fd !== undefined) {
      closeSync(this.fd);
      rmSync(this.spillFile, { force: true });
    }
  }
}
