import type { BlockGraphEstimate } from '@graphwright/shared';

/**
 * The colour a block's estimate gets on the canvas, and the legend that explains it. Latency bands
 * are absolute (a person reads "slow" as seconds, not as a share of the graph); an unreliable block
 * is marked whatever its speed, because retries are what make it slow and costly.
 */
export type EstimateLevel = 'fast' | 'medium' | 'slow' | 'unreliable' | 'none';

export const FAST_P95_MS = 1_000;
export const SLOW_P95_MS = 5_000;
export const UNRELIABLE_BELOW = 0.9;

export const LEGEND: readonly { level: EstimateLevel; label: string; title: string }[] = [
  { level: 'fast', label: `<${FAST_P95_MS / 1000}s`, title: `p95 latency under ${FAST_P95_MS / 1000} s` },
  {
    level: 'medium',
    label: `${FAST_P95_MS / 1000}–${SLOW_P95_MS / 1000}s`,
    title: `p95 latency ${FAST_P95_MS / 1000}–${SLOW_P95_MS / 1000} s`,
  },
  { level: 'slow', label: `≥${SLOW_P95_MS / 1000}s`, title: `p95 latency ${SLOW_P95_MS / 1000} s or more` },
  {
    level: 'unreliable',
    label: `<${Math.round(UNRELIABLE_BELOW * 100)}% ok`,
    title: `fewer than ${Math.round(UNRELIABLE_BELOW * 100)}% of attempts succeed`,
  },
  { level: 'none', label: 'no data', title: 'no history yet' },
];

export function levelOf(e: BlockGraphEstimate | undefined): EstimateLevel {
  if (!e?.hasHistory) return 'none';
  if (e.success < UNRELIABLE_BELOW) return 'unreliable';
  if (e.latencyP95Ms < FAST_P95_MS) return 'fast';
  return e.latencyP95Ms < SLOW_P95_MS ? 'medium' : 'slow';
}

export function fmtPct(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '–';
  const p = x * 100;
  return p >= 99.95 || p === 0 ? `${Math.round(p)}%` : `${p.toFixed(p >= 99 ? 1 : 0)}%`;
}
