import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Welford } from './welford';

const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 0, maxLength: 300 });

function twoPass(xs: readonly number[]): { mean: number; variance: number } {
  if (xs.length === 0) return { mean: 0, variance: 0 };
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const ss = xs.reduce((s, x) => s + (x - mean) ** 2, 0);
  return { mean, variance: xs.length > 1 ? ss / (xs.length - 1) : 0 };
}

function close(a: number, b: number, scale: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b), scale);
}

describe('Welford', () => {
  it('matches a two-pass computation (seeded property)', () => {
    fc.assert(
      fc.property(sample, (xs) => {
        const w = new Welford();
        for (const x of xs) w.add(x);
        const ref = twoPass(xs);
        const spread = Math.max(1, ...xs.map(Math.abs));
        expect(w.n).toBe(xs.length);
        expect(close(w.mean, ref.mean, spread)).toBe(true);
        expect(close(w.variance(), ref.variance, spread * spread)).toBe(true);
      }),
      { seed: 20240611, numRuns: 300 },
    );
  });

  it('merges two states into exactly the state of both sample sets (seeded property)', () => {
    fc.assert(
      fc.property(sample, sample, (xs, ys) => {
        const a = new Welford();
        const b = new Welford();
        const all = new Welford();
        for (const x of xs) a.add(x);
        for (const y of ys) b.add(y);
        for (const z of [...xs, ...ys]) all.add(z);
        a.merge(b);
        const spread = Math.max(1, ...xs.map(Math.abs), ...ys.map(Math.abs));
        expect(a.n).toBe(all.n);
        expect(close(a.mean, all.mean, spread)).toBe(true);
        expect(close(a.variance(), all.variance(), spread * spread)).toBe(true);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('weights equal repeated samples, and scale() forgets geometrically', () => {
    const w = new Welford();
    w.add(10, 3);
    const r = new Welford();
    for (let i = 0; i < 3; i++) r.add(10);
    expect(w.n).toBe(3);
    expect(w.mean).toBe(10);
    const d = new Welford();
    d.add(0);
    d.scale(0.5);
    d.add(3);
    // Weights 0.5 and 1: mean = 3 / 1.5.
    expect(d.mean).toBeCloseTo(2, 12);
    expect(d.n).toBeCloseTo(1.5, 12);
  });

  it('round-trips through JSON', () => {
    const w = new Welford();
    for (const x of [1, 2, 3, 10]) w.add(x);
    const back = Welford.from(JSON.parse(JSON.stringify(w)));
    expect(back.toJSON()).toEqual(w.toJSON());
  });
});
