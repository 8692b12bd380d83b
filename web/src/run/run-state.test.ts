import type { AttemptRecord, RunEvent } from '@graphwright/shared';
import { describe, expect, it } from 'vitest';
import {
  applyRunEvent,
  applyRunEvents,
  blockCost,
  blockDuration,
  currentAttempt,
  foldRun,
  initialRunState,
  liveLabel,
  retryReason,
  topLevelStatuses,
} from './run-state';

type Draft = RunEvent extends infer E
  ? E extends RunEvent
    ? Omit<E, 'runId' | 'seq' | 'at'>
    : never
  : never;

/** Numbers events of run "r1" from 0, 100 ms apart. */
function events(...drafts: Draft[]): RunEvent[] {
  return drafts.map((d, i) => ({ ...d, runId: 'r1', seq: i, at: 1_000 + i * 100 }) as RunEvent);
}

function record(over: Partial<AttemptRecord>): AttemptRecord {
  return {
    runId: 'r1',
    blockId: 'write',
    path: [],
    blockName: 'Write',
    blockType: 'llm',
    blockVersion: 'v1',
    attempt: 1,
    retry: 0,
    kind: 'first',
    provider: 'fake',
    model: 'm',
    startedAt: 1_000,
    latencyMs: 120,
    ttftMs: 40,
    tokensIn: 10,
    tokensOut: 5,
    costUsd: 0.001,
    status: 'ok',
    ...over,
  };
}

const started: Draft = { type: 'run_started', graphHash: 'h', graphName: 'G', input: { topic: 'x' } };
const blockStart = (blockId: string, visit = 1): Draft => ({
  type: 'block_started',
  blockId,
  path: [],
  blockName: blockId.toUpperCase(),
  blockType: blockId === 'write' ? 'llm' : 'transform',
  blockVersion: 'v1',
  visit,
});
const taken = (from: string, to: string): Draft => ({
  type: 'transition_taken',
  path: [],
  transitionId: `t_${from}_${to}`,
  from,
  to,
  conditionHash: '',
});
const totals = {
  durationMs: 1,
  costUsd: 0.003,
  tokensIn: 20,
  tokensOut: 10,
  attempts: 2,
  blockExecutions: 3,
};

/** input → write (503, then a retry that streams and succeeds) → output. */
const retryRun = events(
  started,
  blockStart('input'),
  { type: 'block_finished', blockId: 'input', path: [], output: { topic: 'x' }, durationMs: 0 },
  taken('input', 'write'),
  blockStart('write'),
  {
    type: 'attempt_started',
    blockId: 'write',
    path: [],
    attempt: 1,
    kind: 'first',
    provider: 'fake',
    model: 'm',
  },
  {
    type: 'attempt_finished',
    blockId: 'write',
    path: [],
    record: record({ status: 'server_error', error: '503 Service Unavailable', costUsd: 0, tokensOut: 0 }),
  },
  {
    type: 'attempt_started',
    blockId: 'write',
    path: [],
    attempt: 2,
    kind: 'retry',
    provider: 'fake',
    model: 'm',
  },
  { type: 'token_delta', blockId: 'write', path: [], attempt: 2, text: 'Hello ' },
  { type: 'token_delta', blockId: 'write', path: [], attempt: 2, text: 'world' },
  {
    type: 'attempt_finished',
    blockId: 'write',
    path: [],
    record: record({ attempt: 2, retry: 1, kind: 'retry', waitedMs: 900, responseText: 'Hello world' }),
  },
  { type: 'block_finished', blockId: 'write', path: [], output: 'Hello world', durationMs: 800 },
  taken('write', 'output'),
  blockStart('output'),
  { type: 'block_finished', blockId: 'output', path: [], output: 'Hello world', durationMs: 0 },
  { type: 'run_finished', outputs: { output: 'Hello world' }, totals },
);

