/**
 * Welford's single-pass mean and variance, with weights so that the same state serves lifetime
 * figures (every weight 1) and recency figures (older weight decayed by `scale`). Two states merge
 * exactly (Chan et al.'s parallel formula), so per-model aggregates can be combined and a batch can
 * be folded into a stored state without ever re-reading history.
 */

/** Plain serialisable state: total weight (the sample count when unweighted), mean and M2. */
export interface MomentsState {
  readonly n: number;
  readonly mean: number;
  readonly m2: number;
}

export class Welford {
  n = 0;
  mean = 0;
  /** Sum of weighted squared deviations from the running mean. */
  m2 = 0;

  static from(s: MomentsState | undefined): Welford {
    const w = new Welford();
    if (s && Number.isFinite(s.n) && s.n > 0) {
      w.n = s.n;
      w.mean = s.mean;
      w.m2 = Math.max(0, s.m2);
    }
    return w;
  }

  add(x: number, weight = 1): void {
    if (!(weight > 0) || !Number.isFinite(x)) return;
    this.n += weight;
    const delta = x - this.mean;
    this.mean += (delta * weight) / this.n;
    // Written with the updated mean, which keeps m2 non-negative up to rounding.
    this.m2 += weight * delta * (x - this.mean);
  }

  /** Folds another state into this one; the result equals one pass over both sample sets. */
  merge(other: MomentsState): void {
    if (!(other.n > 0)) return;
    if (this.n === 0) {
      this.n = other.n;
      this.mean = other.mean;
      this.m2 = other.m2;
      return;
    }
    const n = this.n + other.n;
    const delta = other.mean - this.mean;
    this.mean += (delta * other.n) / n;
    this.m2 += other.m2 + (delta * delta * this.n * other.n) / n;
    this.n = n;
  }

  /** Multiplies every past weight by f (0 < f ≤ 1): exponential forgetting, O(1). */
  scale(f: number): void {
    this.n *= f;
    this.m2 *= f;
    if (this.n < 1e-300) this.reset();
  }

  reset(): void {
    this.n = 0;
    this.mean = 0;
    this.m2 = 0;
  }

  /**
   * Sample variance (divides by n − 1, with n the total weight): unbiased for unit weights, and the
   * usual frequency-weight estimate for decayed ones. 0 with fewer than two samples' weight.
   */
  variance(): number {
    return this.n > 1 ? Math.max(0, this.m2 / (this.n - 1)) : 0;
  }

  std(): number {
    return Math.sqrt(this.variance());
  }

  toJSON(): MomentsState {
    return { n: this.n, mean: this.mean, m2: this.m2 };
  }

  clone(): Welford {
    return Welford.from(this);
  }
}
