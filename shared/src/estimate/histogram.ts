import type { SketchJSON } from './sketch';

/**
 * A latency histogram for people, read from a block's quantile sketch (no scan of attempts): the
 * sketch's fine logarithmic buckets merged into a few bars of equal width on a log scale, which
 * keeps both a 200 ms and a 20 s tail readable on one chart.
 */

export interface HistogramBar {
  /** Lower and upper edge of the bar in ms. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Weight of the samples in the bar (recency-decayed, so not always whole). */
  readonly count: number;
}

export interface LatencyHistogram {
  readonly bars: readonly HistogramBar[];
  /** Total weight, zero bucket included. */
  readonly total: number;
}

/** Upper edge of sketch bucket k: buckets are (γ^(k−1), γ^k]. */
function edge(gamma: number, k: number): number {
  return gamma ** k;
}

/**
 * Merges the sketch's buckets into at most `maxBars` bars. Latencies of 0 (the sketch's zero bucket)
 * go into a first bar from 0 to the lowest bucket's lower edge.
 */
export function latencyHistogram(sketch: SketchJSON, maxBars = 12): LatencyHistogram {
  const gamma = (1 + sketch.alpha) / (1 - sketch.alpha);
  const n = sketch.counts.length;
  const bars: HistogramBar[] = [];
  let total = sketch.zero;
  for (const c of sketch.counts) total += c;
  const lowEdge = n > 0 ? edge(gamma, sketch.lo - 1) : 0;
  if (sketch.zero > 0) bars.push({ fromMs: 0, toMs: lowEdge, count: sketch.zero });
  if (n === 0) return { bars, total };
  const room = Math.max(1, Math.floor(maxBars) - bars.length);
  const per = Math.max(1, Math.ceil(n / room));
  for (let start = 0; start < n; start += per) {
    const end = Math.min(n, start + per);
    let count = 0;
    for (let i = start; i < end; i++) count += sketch.counts[i] as number;
    bars.push({
      fromMs: edge(gamma, sketch.lo + start - 1),
      toMs: edge(gamma, sketch.lo + end - 1),
      count,
    });
  }
  return { bars, total };
}