describe('applyRunEvent', () => {
  it('moves blocks through queued, running and done as their events arrive', () => {
    let s = initialRunState('r1');
    const seen: string[] = [];
    for (const e of retryRun) {
      s = applyRunEvent(s, e);
      seen.push(s.blocks.get('write')?.status ?? 'idle');
    }
    expect(seen.slice(2, 6)).toEqual(['idle', 'queued', 'running', 'running']);
    expect(seen.at(-1)).toBe('done');
    expect(s.phase).toBe('finished');
    expect(s.outputs).toEqual({ output: 'Hello world' });
    expect(s.order).toEqual(['input', 'write', 'output']);
    expect(Object.fromEntries(topLevelStatuses(s))).toEqual({ input: 'done', write: 'done', output: 'done' });
  });

  it('records every attempt of a retried block, with the retry reason and the wait', () => {
    const s = foldRun('r1', retryRun);
    const write = s.blocks.get('write');
    expect(write?.attempts.map((a) => [a.attempt, a.kind, a.record?.status])).toEqual([
      [1, 'first', 'server_error'],
      [2, 'retry', 'ok'],
    ]);
    const second = write?.attempts[1];
    if (!write || !second) throw new Error('missing attempt');
    expect(retryReason(write, second)).toBe(
      'Retried because attempt 1 ended server_error: 503 Service Unavailable (waited 900 ms)',
    );
    expect(blockCost(write)).toBeCloseTo(0.001);
    expect(blockDuration(write)).toBe(800);
  });

  it('shows a retry on the block while it waits and while the retry runs', () => {
    const afterFailure = foldRun('r1', retryRun.slice(0, 7));
    const w1 = afterFailure.blocks.get('write');
    expect(w1 && liveLabel(w1)).toBe('attempt 1 server_error: waiting');
    const retrying = foldRun('r1', retryRun.slice(0, 8));
    const w2 = retrying.blocks.get('write');
    expect(w2 && liveLabel(w2)).toBe('retrying · attempt 2');
  });

  it('streams tokens into the attempt that is running', () => {
    const s = foldRun('r1', retryRun.slice(0, 10));
    const write = s.blocks.get('write');
    expect(write && currentAttempt(write)?.text).toBe('Hello world');
    expect(write?.attempts[0]?.text).toBe('');
  });

  it('highlights taken transitions and counts loops', () => {
    const s = foldRun('r1', retryRun);
    expect(Object.fromEntries(s.taken)).toEqual({ t_input_write: 1, t_write_output: 1 });
    const loop = events(started, taken('a', 'b'), blockStart('b'), taken('a', 'b'));
    expect(foldRun('r1', loop).taken.get('t_a_b')).toBe(2);
  });

  it('ignores an event it has already applied, by seq, returning the same state', () => {
    const s = foldRun('r1', retryRun.slice(0, 10));
    const again = applyRunEvents(s, retryRun.slice(5, 10));
    expect(again).toBe(s);
    expect(again.blocks.get('write')?.attempts[1]?.text).toBe('Hello world');
    // A replayed log followed by live events applies each event once.
    const doubled = applyRunEvents(initialRunState('r1'), [...retryRun, ...retryRun]);
    expect(doubled.applied).toBe(retryRun.length);
    expect(doubled.lastSeq).toBe(retryRun.length - 1);
  });

  it('ignores events of another run', () => {
    const s = initialRunState('r1');
    const other = { ...(retryRun[0] as RunEvent), runId: 'r2' } as RunEvent;
    expect(applyRunEvent(s, other)).toBe(s);
  });

  it('marks a cancelled run, failing what was running and skipping what was queued', () => {
    const s = foldRun(
      'r1',
      events(started, blockStart('a'), taken('x', 'b'), {
        type: 'run_failed',
        error: { code: 'cancelled', message: 'cancelled by the user' },
        totals,
      }),
    );
    expect(s.phase).toBe('cancelled');
    expect(s.blocks.get('a')?.status).toBe('failed');
    expect(s.blocks.get('b')?.status).toBe('skipped');
    expect(s.endedAt).toBe(1_300);
  });

  it('keys nested blocks by their path and keeps their statuses off the top level', () => {
    const s = foldRun(
      'r1',
      events(started, blockStart('comp'), {
        type: 'block_started',
        blockId: 'inner',
        path: ['comp'],
        blockName: 'Inner',
        blockType: 'llm',
        blockVersion: 'v',
        visit: 1,
      }),
    );
    expect([...s.blocks.keys()]).toEqual(['comp', 'comp/inner']);
    expect([...topLevelStatuses(s).keys()]).toEqual(['comp']);
  });

  it('keeps each visit of a looping block and its attempts apart', () => {
    const s = foldRun(
      'r1',
      events(
        started,
        blockStart('write'),
        {
          type: 'attempt_started',
          blockId: 'write',
          path: [],
          attempt: 1,
          kind: 'first',
          provider: 'p',
          model: 'm',
        },
        { type: 'attempt_finished', blockId: 'write', path: [], record: record({}) },
        { type: 'block_finished', blockId: 'write', path: [], output: 1, durationMs: 100 },
        blockStart('write', 2),
        {
          type: 'attempt_started',
          blockId: 'write',
          path: [],
          attempt: 1,
          kind: 'first',
          provider: 'p',
          model: 'm',
        },
        { type: 'token_delta', blockId: 'write', path: [], attempt: 1, text: 'second' },
      ),
    );
    const w = s.blocks.get('write');
    expect(w?.visits.map((v) => [v.visit, v.status])).toEqual([
      [1, 'done'],
      [2, 'running'],
    ]);
    expect(w?.attempts.map((a) => [a.visit, a.text])).toEqual([
      [1, ''],
      [2, 'second'],
    ]);
  });

  it('pauses at an interrupt with the block held as queued, and continues when resumed', () => {
    const paused = foldRun(
      'r1',
      events(started, blockStart('input'), taken('input', 'write'), {
        type: 'run_interrupted',
        blockId: 'write',
        path: [],
        when: 'before',
        checkpointId: 'cp1',
      }),
    );
    expect(paused.phase).toBe('interrupted');
    expect(paused.interrupt).toEqual({ blockId: 'write', when: 'before', checkpointId: 'cp1' });
    expect(paused.blocks.get('write')?.status).toBe('queued');
    const resumed = applyRunEvent(paused, {
      ...(started as RunEvent),
      runId: 'r1',
      seq: 4,
      at: 9_000,
    } as RunEvent);
    expect(resumed.phase).toBe('running');
    expect(resumed.interrupt).toBeUndefined();
    expect(resumed.startedAt).toBe(1_000);
  });

  it('lists checkpoints as they are written', () => {
    const s = foldRun(
      'r1',
      events(started, {
        type: 'checkpoint_written',
        checkpointId: 'c1',
        step: 1,
        kind: 'snapshot',
        bytes: 10,
      }),
    );
    expect(s.checkpoints).toEqual([{ id: 'c1', step: 1, kind: 'snapshot', bytes: 10, at: 1_100 }]);
  });
});
