/**
 * `out` of the run state: block index → latest output, as a persistent vector of 32-wide chunks.
 * An update copies one chunk and the chunk table (≈ n/32 + 32 slots), never the whole state: a
 * 1,000-block chain writes ~64 slots per step instead of 1,000, and every earlier version stays
 * valid and unchanged (structural sharing).
 */
const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

export class OutVector {
  private constructor(
    private readonly chunks: readonly (readonly unknown[] | undefined)[],
    readonly size: number,
  ) {}

  static empty(blockCount: number): OutVector {
    return new OutVector(new Array(Math.ceil(blockCount / WIDTH)).fill(undefined), blockCount);
  }

  get(i: number): unknown {
    return this.chunks[i >>> BITS]?.[i & MASK];
  }

  has(i: number): boolean {
    const c = this.chunks[i >>> BITS];
    return c !== undefined && (i & MASK) in c && c[i & MASK] !== undefined;
  }

  set(i: number, value: unknown): OutVector {
    const ci = i >>> BITS;
    const old = this.chunks[ci];
    const chunk = old ? old.slice() : new Array<unknown>(WIDTH);
    chunk[i & MASK] = value;
    const chunks = this.chunks.slice();
    chunks[ci] = chunk;
    return new OutVector(chunks, this.size);
  }

  /** Indexes that hold a value. */
  *keys(): Generator<number> {
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c];
      if (!chunk) continue;
      for (let j = 0; j < WIDTH; j++) if (chunk[j] !== undefined) yield c * WIDTH + j;
    }
  }
}
