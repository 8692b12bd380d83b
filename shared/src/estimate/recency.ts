import { LogSketch, type SketchJSON } from './sketch';
import { type MomentsState, Welford } from './welford';

/**
 * Recency for latency, so that an estimate follows a provider that slows down without becoming
 * noisy while nothing changes. Two mechanisms:
 *
 * 1. Exponential forgetting with a long half-life (in samples): the mean, variance and the quantile
 *    sketch weigh recent attempts more, which follows slow drift at almost no cost in accuracy.
 * 2. A two-sided CUSUM change detector on log-latency (latency is roughly log-normal, so a provider
 *    that gets k times slower shifts the log by ln k whatever its spread). When the cumulative
 *    evidence passes the threshold, the figures restart from the samples since the estimated change
 *    point, kept in a small ring buffer. A doubling is detected in a handful of samples, and false
 *    alarms on an unchanged provider are rare (average run length in the thousands with the defaults).
 *
 * All state is a few numbers, a fixed-size ring and the sketch: memory does not grow with history.
 */

export interface RecencyOptions {
  /** Samples after which an old sample weighs half as much as a new one. */
  readonly halfLife: number;
  /** CUSUM slack, in standard deviations of log-latency. */
  readonly cusumK: number;
  /** CUSUM decision threshold, in standard deviations of log-latency. */
  readonly cusumH: number;
  /** How many recent latencies to keep for restarting after a detected change. */
  readonly ringSize: number;
  /** Samples (since the start or the last change) before the detector runs. */
  readonly warmup: number;
  /** Floor of the log-latency standard deviation used to standardise (avoids hair triggers). */
  readonly minLogStd: number;
  /** The sketch is decayed once per this many samples (amortises its O(bins) cost). */
  readonly sketchDecayEvery: number;
}

export const DEFAULT_RECENCY: RecencyOptions = Object.freeze({
  halfLife: 500,
  cusumK: 0.5,
  cusumH: 8,
  ringSize: 32,
  warmup: 20,
  minLogStd: 0.05,
  sketchDecayEvery: 16,
});

export interface RecentLatencyJSON {
  readonly moments: MomentsState;
  readonly logMoments: MomentsState;
  readonly hi: number;
  readonly lo: number;
  readonly hiLen: number;
  readonly loLen: number;
  /** The most recent latencies, oldest first. */
  readonly ring: readonly number[];
  readonly sinceReset: number;
  readonly changes: number;
  readonly pendingDecay: number;
  /** Absent when the caller stores the sketch separately (the server keeps it as a blob). */
  readonly sketch?: SketchJSON | undefined;
}

const LOG_FLOOR_MS = 1e-3;
const ARRAY_FORMAT = 1;
const ARRAY_HEADER = 15;

export class RecentLatency {
  readonly opts: RecencyOptions;
  readonly moments = new Welford();
  readonly logMoments = new Welford();
  sketch: LogSketch;
  private readonly decay: number;
  private hi = 0;
  private lo = 0;
  private hiLen = 0;
  private loLen = 0;
  private ring: Float64Array;
  private written = 0;
  private sinceReset = 0;
  /** How many changes were detected (exposed for diagnostics and tests). */
  changes = 0;
  private pendingDecay = 0;

  constructor(opts: Partial<RecencyOptions> = {}, sketch?: LogSketch) {
    this.opts = { ...DEFAULT_RECENCY, ...opts };
    this.decay = 2 ** (-1 / this.opts.halfLife);
    this.ring = new Float64Array(this.opts.ringSize);
    this.sketch = sketch ?? new LogSketch();
  }

  add(latencyMs: number): void {
    if (!Number.isFinite(latencyMs) || latencyMs < 0) return;
    const lx = Math.log(Math.max(latencyMs, LOG_FLOOR_MS));
    // Test the new sample against the figures from before it, so it cannot mask itself.
    let changeLen = 0;
    if (this.sinceReset >= this.opts.warmup) {
      const sd = Math.max(this.logMoments.std(), this.opts.minLogStd);
      const z = (lx - this.logMoments.mean) / sd;
      this.hi = Math.max(0, this.hi + z - this.opts.cusumK);
      this.lo = Math.max(0, this.lo - z - this.opts.cusumK);
      this.hiLen = this.hi > 0 ? this.hiLen + 1 : 0;
      this.loLen = this.lo > 0 ? this.loLen + 1 : 0;
      if (this.hi > this.opts.cusumH) changeLen = this.hiLen;
      else if (this.lo > this.opts.cusumH) changeLen = this.loLen;
    }
    this.ring[this.written % this.ring.length] = latencyMs;
    this.written++;
    if (changeLen > 0) {
      this.restartFromRing(Math.min(changeLen, this.ring.length, this.written));
      return;
    }
    this.moments.scale(this.decay);
    this.moments.add(latencyMs);
    this.logMoments.scale(this.decay);
    this.logMoments.add(lx);
    this.sketch.add(latencyMs);
    this.sinceReset++;
    if (++this.pendingDecay >= this.opts.sketchDecayEvery) this.flushSketchDecay();
  }

  /** Decayed mean latency (ms). */
  mean(): number {
    return this.moments.mean;
  }

  std(): number {
    return this.moments.std();
  }

