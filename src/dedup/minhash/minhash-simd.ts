/**
 * The MinHash inner loop in WebAssembly SIMD: eight permutations per pass over the shingles, four
 * per 128-bit lane group (i32x4 multiply, add, signed min). It computes exactly what the scalar
 * loop in minhash.ts computes, about three times faster, which makes signatures cost little more
 * than tokenizing. The module is twenty-odd instructions, so it is assembled here from its
 * opcodes rather than shipped as a binary; if the runtime lacks SIMD the scalar loop is used.
 *
 * Memory layout: [params: per group of 8 permutations a0..a7, b0..b7 as i32][minima: 8 i32 per
 * group][shingles: i32 ...]. Function `minhash(shingles, count, params, out, groups)`.
 */

// prettier-ignore
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const u32 = (n: number) => { const out: number[] = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
  const section = (id: number, body: number[]) => [id, ...u32(body.length), ...body];
  const str = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const I32 = 0x7f, V128 = 0x7b;
  const get = (i: number) => [0x20, i], set = (i: number) => [0x21, i], tee = (i: number) => [0x22, i];
  const simd = (op: number) => [0xfd, ...u32(op)];
  const v128Load = (offset: number) => [...simd(0x00), 4, offset];
  const v128Store = (offset: number) => [...simd(0x0b), 4, offset];
  const i32x4Splat = simd(0x11), i32x4Add = simd(0xae), i32x4Mul = simd(0xb5), i32x4MinS = simd(0xb6);
  const maxI32x4 = [...simd(0x0c), ...Array.from({ length: 4 }, () => [0xff, 0xff, 0xff, 0x7f]).flat()];
  // params: 0 shingles, 1 count, 2 params, 3 out, 4 groups; locals: 5 i, 6 p (i32); 7 a0, 8 a1, 9 b0, 10 b1, 11 m0, 12 m1, 13 x (v128)
  const body = [
    2, 2, I32, 7, V128,
    0x02, 0x40, // block: no groups → done
    ...get(4), 0x45, 0x0d, 0,
    0x03, 0x40, // loop over groups of 8 permutations
    ...get(2), ...v128Load(0), ...set(7),
    ...get(2), ...v128Load(16), ...set(8),
    ...get(2), ...v128Load(32), ...set(9),
    ...get(2), ...v128Load(48), ...set(10),
    ...maxI32x4, ...set(11),
    ...maxI32x4, ...set(12),
    ...get(0), ...set(6),
    ...get(1), ...set(5),
    0x02, 0x40, // block: no shingles → skip
    ...get(5), 0x45, 0x0d, 0,
    0x03, 0x40, // loop over shingles
    ...get(6), 0x28, 2, 0, ...i32x4Splat, ...set(13),
    ...get(11), ...get(7), ...get(13), ...i32x4Mul, ...get(9), ...i32x4Add, ...i32x4MinS, ...set(11),
    ...get(12), ...get(8), ...get(13), ...i32x4Mul, ...get(10), ...i32x4Add, ...i32x4MinS, ...set(12),
    ...get(6), 0x41, 4, 0x6a, ...set(6),
    ...get(5), 0x41, 1, 0x6b, ...tee(5), 0x0d, 0,
    0x0b,
    0x0b,
    ...get(3), ...get(11), ...v128Store(0),
    ...get(3), ...get(12), ...v128Store(16),
    ...get(3), 0x41, 32, 0x6a, ...set(3),
    ...get(2), 0x41, 0xc0, 0x00, 0x6a, ...set(2),
    ...get(4), 0x41, 1, 0x6b, ...tee(4), 0x0d, 0,
    0x0b,
    0x0b,
    0x0b,
  ];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 5, I32, I32, I32, I32, I32, 0]),
    ...section(2, [1, ...str("env"), ...str("mem"), 0x02, 0x00, 1]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...str("minhash"), 0x00, 0]),
    ...section(10, [1, ...u32(body.length), ...body]),
  ]);
}

let compiled: WebAssembly.Module | null | undefined;

function compiledModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(moduleBytes());
    } catch {
      compiled = null; // no SIMD in this runtime
    }
  }
  return compiled;
}

const PAGE = 65536;

/** Minima of a·x + b over shingles for padded-to-8 permutations; undefined when SIMD is unavailable. */
export class SimdMinHash {
  private readonly memory: WebAssembly.Memory;
  private readonly fn: (shingles: number, count: number, params: number, out: number, groups: number) => void;
  private readonly groups: number;
  private readonly outOffset: number;
  private readonly shOffset: number;
  private view: Int32Array;

  private constructor(module: WebAssembly.Module, a: Int32Array, b: Int32Array) {
    this.groups = a.length / 8;
    this.outOffset = this.groups * 64;
    this.shOffset = this.outOffset + this.groups * 32;
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((this.shOffset + 4096 * 4) / PAGE) });
    const instance = new WebAssembly.Instance(module, { env: { mem: this.memory } });
    this.fn = instance.exports.minhash as SimdMinHash["fn"];
    this.view = new Int32Array(this.memory.buffer);
    for (let g = 0; g < this.groups; g++) {
      for (let j = 0; j < 8; j++) {
        this.view[g * 16 + j] = a[g * 8 + j]!;
        this.view[g * 16 + 8 + j] = b[g * 8 + j]!;
      }
    }
  }

  /** `a` and `b` must have a length divisible by 8. */
  static create(a: Int32Array, b: Int32Array): SimdMinHash | undefined {
    if (a.length % 8 !== 0 || a.length !== b.length) throw new Error("SIMD MinHash needs permutations in groups of 8");
    const module = compiledModule();
    return module ? new SimdMinHash(module, a, b) : undefined;
  }

  /** Writes the signed minima (top bit flipped, as the scalar loop has them) to `out[0 .. 8·groups)`. */
  run(shingles: Int32Array, count: number, out: Int32Array): void {
    const need = this.shOffset + count * 4;
    if (need > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((need - this.memory.buffer.byteLength) / PAGE));
      this.view = new Int32Array(this.memory.buffer);
    }
    this.view.set(count === shingles.length ? shingles : shingles.subarray(0, count), this.shOffset / 4);
    this.fn(this.shOffset, count, 0, this.outOffset, this.groups);
    out.set(this.view.subarray(this.outOffset / 4, this.outOffset / 4 + this.groups * 8));
  }
}
