/**
 * A DDSketch-style quantile sketch (Masson, Rim and Lee, VLDB 2019): values fall into logarithmic
 * buckets (γ^(k−1), γ^k] with γ = (1 + α)/(1 − α), so every quantile it returns lies within a
 * relative error α of the true value at that rank. Memory is bounded by `maxBins` (the lowest
 * buckets collapse into one when the range grows past it, so the high quantiles we care about for
 * latency keep their guarantee). Two sketches with the same α merge exactly by adding counts.
 * Counts are floating point so that recency can decay them (`scale`).
 */

export interface SketchJSON {
  readonly alpha: number;
  readonly maxBins: number;
  readonly zero: number;
  /** Key of counts[0]. */
  readonly lo: number;
  readonly counts: readonly number[];
}

export const DEFAULT_SKETCH_ALPHA = 0.01;
export const DEFAULT_SKETCH_MAX_BINS = 2048;
/** Values at or below this (e.g. a 0 ms latency) are counted in the zero bucket and read back as 0. */
export const SKETCH_MIN_VALUE = 1e-6;

const BYTES_FORMAT = 1;
const HEADER_BYTES = 1 + 8 + 4 + 8 + 4 + 4;

export class LogSketch {
  readonly alpha: number;
  readonly gamma: number;
  readonly maxBins: number;
  private readonly lnGamma: number;
  private counts: Float64Array = new Float64Array(0);
  /** Key stored at counts[0]. */
  private offset = 0;
  /** Lowest and highest key in use; lo > hi when no bucket is in use. */
  private lo = 1;
  private hi = 0;
  private zero = 0;
  private total = 0;

  constructor(alpha = DEFAULT_SKETCH_ALPHA, maxBins = DEFAULT_SKETCH_MAX_BINS) {
    if (!(alpha > 0 && alpha < 1)) throw new RangeError('sketch alpha must lie in (0, 1)');
    if (!(maxBins >= 8)) throw new RangeError('sketch maxBins must be at least 8');
    this.alpha = alpha;
    this.gamma = (1 + alpha) / (1 - alpha);
    this.lnGamma = Math.log(this.gamma);
    this.maxBins = Math.floor(maxBins);
  }

  /** Total weight added (decayed when `scale` was used). */
  get count(): number {
    return this.total;
  }

  /** Number of buckets spanned (a measure of memory use). */
  get bins(): number {
    return this.lo > this.hi ? 0 : this.hi - this.lo + 1;
  }

  add(x: number, weight = 1): void {
    if (!(weight > 0) || Number.isNaN(x)) return;
    this.total += weight;
    if (x <= SKETCH_MIN_VALUE) {
      this.zero += weight;
      return;
    }
    if (x === Number.POSITIVE_INFINITY) x = Number.MAX_VALUE;
    const i = this.slot(Math.ceil(Math.log(x) / this.lnGamma));
    (this.counts as Float64Array)[i] = ((this.counts as Float64Array)[i] as number) + weight;
  }

  /**
   * The value at rank q·(count − 1) (q in [0, 1]): the bucket holding the ⌊q(n−1)⌋-th smallest value
   * (0-based) when weights are whole. NaN for an empty sketch.
   */
  quantile(q: number): number {
    if (!(this.total > 0)) return Number.NaN;
    const rank = Math.max(0, Math.min(1, q)) * Math.max(0, this.total - 1);
    let cum = this.zero;
    if (cum > rank) return 0;
    for (let k = this.lo; k <= this.hi; k++) {
      cum += this.counts[k - this.offset] as number;
      if (cum > rank) return this.valueOf(k);
    }
    return this.lo > this.hi ? 0 : this.valueOf(this.hi);
  }

  /** Multiplies every count by f (0 < f ≤ 1): exponential forgetting. O(bins). */
  scale(f: number): void {
    if (!(f > 0) || f >= 1) return;
    for (let k = this.lo; k <= this.hi; k++) {
      const i = k - this.offset;
      (this.counts as Float64Array)[i] = (this.counts[i] as number) * f;
    }
    this.zero *= f;
    this.total *= f;
    if (this.total < 1e-300) this.clear();
  }

  merge(other: LogSketch): void {
    if (other.alpha !== this.alpha) throw new RangeError('cannot merge sketches with different alpha');
    this.zero += other.zero;
    this.total += other.total;
    if (other.lo > other.hi) return;
    // Claim the extremes first so that collapsing (if any) happens once, the same way as adding.
    this.slot(other.hi);
    this.slot(other.lo);
    for (let k = other.lo; k <= other.hi; k++) {
      const c = other.counts[k - other.offset] as number;
      if (c === 0) continue;
      const i = this.slot(k);
      (this.counts as Float64Array)[i] = (this.counts[i] as number) + c;
    }
  }

  clear(): void {
    this.counts = new Float64Array(0);
    this.offset = 0;
    this.lo = 1;
    this.hi = 0;
    this.zero = 0;
    this.total = 0;
  }

  clone(): LogSketch {
    return LogSketch.fromJSON(this.toJSON());
  }

  /** Representative value of bucket k: the point within relative error α of both its edges. */
  private valueOf(k: number): number {
    return (2 * Math.exp(k * this.lnGamma)) / (this.gamma + 1);
  }

