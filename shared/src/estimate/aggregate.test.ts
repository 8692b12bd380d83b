import { describe, expect, it } from 'vitest';
import type { ResponseStatus } from '../engine/status';
import { type AggregateSample, AttemptAggregate } from './aggregate';
import { LogSketch } from './sketch';
import { seeded } from './test-random';

function sample(over: Partial<AggregateSample> = {}): AggregateSample {
  return {
    status: 'ok',
    latencyMs: 100,
    tokensIn: 10,
    tokensOut: 20,
    costUsd: 0.001,
    attempt: 1,
    startedAt: 1_000,
    ...over,
  };
}

describe('AttemptAggregate', () => {
  it('computes the estimate figures a from-scratch pass would', () => {
    const r = seeded(3);
    const agg = new AttemptAggregate();
    const xs: AggregateSample[] = [];
    for (let i = 0; i < 400; i++) {
      const retry = r() < 0.2;
      const status: ResponseStatus = retry ? 'rate_limited' : 'ok';
      const s = sample({
        status,
        latencyMs: 50 + 100 * r(),
        tokensIn: Math.round(100 * r()),
        tokensOut: Math.round(200 * r()),
        costUsd: i % 10 === 0 ? null : r() / 100,
        attempt: i % 5 === 0 ? 2 : 1,
        startedAt: 1_000 + i,
      });
      xs.push(s);
      agg.add(s);
    }
    const e = agg.estimate();
    const lat = xs.map((x) => x.latencyMs);
    const costs = xs.flatMap((x) => (x.costUsd === null ? [] : [x.costUsd]));
    expect(e.samples).toBe(400);
    expect(e.tokensInMean).toBeCloseTo(xs.reduce((s, x) => s + x.tokensIn, 0) / 400, 9);
    expect(e.costMeanUsd).toBeCloseTo(costs.reduce((s, x) => s + x, 0) / costs.length, 12);
    expect(e.attemptsPerVisit).toBeCloseTo(400 / 320, 12);
    // Recency weighs the newest most, so compare with a decay-weighted reference.
    const d = 2 ** (-1 / 500);
    let w = 0;
    let m = 0;
    let okW = 0;
    xs.forEach((x, i) => {
      const wi = d ** (xs.length - 1 - i);
      w += wi;
      m += wi * x.latencyMs;
      okW += x.status === 'ok' ? wi : 0;
    });
    expect(e.latencyMeanMs).toBeCloseTo(m / w, 6);
    expect(e.successRate).toBeCloseTo(okW / w, 9);
    const sorted = [...lat].sort((a, b) => a - b);
    expect(Math.abs(e.latencyP50Ms - (sorted[200] as number)) / (sorted[200] as number)).toBeLessThan(0.05);
    expect(agg.latency.mean).toBeCloseTo(lat.reduce((s, x) => s + x, 0) / 400, 9);
  });

  it('keeps cancelled attempts out of latency and success figures', () => {
    const agg = new AttemptAggregate();
    agg.add(sample({ latencyMs: 100 }));
    agg.add(sample({ status: 'cancelled', latencyMs: 5 }));
    const e = agg.estimate();
    expect(e.samples).toBe(2);
    expect(e.successRate).toBe(1);
    expect(e.latencyMeanMs).toBe(100);
    expect(agg.statusCounts).toEqual({ ok: 1, cancelled: 1 });
  });

  it('caches its estimate until the next sample', () => {
    const agg = new AttemptAggregate();
    agg.add(sample());
    const a = agg.estimate();
    expect(agg.estimate()).toBe(a);
    agg.add(sample({ latencyMs: 300 }));
    expect(agg.estimate()).not.toBe(a);
  });

  it('round-trips through JSON with the sketch stored apart', () => {
    const agg = new AttemptAggregate();
    const r = seeded(4);
    for (let i = 0; i < 100; i++) agg.add(sample({ latencyMs: 100 + 50 * r(), startedAt: i }));
    const bytes = agg.sketch.toBytes();
    const json = JSON.parse(JSON.stringify(agg.toJSON(false)));
    const back = AttemptAggregate.fromJSON(json, {}, LogSketch.fromBytes(bytes));
    expect(back.estimate()).toEqual(agg.estimate());
    expect(json.recent.sketch).toBeUndefined();
  });

  it('round-trips through its stored parts (lifetime figures, recency array, sketch bytes)', () => {
    const agg = new AttemptAggregate();
    const r = seeded(5);
    for (let i = 0; i < 300; i++)
      agg.add(sample({ latencyMs: 100 + 80 * r(), status: r() < 0.1 ? 'timeout' : 'ok', startedAt: i }));
    const { recent: _r, recentWeight: _w, recentOk: _o, ...lifetime } = agg.toJSON(false);
    const back = AttemptAggregate.fromStored(
      JSON.parse(JSON.stringify(lifetime)),
      agg.recencyArray(),
      LogSketch.fromBytes(agg.sketch.toBytes()),
    );
    expect(back.estimate()).toEqual(agg.estimate());
    back.add(sample({ latencyMs: 150 }));
    agg.add(sample({ latencyMs: 150 }));
    expect(back.estimate()).toEqual(agg.estimate());
  });
});
