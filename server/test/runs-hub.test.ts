import type { RunEvent } from '@graphwright/shared';
import { describe, expect, it } from 'vitest';
import { type EventLog, RunHub, streamRunEvents } from '../src/runs/hub';

function ev(seq: number, type: 'block_skipped' | 'run_finished' = 'block_skipped'): RunEvent {
  if (type === 'run_finished') {
    return {
      type,
      runId: 'r',
      seq,
      at: seq,
      outputs: {},
      totals: { durationMs: 0, costUsd: 0, tokensIn: 0, tokensOut: 0, attempts: 0, blockExecutions: 0 },
    };
  }
  return { type, runId: 'r', seq, at: seq, blockId: 'b', path: [], reason: 'x' };
}

class MemLog implements EventLog {
  stored: RunEvent[] = [];
  pending: RunEvent[] = [];
  append(e: RunEvent) {
    this.pending.push(e);
  }
  flush() {
    this.stored.push(...this.pending);
    this.pending = [];
  }
  readAfter(_runId: string, after: number, limit: number) {
    return this.stored.filter((e) => e.seq > after).slice(0, limit);
  }
}

async function collect(gen: AsyncGenerator<RunEvent>): Promise<number[]> {
  const seqs: number[] = [];
  for await (const e of gen) seqs.push(e.seq);
  return seqs;
}

describe('streamRunEvents', () => {
  it('delivers backlog then live events exactly once, in order', async () => {
    const hub = new RunHub();
    const log = new MemLog();
    const emit = (e: RunEvent) => {
      log.append(e);
      hub.publish(e);
    };
    for (let i = 0; i < 5; i++) emit(ev(i));
    let live = true;
    const p = collect(streamRunEvents(hub, log, 'r', -1, { maxBuffered: 100, isLive: () => live }));
    await Promise.resolve();
    for (let i = 5; i < 50; i++) emit(ev(i));
    emit(ev(50, 'run_finished'));
    live = false;
    expect(await p).toEqual(Array.from({ length: 51 }, (_, i) => i));
  });

  it('resumes after a last event id with no duplicates', async () => {
    const hub = new RunHub();
    const log = new MemLog();
    for (let i = 0; i < 10; i++) log.append(ev(i));
    log.append(ev(10, 'run_finished'));
    expect(
      await collect(streamRunEvents(hub, log, 'r', 6, { maxBuffered: 10, isLive: () => false })),
    ).toEqual([7, 8, 9, 10]);
  });

  it('moves a subscriber that falls behind to catch-up from the log, losing nothing', async () => {
    const hub = new RunHub();
    const log = new MemLog();
    let lagged = 0;
    let live = true;
    const seqs: number[] = [];
    const gen = streamRunEvents(hub, log, 'r', -1, {
      maxBuffered: 8,
      isLive: () => live,
      onLag: () => lagged++,
    });
    const consume = (async () => {
      for await (const e of gen) {
        seqs.push(e.seq);
        // A slow consumer: the run keeps publishing meanwhile.
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    for (let i = 0; i < 200; i++) {
      const e = ev(i);
      log.append(e);
      log.flush();
      hub.publish(e);
    }
    const fin = ev(200, 'run_finished');
    log.append(fin);
    log.flush();
    hub.publish(fin);
    live = false;
    await consume;
    expect(lagged).toBeGreaterThan(0);
    expect(seqs).toEqual(Array.from({ length: 201 }, (_, i) => i));
    expect(hub.subscriberCount('r')).toBe(0);
  });
});
