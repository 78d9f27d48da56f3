/** A growable run of token ids: the engines append to it, the batch seam reads it once. */
export class IdBuffer {
  ids: Int32Array;
  length = 0;

  constructor(capacity = 1 << 12) {
    this.ids = new Int32Array(capacity);
  }

  /** Makes room for `n` more ids; `ids` may be a new array afterwards. */
  reserve(n: number): void {
    const needed = this.length + n;
    if (needed <= this.ids.length) return;
    // Growing by half keeps the copy made while growing small next to one huge document's ids.
    let size = Math.ceil(this.ids.length * 1.5);
    while (size < needed) size *= 2;
    const grown = new Int32Array(size);
    grown.set(this.ids.subarray(0, this.length));
    this.ids = grown;
  }

  push(id: number): void {
    this.reserve(1);
    this.ids[this.length++] = id;
  }
}
