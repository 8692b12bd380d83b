import { describe, expect, it } from 'vitest';
import { latencyHistogram } from './histogram';
import { LogSketch } from './sketch';

describe('latencyHistogram', () => {
  it('keeps every sample and puts each one in the bar whose range holds it', () => {
    const s = new LogSketch();
    const values = [0, 12, 80, 95, 110, 400, 420, 2_000, 9_500];
    for (const v of values) s.add(v);
    const h = latencyHistogram(s.toJSON(), 6);
    expect(h.total).toBe(values.length);
    expect(h.bars.reduce((a, b) => a + b.count, 0)).toBe(values.length);
    expect(h.bars.length).toBeLessThanOrEqual(6);
    for (let i = 1; i < h.bars.length; i++)
      expect(h.bars[i]?.fromMs).toBeCloseTo(h.bars[i - 1]?.toMs as number, 9);
    for (const v of values.filter((x) => x > 0)) {
      const bar = h.bars.find((b) => v > b.fromMs && v <= b.toMs * (1 + 1e-9));
      expect(bar?.count, `bar for ${v}`).toBeGreaterThan(0);
    }
    expect(h.bars[0]).toMatchObject({ fromMs: 0, count: 1 });
  });

  it('is empty for an empty sketch and one bar for one value', () => {
    expect(latencyHistogram(new LogSketch().toJSON())).toEqual({ bars: [], total: 0 });
    const s = new LogSketch();
    s.add(250);
    const h = latencyHistogram(s.toJSON());
    expect(h.bars).toHaveLength(1);
    expect(h.bars[0]?.fromMs).toBeLessThan(250);
    expect(h.bars[0]?.toMs).toBeGreaterThanOrEqual(250);
  });
});
