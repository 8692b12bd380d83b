import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogSketch } from './sketch';

/** The value at rank ⌊q(n−1)⌋ of the sorted sample: the one the sketch promises to approximate. */
function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))] as number;
}

const values = fc.array(
  fc.oneof(
    fc.double({ min: 0.01, max: 1e6, noNaN: true }),
    fc.double({ min: 50, max: 5_000, noNaN: true }),
    fc.constant(0),
  ),
  { minLength: 1, maxLength: 500 },
);
const qs = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1];

function withinAlpha(est: number, exact: number, alpha: number): boolean {
  if (exact === 0) return est === 0;
  return Math.abs(est - exact) <= (alpha + 1e-9) * exact;
}

describe('LogSketch', () => {
  it('returns every quantile within relative error alpha of the exact one (seeded property)', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const s = new LogSketch(0.01);
        for (const x of xs) s.add(x);
        const sorted = [...xs].sort((a, b) => a - b);
        for (const q of qs) expect(withinAlpha(s.quantile(q), exactQuantile(sorted, q), 0.01)).toBe(true);
        expect(s.count).toBe(xs.length);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('merging equals sketching the concatenation (seeded property)', () => {
    fc.assert(
      fc.property(values, values, (xs, ys) => {
        const a = new LogSketch();
        const b = new LogSketch();
        const all = new LogSketch();
        for (const x of xs) a.add(x);
        for (const y of ys) b.add(y);
        for (const z of [...xs, ...ys]) all.add(z);
        a.merge(b);
        for (const q of qs) expect(a.quantile(q)).toBe(all.quantile(q));
        expect(a.count).toBe(all.count);
      }),
      { seed: 1337, numRuns: 200 },
    );
  });

  it('round-trips through bytes and JSON exactly (seeded property)', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const s = new LogSketch(0.02, 256);
        for (const x of xs) s.add(x);
        const fromBytes = LogSketch.fromBytes(s.toBytes());
        const fromJson = LogSketch.fromJSON(JSON.parse(JSON.stringify(s)));
        for (const q of qs) {
          expect(fromBytes.quantile(q)).toBe(s.quantile(q));
          expect(fromJson.quantile(q)).toBe(s.quantile(q));
        }
        expect(fromBytes.toJSON()).toEqual(s.toJSON());
      }),
      { seed: 99, numRuns: 200 },
    );
  });

  it('keeps memory bounded: a range wider than maxBins collapses the lowest buckets only', () => {
    const s = new LogSketch(0.01, 128);
    const xs: number[] = [];
    for (let i = 0; i < 5_000; i++) xs.push(10 ** (-3 + (9 * i) / 5_000));
    for (const x of xs) s.add(x);
    expect(s.bins).toBeLessThanOrEqual(128);
    const sorted = [...xs].sort((a, b) => a - b);
    // The high quantiles (what latency figures use) keep their guarantee.
    for (const q of [0.99, 0.999, 1])
      expect(withinAlpha(s.quantile(q), exactQuantile(sorted, q), 0.01)).toBe(true);
    expect(s.toBytes().byteLength).toBeLessThan(128 * 8 + 64);
  });

  it('forgets with scale() while keeping the shape', () => {
    const s = new LogSketch();
    for (let i = 1; i <= 100; i++) s.add(i);
    const p50 = s.quantile(0.5);
    s.scale(0.5);
    expect(s.count).toBeCloseTo(50, 9);
    expect(s.quantile(0.5)).toBe(p50);
    for (let i = 0; i < 200; i++) s.add(1000);
    expect(s.quantile(0.5)).toBeGreaterThan(900);
  });

  it('is NaN when empty and rejects bad blobs', () => {
    expect(new LogSketch().quantile(0.5)).toBeNaN();
    expect(() => LogSketch.fromBytes(new Uint8Array([9, 9, 9]))).toThrow(RangeError);
  });
});
