import { describe, expect, it } from 'vitest';
import { RecentLatency } from './recency';
import { logNormal, seeded } from './test-random';

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
const SIGMA = 0.3;
const meanOf = (median: number) => median * Math.exp((SIGMA * SIGMA) / 2);

describe('RecentLatency', () => {
  it('rarely raises a false alarm on a provider that does not change', () => {
    let alarms = 0;
    for (const seed of SEEDS) {
      const r = seeded(seed);
      const t = new RecentLatency();
      for (let i = 0; i < 2_000; i++) t.add(logNormal(r, 800, SIGMA));
      alarms += t.changes;
    }
    // 40,000 samples; the defaults give an average run length of roughly 10,000 between alarms.
    expect(alarms).toBeLessThanOrEqual(8);
  });

  it('follows a provider that doubles its latency within 20 samples (19 of 20 seeds)', () => {
    let ok = 0;
    for (const seed of SEEDS) {
      const r = seeded(seed);
      const t = new RecentLatency();
      for (let i = 0; i < 300; i++) t.add(logNormal(r, 1_000, SIGMA));
      for (let i = 0; i < 20; i++) t.add(logNormal(r, 2_000, SIGMA));
      if (Math.abs(t.mean() - meanOf(2_000)) / meanOf(2_000) <= 0.2) ok++;
    }
    expect(ok).toBeGreaterThanOrEqual(19);
  });

  it('follows a provider that gets faster too, and its quantiles move with it', () => {
    const r = seeded(5);
    const t = new RecentLatency();
    for (let i = 0; i < 500; i++) t.add(logNormal(r, 2_000, SIGMA));
    for (let i = 0; i < 30; i++) t.add(logNormal(r, 500, SIGMA));
    t.flushSketchDecay();
    expect(t.changes).toBeGreaterThanOrEqual(1);
    expect(Math.abs(t.quantile(0.5) - 500) / 500).toBeLessThan(0.2);
  });

  it('continues identically after a JSON round trip', () => {
    const r1 = seeded(9);
    const a = new RecentLatency();
    for (let i = 0; i < 250; i++) a.add(logNormal(r1, 300, SIGMA));
    const b = RecentLatency.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    const r2 = seeded(10);
    for (let i = 0; i < 100; i++) {
      const x = logNormal(r2, i < 50 ? 300 : 700, SIGMA);
      a.add(x);
      b.add(x);
    }
    expect(b.changes).toBe(a.changes);
    expect(b.mean()).toBeCloseTo(a.mean(), 9);
    a.flushSketchDecay();
    b.flushSketchDecay();
    expect(b.quantile(0.95)).toBe(a.quantile(0.95));
  });

  it('continues identically after a round trip through its flat array (the stored blob)', () => {
    const r1 = seeded(12);
    const a = new RecentLatency();
    for (let i = 0; i < 400; i++) a.add(logNormal(r1, 300, SIGMA));
    const b = RecentLatency.fromArray(a.toArray(), {}, a.sketch.clone());
    const r2 = seeded(13);
    for (let i = 0; i < 60; i++) {
      const x = logNormal(r2, i < 30 ? 300 : 900, SIGMA);
      a.add(x);
      b.add(x);
    }
    expect(b.changes).toBe(a.changes);
    expect(b.mean()).toBe(a.mean());
    expect(b.std()).toBe(a.std());
    expect(() => RecentLatency.fromArray(new Float64Array(3))).toThrow(RangeError);
  });
});
