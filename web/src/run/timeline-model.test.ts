import type { AttemptRecord, RunEvent } from '@graphwright/shared';
import { describe, expect, it } from 'vitest';
import { foldRun } from './run-state';
import { buildTimeline, ticksFor } from './timeline-model';

const base = { runId: 'r', path: [] as string[] };
const rec = (attempt: number, startedAt: number, status: AttemptRecord['status'], waitedMs?: number) =>
  ({
    runId: 'r',
    blockId: 'a',
    path: [],
    blockName: 'A',
    blockType: 'llm',
    blockVersion: 'v',
    attempt,
    retry: attempt - 1,
    kind: attempt === 1 ? 'first' : 'retry',
    provider: 'p',
    model: 'm',
    startedAt,
    latencyMs: 100,
    tokensIn: 1,
    tokensOut: 1,
    costUsd: 0,
    status,
    waitedMs,
  }) as AttemptRecord;

const ev = (seq: number, at: number, e: object) => ({ ...base, seq, at, ...e }) as unknown as RunEvent;

describe('timeline', () => {
  it('draws parallel blocks on their own rows, with retries and the wait between them', () => {
    const run = foldRun('r', [
      ev(0, 0, { type: 'run_started', graphHash: '', graphName: 'G', input: {} }),
      ev(1, 10, {
        type: 'block_started',
        blockId: 'a',
        blockName: 'A',
        blockType: 'llm',
        blockVersion: 'v',
        visit: 1,
      }),
      ev(2, 10, {
        type: 'block_started',
        blockId: 'b',
        blockName: 'B',
        blockType: 'llm',
        blockVersion: 'v',
        visit: 1,
      }),
      ev(3, 10, {
        type: 'attempt_started',
        blockId: 'a',
        attempt: 1,
        kind: 'first',
        provider: 'p',
        model: 'm',
      }),
      ev(4, 110, { type: 'attempt_finished', blockId: 'a', record: rec(1, 10, 'rate_limited') }),
      ev(5, 310, {
        type: 'attempt_started',
        blockId: 'a',
        attempt: 2,
        kind: 'retry',
        provider: 'p',
        model: 'm',
      }),
      ev(6, 410, { type: 'attempt_finished', blockId: 'a', record: rec(2, 310, 'ok', 200) }),
      ev(7, 410, { type: 'block_finished', blockId: 'a', output: 1, durationMs: 400 }),
      ev(8, 500, { type: 'block_finished', blockId: 'b', output: 1, durationMs: 490 }),
      ev(9, 500, {
        type: 'run_finished',
        outputs: {},
        totals: { durationMs: 500, costUsd: 0, tokensIn: 0, tokensOut: 0, attempts: 2, blockExecutions: 2 },
      }),
    ]);
    const t = buildTimeline(run, 9_999);
    expect(t.t0).toBe(0);
    expect(t.t1).toBe(500);
    expect(t.rows.map((r) => r.label)).toEqual(['A', 'B']);
    const a = t.rows[0]?.bars.map((b) => [b.kind, b.start, b.end, b.status]);
    expect(a).toEqual([
      ['visit', 10, 410, 'done'],
      ['attempt', 10, 110, 'rate_limited'],
      ['wait', 110, 310, 'wait'],
      ['attempt', 310, 410, 'ok'],
    ]);
  });

  it('stretches the axis to show an expectation longer than the run', () => {
    const run = foldRun('r', [
      ev(0, 1_000, { type: 'run_started', graphHash: '', graphName: 'G', input: {} }),
    ]);
    const t = buildTimeline(run, 1_200, 5_000);
    expect(t.t1 - t.t0).toBe(5_000);
  });

  it('puts ticks on round numbers', () => {
    expect(ticksFor(1_000)).toEqual([0, 200, 400, 600, 800, 1_000]);
    expect(ticksFor(45)).toEqual([0, 10, 20, 30, 40]);
  });
});
