/**
 * An Int32 array of any length in a bounded amount of memory: kept in memory when it fits the
 * budget, else in a file read and written in pages through a small cache (least recently loaded
 * page evicted first, written back if changed). Clustering's union-find lives in one, so that
 * phase 3 runs within --memory-mb however many documents there are; once spilled, each cache miss
 * costs a page read (and perhaps a write), so it is slower, never wrong.
 */
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

/** Pages of 4-64 KiB: at least MIN_PAGES of them fit the budget, so random access still finds some cached. */
const MIN_PAGE_SHIFT = 10;
const MAX_PAGE_SHIFT = 14;
const MIN_PAGES = 256;

interface Page {
  data: Int32Array;
  dirty: boolean;
}

export class PagedInt32Array {
  /** Set when everything fits in memory. */
  private readonly whole: Int32Array | undefined;
  private readonly fd: number | undefined;
  private readonly pages = new Map<number, Page>();
  private readonly maxPages: number;
  private readonly shift: number;
  private readonly mask: number;
  private lastNo = -1;
  private last: Page | undefined;
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
    let shift = MAX_PAGE_SHIFT;
    while (shift > MIN_PAGE_SHIFT && (4 << shift) * MIN_PAGES > budgetBytes) shift--;
    this.shift = shift;
    this.mask = (1 << shift) - 1;
    if (length * 4 <= budgetBytes) {
      this.whole = new Int32Array(length);
      this.maxPages = 0;
      return;
    }
    this.maxPages = Math.max(2, Math.floor(budgetBytes / (4 << shift)));
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
    return this.page(i >>> this.shift).data[i & this.mask]!;
  }

  set(i: number, v: number): void {
    if (this.whole) {
      this.whole[i] = v;
      return;
    }
    const p = this.page(i >>> this.shift);
    p.data[i & this.mask] = v;
    p.dirty = true;
  }

  private page(no: number): Page {
    if (no === this.lastNo) return this.last!;
    let p = this.pages.get(no);
    if (!p) {
      // The evicted page's memory is reused: a spilled array allocates nothing after warm-up.
      const data = this.pages.size >= this.maxPages ? this.evictOldest() : new Int32Array(1 << this.shift);
      p = { data, dirty: false };
      this.load(no, data);
      this.pages.set(no, p);
    }
    this.lastNo = no;
    this.last = p;
    return p;
  }

  private evictOldest(): Int32Array {
    const [no, p] = this.pages.entries().next().value as [number, Page];
    this.pages.delete(no);
    if (no === this.lastNo) this.lastNo = -1;
    if (p.dirty) {
      const bytes = new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength);
      let off = 0;
      while (off < bytes.length) off += writeSync(this.fd!, bytes, off, bytes.length - off, no * bytes.length + off);
      this.pageIO++;
    }
    return p.data;
  }

  private load(no: number, data: Int32Array): void {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    let off = 0;
    while (off < bytes.length) {
      const n = readSync(this.fd!, bytes, off, bytes.length - off, no * bytes.length + off);
      if (n <= 0) break;
      off += n;
    }
    if (off > 0) this.pageIO++;
    // Past the file's end the page was never written: it still holds zeros.
    bytes.fill(0, off);
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
