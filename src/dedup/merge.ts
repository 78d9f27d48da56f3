/**
 * k-way merge of sorted record files. Records compare by their key words, then by the rank of
 * the file they come from, then by their remaining words. Ranks are run numbers (earlier runs
 * hold earlier documents) or task numbers, so the merged order is (key, task, ordinal): a total
 * order that depends only on the data, never on timing.
 */
import { RecordFileReader } from "./files/record-file.js";

export class RecordCursor {
  /** Word offset of the current record in `reader.words`. */
  pos = 0;
  private end = 0;
  done = false;

  constructor(
    readonly reader: RecordFileReader,
    /** Ties on the key are broken by rank: lower first. */
    readonly rank: number,
  ) {
    this.load();
  }

  private load(): void {
    if (this.reader.nextChunk()) {
      this.pos = 0;
      this.end = this.reader.chunkRecords * this.reader.recordWords;
    } else this.done = true;
  }

  get words(): Uint32Array {
    return this.reader.words;
  }

  advance(): void {
    this.pos += this.reader.recordWords;
    if (this.pos >= this.end) this.load();
  }
}

function less(a: RecordCursor, b: RecordCursor, keyWords: number): boolean {
  const aw = a.words;
  const bw = b.words;
  for (let i = 0; i < keyWords; i++) {
    const x = aw[a.pos + i]!;
    const y = bw[b.pos + i]!;
    if (x !== y) return x < y;
  }
  if (a.rank !== b.rank) return a.rank < b.rank;
  const n = a.reader.recordWords;
  for (let i = keyWords; i < n; i++) {
    const x = aw[a.pos + i]!;
    const y = bw[b.pos + i]!;
    if (x !== y) return x < y;
  }
  return false;
}

/**
 * Calls `visit(cursor)` for every record of every cursor in merged order; the record is
 * `cursor.words[cursor.pos ..]` and is only valid during the call. Each file's checksum is
 * verified as its last chunk is read, so damage surfaces before the merge completes.
 */
export function mergeCursors(cursors: RecordCursor[], keyWords: number, visit: (c: RecordCursor) => void): void {
  const heap = cursors.filter((c) => !c.done);
  const siftDown = (i: number) => {
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const m = r < n && less(heap[r]!, heap[l]!, keyWords) ? r : l;
      if (!less(heap[m]!, heap[i]!, keyWords)) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i);
  while (heap.length > 0) {
    const top = heap[0]!;
    visit(top);
    top.advance();
    if (top.done) {
      const last = heap.pop()!;
      if (heap.length === 0) break;
      heap[0] = last;
    }
    siftDown(0);
  }
}
