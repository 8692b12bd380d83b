import type { RunState } from './run-state';

/** The Gantt view of a run, as plain numbers: rows of bars over [t0, t1] (server times). */

export type BarKind = 'visit' | 'attempt' | 'wait';

export interface TimelineBar {
  readonly kind: BarKind;
  readonly start: number;
  readonly end: number;
  /** visit: the block status; attempt: the response status or "running"; wait: "wait". */
  readonly status: string;
  readonly label: string;
}

export interface TimelineRow {
  readonly key: string;
  readonly label: string;
  readonly depth: number;
  readonly bars: readonly TimelineBar[];
}

export interface TimelineModel {
  readonly t0: number;
  readonly t1: number;
  readonly rows: readonly TimelineRow[];
  readonly ticks: readonly number[];
}

const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 300_000];

/** Tick offsets (ms from t0) about every `span / 6`, on round numbers. */
export function ticksFor(span: number): number[] {
  const step = STEPS.find((s) => span / s <= 8) ?? 600_000;
  const out: number[] = [];
  for (let t = 0; t <= span; t += step) out.push(t);
  return out;
}

/**
 * One row per block (nested blocks under their composite), a bar per visit, and inside it a bar
 * per attempt and a hatched bar for each wait before a retry. `now` ends what is still running;
 * `minSpan` stretches the axis (e.g. to show the estimate's p95).
 */
export function buildTimeline(run: RunState, now: number, minSpan = 0): TimelineModel {
  const rows: TimelineRow[] = [];
  let t0 = run.startedAt ?? Number.POSITIVE_INFINITY;
  let t1 = run.endedAt ?? (run.phase === 'running' ? now : (run.lastEventAt ?? now));
  for (const key of run.order) {
    const b = run.blocks.get(key);
    if (!b || b.visits.length === 0) continue;
    const bars: TimelineBar[] = [];
    for (const v of b.visits) {
      const end = v.endedAt ?? (run.phase === 'running' ? now : t1);
      t0 = Math.min(t0, v.startedAt);
      t1 = Math.max(t1, end);
      bars.push({
        kind: 'visit',
        start: v.startedAt,
        end,
        status: v.status,
        label: `visit ${v.visit}: ${v.status}`,
      });
    }
    b.attempts.forEach((a, i) => {
      const r = a.record;
      const start = r ? r.startedAt : a.startedAt;
      const running = !r && b.status === 'running';
      const end = r ? r.startedAt + r.latencyMs : running ? now : start;
      if (r?.waitedMs)
        bars.push({
          kind: 'wait',
          start: start - r.waitedMs,
          end: start,
          status: 'wait',
          label: `waited ${Math.round(r.waitedMs)} ms before attempt ${a.attempt}`,
        });
      bars.push({
        kind: 'attempt',
        start,
        end,
        status: r ? r.status : 'running',
        label: `attempt ${a.attempt} (${a.kind}, ${a.model}): ${r ? r.status : 'running'}`,
      });
      // Waiting now for the next attempt: the last one failed and the block still runs.
      const isLast = i === b.attempts.length - 1;
      if (isLast && r && r.status !== 'ok' && b.status === 'running' && run.phase === 'running')
        bars.push({ kind: 'wait', start: end, end: now, status: 'wait', label: 'waiting to retry' });
    });
    rows.push({ key, label: b.name, depth: b.path.length, bars });
  }
  if (!Number.isFinite(t0)) t0 = now;
  t1 = Math.max(t1, t0 + minSpan, t0 + 1);
  return { t0, t1, rows, ticks: ticksFor(t1 - t0) };
}