  quantile(q: number): number {
    return this.sketch.quantile(q);
  }

  /** Brings the sketch's decay up to date (quantiles are read after this at each flush). */
  flushSketchDecay(): void {
    if (this.pendingDecay > 0) {
      this.sketch.scale(this.decay ** this.pendingDecay);
      this.pendingDecay = 0;
    }
  }

  /** Forgets everything before the estimated change point: figures restart from the last n samples. */
  private restartFromRing(n: number): void {
    this.moments.reset();
    this.logMoments.reset();
    this.sketch = new LogSketch(this.sketch.alpha, this.sketch.maxBins);
    const size = this.ring.length;
    for (let i = this.written - n; i < this.written; i++) {
      const x = this.ring[((i % size) + size) % size] as number;
      this.moments.scale(this.decay);
      this.moments.add(x);
      this.logMoments.scale(this.decay);
      this.logMoments.add(Math.log(Math.max(x, LOG_FLOOR_MS)));
      this.sketch.add(x);
    }
    this.hi = 0;
    this.lo = 0;
    this.hiLen = 0;
    this.loLen = 0;
    this.sinceReset = n;
    this.pendingDecay = 0;
    this.changes++;
  }

  toJSON(includeSketch = true): RecentLatencyJSON {
    const ring: number[] = [];
    const size = this.ring.length;
    const n = Math.min(this.written, size);
    for (let i = this.written - n; i < this.written; i++) ring.push(this.ring[i % size] as number);
    return {
      moments: this.moments.toJSON(),
      logMoments: this.logMoments.toJSON(),
      hi: this.hi,
      lo: this.lo,
      hiLen: this.hiLen,
      loLen: this.loLen,
      ring,
      sinceReset: this.sinceReset,
      changes: this.changes,
      pendingDecay: this.pendingDecay,
      sketch: includeSketch ? this.sketch.toJSON() : undefined,
    };
  }

  /**
   * The state without the sketch as a flat Float64Array (a compact blob for storage):
   * [format, moments n/mean/m2, log moments n/mean/m2, hi, lo, hiLen, loLen, sinceReset, changes,
   * pendingDecay, ring length, ring (oldest first)].
   */
  toArray(): Float64Array {
    const size = this.ring.length;
    const n = Math.min(this.written, size);
    const a = new Float64Array(ARRAY_HEADER + n);
    a[0] = ARRAY_FORMAT;
    a[1] = this.moments.n;
    a[2] = this.moments.mean;
    a[3] = this.moments.m2;
    a[4] = this.logMoments.n;
    a[5] = this.logMoments.mean;
    a[6] = this.logMoments.m2;
    a[7] = this.hi;
    a[8] = this.lo;
    a[9] = this.hiLen;
    a[10] = this.loLen;
    a[11] = this.sinceReset;
    a[12] = this.changes;
    a[13] = this.pendingDecay;
    a[14] = n;
    for (let i = 0; i < n; i++) a[ARRAY_HEADER + i] = this.ring[(this.written - n + i) % size] as number;
    return a;
  }

  static fromArray(a: Float64Array, opts: Partial<RecencyOptions> = {}, sketch?: LogSketch): RecentLatency {
    if (a.length < ARRAY_HEADER || a[0] !== ARRAY_FORMAT)
      throw new RangeError('not a recency state (unknown format)');
    const n = a[14] as number;
    const ring: number[] = [];
    for (let i = 0; i < n; i++) ring.push(a[ARRAY_HEADER + i] as number);
    return RecentLatency.fromJSON(
      {
        moments: { n: a[1] as number, mean: a[2] as number, m2: a[3] as number },
        logMoments: { n: a[4] as number, mean: a[5] as number, m2: a[6] as number },
        hi: a[7] as number,
        lo: a[8] as number,
        hiLen: a[9] as number,
        loLen: a[10] as number,
        sinceReset: a[11] as number,
        changes: a[12] as number,
        pendingDecay: a[13] as number,
        ring,
      },
      opts,
      sketch,
    );
  }

  /** Restores a state; `sketch` overrides the one in the JSON (the server stores it as a blob). */
  static fromJSON(
    j: Partial<RecentLatencyJSON> | undefined,
    opts: Partial<RecencyOptions> = {},
    sketch?: LogSketch,
  ): RecentLatency {
    const r = new RecentLatency(opts, sketch ?? (j?.sketch ? LogSketch.fromJSON(j.sketch) : undefined));
    if (!j) return r;
    r.moments.merge(Welford.from(j.moments));
    r.logMoments.merge(Welford.from(j.logMoments));
    r.hi = j.hi ?? 0;
    r.lo = j.lo ?? 0;
    r.hiLen = j.hiLen ?? 0;
    r.loLen = j.loLen ?? 0;
    r.sinceReset = j.sinceReset ?? 0;
    r.changes = j.changes ?? 0;
    r.pendingDecay = j.pendingDecay ?? 0;
    // Re-lay the ring so that the oldest kept sample sits where the write position expects it.
    const ring = (j.ring ?? []).slice(-r.ring.length);
    r.written = ring.length;
    for (let i = 0; i < ring.length; i++) r.ring[i] = ring[i] as number;
    return r;
  }
}