  /** Index into counts for key k, growing (or collapsing the lowest buckets) as needed. */
  private slot(k: number): number {
    if (this.lo > this.hi) {
      if (this.counts.length === 0) this.counts = new Float64Array(64);
      this.offset = k - (this.counts.length >> 1);
      this.lo = k;
      this.hi = k;
      return k - this.offset;
    }
    if (k >= this.lo && k <= this.hi) return k - this.offset;
    let newLo = Math.min(this.lo, k);
    const newHi = Math.max(this.hi, k);
    if (newHi - newLo + 1 > this.maxBins) {
      newLo = newHi - this.maxBins + 1;
      this.collapseBelow(newLo);
      if (k < newLo) k = newLo;
    }
    if (newLo < this.offset || newHi >= this.offset + this.counts.length) this.realloc(newLo, newHi);
    this.lo = Math.min(this.lo, newLo);
    this.hi = newHi;
    return k - this.offset;
  }

  /** Folds every bucket below key `floor` into bucket `floor` (DDSketch's lowest-collapsing store). */
  private collapseBelow(floor: number): void {
    if (this.lo >= floor) return;
    let moved = 0;
    for (let k = this.lo; k <= Math.min(this.hi, floor - 1); k++) {
      const i = k - this.offset;
      moved += this.counts[i] as number;
      (this.counts as Float64Array)[i] = 0;
    }
    if (this.hi < floor) {
      // Everything in use lay below the floor: the floor bucket becomes the only one in use.
      this.realloc(floor, floor);
      this.lo = floor;
      this.hi = floor;
    } else {
      this.lo = floor;
    }
    const fi = floor - this.offset;
    (this.counts as Float64Array)[fi] = (this.counts[fi] as number) + moved;
  }

  private realloc(newLo: number, newHi: number): void {
    const span = newHi - newLo + 1;
    const slack = Math.min(64, Math.max(8, span >> 1));
    const len = Math.min(this.maxBins + 2 * slack, span + 2 * slack);
    const offset = newLo - Math.floor((len - span) / 2);
    const next = new Float64Array(len);
    if (this.lo <= this.hi) {
      for (let k = Math.max(this.lo, offset); k <= Math.min(this.hi, offset + len - 1); k++)
        next[k - offset] = this.counts[k - this.offset] as number;
    }
    this.counts = next;
    this.offset = offset;
  }

  toJSON(): SketchJSON {
    const counts: number[] = [];
    let lo = this.lo;
    let hi = this.hi;
    while (lo <= hi && this.counts[lo - this.offset] === 0) lo++;
    while (hi >= lo && this.counts[hi - this.offset] === 0) hi--;
    for (let k = lo; k <= hi; k++) counts.push(this.counts[k - this.offset] as number);
    return { alpha: this.alpha, maxBins: this.maxBins, zero: this.zero, lo, counts };
  }

  static fromJSON(j: SketchJSON): LogSketch {
    const s = new LogSketch(j.alpha, j.maxBins);
    s.zero = j.zero;
    s.total = j.zero;
    if (j.counts.length > 0) {
      s.counts = new Float64Array(j.counts.length + 16);
      s.offset = j.lo - 8;
      s.lo = j.lo;
      s.hi = j.lo + j.counts.length - 1;
      for (let i = 0; i < j.counts.length; i++) {
        const c = j.counts[i] as number;
        s.counts[i + 8] = c;
        s.total += c;
      }
    }
    return s;
  }

  /** Compact little-endian bytes for a database blob: header, then one float64 per bucket. */
  toBytes(): Uint8Array {
    let lo = this.lo;
    let hi = this.hi;
    while (lo <= hi && this.counts[lo - this.offset] === 0) lo++;
    while (hi >= lo && this.counts[hi - this.offset] === 0) hi--;
    const n = lo <= hi ? hi - lo + 1 : 0;
    const out = new Uint8Array(HEADER_BYTES + 8 * n);
    const v = new DataView(out.buffer);
    v.setUint8(0, BYTES_FORMAT);
    v.setFloat64(1, this.alpha, true);
    v.setUint32(9, this.maxBins, true);
    v.setFloat64(13, this.zero, true);
    v.setInt32(21, n > 0 ? lo : 0, true);
    v.setUint32(25, n, true);
    for (let i = 0; i < n; i++)
      v.setFloat64(HEADER_BYTES + 8 * i, this.counts[lo - this.offset + i] as number, true);
    return out;
  }

  static fromBytes(bytes: Uint8Array): LogSketch {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.byteLength < HEADER_BYTES || v.getUint8(0) !== BYTES_FORMAT)
      throw new RangeError('not a sketch blob (unknown format)');
    const n = v.getUint32(25, true);
    if (bytes.byteLength !== HEADER_BYTES + 8 * n) throw new RangeError('sketch blob has the wrong length');
    const counts: number[] = new Array(n);
    for (let i = 0; i < n; i++) counts[i] = v.getFloat64(HEADER_BYTES + 8 * i, true);
    return LogSketch.fromJSON({
      alpha: v.getFloat64(1, true),
      maxBins: v.getUint32(9, true),
      zero: v.getFloat64(13, true),
      lo: v.getInt32(21, true),
      counts,
    });
  }
}
