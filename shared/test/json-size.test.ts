import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonNumberLength } from '../src/graph/json-size';

describe('jsonNumberLength', () => {
  it('is the length JSON.stringify gives a number', () => {
    const edges = [0, -0, 9, 10, 99, 100, 999, 1000, 9999, 1e4, 99_999, 1e5, 999_999, 1e6, 9_999_999];
    const more = [1e7, 99_999_999, 1e8, 999_999_999, 1e9, 0.5, -2.25, 1e21, 1e-7, NaN, Infinity];
    for (const x of [...edges, ...more, ...edges.map((e) => -e), ...more.map((e) => -e)])
      expect(jsonNumberLength(x), String(x)).toBe(JSON.stringify(x).length);
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -2e9, max: 2e9 }), fc.double()), (x) => {
        expect(jsonNumberLength(x)).toBe(JSON.stringify(x).length);
      }),
      { numRuns: 20_000 },
    );
  });
});
