import { describe, expect, it } from 'vitest';
import {
  type Block,
  compile,
  type EngineContext,
  executeRun,
  type GraphDocument,
  type LlmRequest,
  type LlmResponse,
  MemoryCheckpointStore,
  materialize,
  type RunEvent,
  type RunRequest,
  type Transition,
} from '../src/index';
import { virtualClock } from './virtual-clock';

const ok = (r: LlmRequest, extra: Partial<LlmResponse> = {}): LlmResponse => ({
  status: 'ok',
  retryable: false,
  provider: r.provider,
  model: r.model,
  text: `reply:${r.blockId}`,
  tokensIn: 10,
  tokensOut: 5,
  costUsd: 0.01,
  latencyMs: 1,
  ...extra,
});
const fail = (
  r: LlmRequest,
  status: LlmResponse['status'],
  retryable: boolean,
  extra: Partial<LlmResponse> = {},
): LlmResponse => ({
  ...ok(r),
  status,
  retryable,
  text: undefined,
  error: status,
  ...extra,
});

const llm = (id: string, extra: Record<string, unknown> = {}): Block =>
  ({
    id,
    name: id,
    type: 'llm',
    provider: 'p',
    model: 'm',
    messages: [{ role: 'user', content: `do ${id}` }],
    ...extra,
  }) as Block;
const t = (from: string, to: string, extra: Partial<Transition> = {}): Transition => ({
  id: `${from}_${to}`,
  from,
  to,
  ...extra,
});
function doc(blocks: Block[], transitions: Transition[], more: Partial<GraphDocument> = {}): GraphDocument {
  return {
    schemaVersion: 1,
    name: 'test',
    blocks: [
      { id: 'input', name: 'in', type: 'input' },
      ...blocks,
      { id: 'output', name: 'out', type: 'output' },
    ],
    transitions,
    ...more,
  } as GraphDocument;
}

async function run(
  d: GraphDocument,
  opts: { llm?: EngineContext['llm']; req?: Partial<RunRequest>; ctx?: Partial<EngineContext> } = {},
) {
  const events: RunEvent[] = [];
  // Time moves only when the engine sleeps: waits are instant but still count against time limits.
  let time = 0;
  const result = await executeRun(
    compile(d),
    { runId: 'r', input: {}, ...opts.req },
    {
      llm: opts.llm ?? (async (r) => ok(r)),
      now: () => time,
      sleep: async (ms) => {
        time += ms;
      },
      sink: (e) => events.push(e),
      freeze: true,
      random: () => 0.5,
      ...opts.ctx,
    },
  );
  const started = events
    .filter((e) => e.type === 'block_started')
    .map((e) => (e as { blockId: string }).blockId);
  return { result, events, started };
}

function checkEventStream(events: RunEvent[]) {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
  const open = new Map<string, number>();
  for (const e of events) {
    const key = 'blockId' in e ? `${(e as unknown as { path: string[] }).path.join('/')}/${e.blockId}` : '';
    if (e.type === 'block_started') open.set(key, (open.get(key) ?? 0) + 1);
    if (e.type === 'block_finished' || e.type === 'block_failed' || e.type === 'block_skipped')
      open.set(key, (open.get(key) ?? 0) - 1);
  }
  for (const [k, n] of open) expect(n, k).toBe(0);
}

describe('engine: routing, joins, loops, composites, state', () => {
  it('routing first takes the first true condition, else when none holds', async () => {
    const d = doc(
      [llm('a'), llm('b'), llm('c')],
      [
        t('input', 'a'),
        t('a', 'b', { when: 'false' }),
        t('a', 'c', { else: true }),
        t('b', 'output'),
        t('c', 'output'),
      ],
    );
    const { started, events, result } = await run(d);
    expect(result.status).toBe('finished');
    expect(started).toEqual(['input', 'a', 'c', 'output']);
    checkEventStream(events);
  });

  it('routing all fans out; join all waits for every branch, counting one ended by routing as done', async () => {
    const d = doc(
      [
        { ...llm('fan'), routing: 'all' } as Block,
        llm('x'),
        llm('y'),
        llm('z'),
        { ...llm('j'), join: 'all' } as Block,
      ],
      [
        t('input', 'fan'),
        t('fan', 'x'),
        t('fan', 'y'),
        t('fan', 'z'),
        t('x', 'j'),
        t('y', 'j', { when: 'false' }),
        t('z', 'j'),
        t('j', 'output'),
      ],
    );
    const { started, events } = await run(d);
    expect(started.filter((b) => b === 'j')).toHaveLength(1);
    expect(started.indexOf('j')).toBeGreaterThan(
      Math.max(started.indexOf('x'), started.indexOf('y'), started.indexOf('z')),
    );
    checkEventStream(events);
  });

  it('runs parallel branches concurrently (their calls overlap in time)', async () => {
    let inFlight = 0;
    let peak = 0;
    const d = doc(
      [{ ...llm('fan'), routing: 'all' } as Block, llm('x'), llm('y'), { ...llm('j'), join: 'all' } as Block],
      [t('input', 'fan'), t('fan', 'x'), t('fan', 'y'), t('x', 'j'), t('y', 'j'), t('j', 'output')],
    );
    await run(d, {
      llm: async (r) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((res) => setTimeout(res, 5));
        inFlight--;
        return ok(r);
      },
    });
    expect(peak).toBe(2);
  });

  it('a loop exits by condition, with a sum reducer counting rounds', async () => {
    const d = doc(
      [llm('a', { assign: { n: '1' } })],
      [t('input', 'a'), t('a', 'output', { when: 'vars.n >= 3' }), t('a', 'a', { else: true })],
      { vars: { n: { reducer: 'sum', initial: 0 } } },
    );
    const { started, result } = await run(d);
    expect(started.filter((b) => b === 'a')).toHaveLength(3);
    expect(result.status).toBe('finished');
  });

  it('maxIterations and the visit limit end the run with a typed error naming the block', async () => {
    const loop = (limits: GraphDocument['limits'], maxVisits?: number) =>
      doc(
        [llm('a', { maxVisits })],
        [t('input', 'a'), t('a', 'output', { when: 'false' }), t('a', 'a', { else: true })],
        { limits },
      );
    const it1 = await run(loop({ maxIterations: 10 }));
    expect(it1.result.error).toMatchObject({ code: 'max_iterations', blockId: 'a' });
    const it2 = await run(loop({}, 4));
    expect(it2.result.error).toMatchObject({ code: 'max_visits', blockId: 'a' });
    checkEventStream(it2.events);
  });

  it('reducers: replace, append, sum, merge', async () => {
    const d = doc(
      [
        {
          id: 'x',
          name: 'x',
          type: 'transform',
          expr: '{"k": 1}',
          assign: { r: '"last"', a: '1', s: '2', m: 'output' },
        } as Block,
      ],
      [t('input', 'x'), t('x', 'output')],
      {
        vars: {
          r: { reducer: 'replace', initial: 'first' },
          a: { reducer: 'append', initial: [0] },
          s: { reducer: 'sum', initial: 40 },
          m: { reducer: 'merge', initial: { j: 2 } },
        },
      },
    );
    const blocks = d.blocks.map((b) => (b.id === 'output' ? { ...b, value: 'vars' } : b)) as Block[];
    const { result } = await run({ ...d, blocks });
    expect(result.outputs.output).toEqual({ r: 'last', a: [0, 1], s: 42, m: { j: 2, k: 1 } });
  });

  it('composites run three levels deep, with events carrying the path', async () => {
    const leaf = {
      blocks: [
        { id: 'i', name: 'i', type: 'input' },
        llm('deep'),
        { id: 'o', name: 'o', type: 'output', value: 'out.deep' },
      ],
      transitions: [t('i', 'deep'), t('deep', 'o')],
    };
    const wrap = (inner: unknown, id: string) => ({
      blocks: [
        { id: 'i', name: 'i', type: 'input' },
        { id, name: id, type: 'composite', graph: inner },
        { id: 'o', name: 'o', type: 'output' },
      ],
      transitions: [t('i', id), t(id, 'o')],
    });
    const d = doc(
      [{ id: 'c1', name: 'c1', type: 'composite', graph: wrap(wrap(leaf, 'c3'), 'c2') } as Block],
      [t('input', 'c1'), t('c1', 'output')],
    );
    const { events, result } = await run(d);
    expect(result.outputs.output).toBe('reply:deep');
    const deep = events.find((e) => e.type === 'block_started' && e.blockId === 'deep') as unknown as {
      path: string[];
    };
    expect(deep.path).toEqual(['c1', 'c2', 'c3']);
    checkEventStream(events);
  });

  it('keeps state frozen: a transform cannot mutate an upstream output', async () => {
    const d = doc(
      [llm('a', { outputSchema: { type: 'object', properties: { v: { type: 'number' } } } })],
      [t('input', 'a'), t('a', 'output')],
    );
    let held: Record<string, unknown> | undefined;
    await run(d, {
      llm: async (r) => ok(r, { output: { v: 1 } }),
      ctx: {
        sink: (e) => {
          if (e.type === 'block_finished' && e.blockId === 'a') held = e.output as Record<string, unknown>;
        },
      },
    });
    expect(() => {
      (held as Record<string, unknown>).v = 2;
    }).toThrow();
  });
});

describe('engine: limits and control', () => {
  it('a block timeout aborts the call and fails with timeout', async () => {
    const clock = virtualClock();
    let seen: AbortSignal | undefined;
    const p = executeRun(
      compile(doc([llm('a', { timeoutMs: 1000 })], [t('input', 'a'), t('a', 'output')])),
      { runId: 'r', input: {} },
      {
        llm: (r) =>
          new Promise((resolve) => {
            seen = r.signal;
            r.signal.addEventListener('abort', () => resolve(fail(r, 'cancelled', false)));
          }),
        now: clock.now,
        sleep: clock.sleep,
        sink: () => {},
      },
    );
    await clock.advance(1500);
    const r = await p;
    expect(seen?.aborted).toBe(true);
    expect(r.error).toMatchObject({ code: 'timeout', blockId: 'a' });
  });

  it('the run deadline and cancellation abort the caller and end the run', async () => {
    const clock = virtualClock();
    const hang = (r: LlmRequest) =>
      new Promise<LlmResponse>((resolve) =>
        r.signal.addEventListener('abort', () => resolve(fail(r, 'cancelled', false))),
      );
    const g = compile(doc([llm('a')], [t('input', 'a'), t('a', 'output')]));
    const p1 = executeRun(
      g,
      { runId: 'r1', input: {}, deadlineMs: 500 },
      { llm: hang, now: clock.now, sleep: clock.sleep, sink: () => {} },
    );
    await clock.advance(600);
    expect((await p1).error?.code).toBe('deadline');
    const ctl = new AbortController();
    const events: RunEvent[] = [];
    const p2 = executeRun(
      g,
      { runId: 'r2', input: {}, signal: ctl.signal },
      { llm: hang, now: clock.now, sleep: clock.sleep, sink: (e) => events.push(e) },
    );
    await new Promise((r) => setTimeout(r, 0));
    ctl.abort();
    expect((await p2).error?.code).toBe('cancelled');
    expect(events.at(-1)?.type).toBe('run_failed');
    checkEventStream(events);
  });
});

describe('engine: recovery, budget, interrupts, checkpoints', () => {
  const retrying = (retry: Record<string, number>, extra: Record<string, unknown> = {}) =>
    doc(
      [llm('a', { recovery: { retry: { jitter: 0, ...retry }, ...extra } })],
      [t('input', 'a'), t('a', 'output')],
    );

  it('retries wait at least the backoff, honour Retry-After up to its cap, and give up after maxAttempts', async () => {
    const waits: number[] = [];
    let calls = 0;
    const { result, events } = await run(
      retrying({ maxAttempts: 3, baseDelayMs: 100, multiplier: 2, maxRetryAfterMs: 5_000 }),
      {
        llm: async (r) => {
          calls++;
          return calls === 1
            ? fail(r, 'rate_limited', true, { retryAfterMs: 60_000 })
            : fail(r, 'server_error', true);
        },
        ctx: {
          sleep: async (ms) => {
            waits.push(ms);
          },
        },
      },
    );
    expect(calls).toBe(3);
    expect(waits).toEqual([5_000, 200]);
    expect(result.error).toMatchObject({ code: 'block_failed', status: 'server_error', blockId: 'a' });
    expect(events.filter((e) => e.type === 'attempt_finished')).toHaveLength(3);
  });

  it('gives up when the next wait would pass maxTotalMs, and never retries a non-retryable status', async () => {
    let calls = 0;
    await run(retrying({ maxAttempts: 10, baseDelayMs: 1_000, maxTotalMs: 2_500 }), {
      llm: async (r) => {
        calls++;
        return fail(r, 'timeout', true);
      },
    });
    expect(calls).toBe(2);
    calls = 0;
    await run(retrying({ maxAttempts: 5 }), {
      llm: async (r) => {
        calls++;
        return fail(r, 'auth_error', false);
      },
    });
    expect(calls).toBe(1);
  });

  it('falls back to the next model, and repairs invalid output by asking again with the error', async () => {
    const fb = await run(retrying({ maxAttempts: 1 }, { fallback: [{ provider: 'p', model: 'backup' }] }), {
      llm: async (r) => (r.model === 'backup' ? ok(r) : fail(r, 'server_error', true)),
    });
    expect(fb.result.status).toBe('finished');
    const kinds = fb.events
      .filter((e) => e.type === 'attempt_finished')
      .map((e) => (e as { record: { kind: string; model: string } }).record);
    expect(kinds.map((k) => `${k.kind}:${k.model}`)).toEqual(['first:m', 'fallback:backup']);

    const requests: LlmRequest[] = [];
    const rp = await run(retrying({ maxAttempts: 1 }, { repair: { maxAttempts: 1 } }), {
      llm: async (r) => {
        requests.push(r);
        return requests.length === 1
          ? fail(r, 'invalid_output', false, { text: '{oops', error: 'missing property "label"' })
          : ok(r);
      },
    });
    expect(rp.result.status).toBe('finished');
    expect(requests[1]?.messages.at(-1)?.content).toContain('missing property "label"');
  });

  it('stops with budget_exceeded naming the block', async () => {
    const d = doc([llm('a'), llm('b')], [t('input', 'a'), t('a', 'b'), t('b', 'output')]);
    const { result } = await run(d, { req: { budgetUsd: 0.015 } });
    expect(result.error).toMatchObject({ code: 'budget_exceeded', blockId: 'b' });
  });

  it('pauses before a block, resumes in a fresh run with edited state, and steps one block at a time', async () => {
    const d = doc(
      [
        llm('a', { assign: { note: 'output' } }),
        { id: 'b', name: 'b', type: 'transform', expr: 'vars.note' } as Block,
      ],
      [t('input', 'a'), t('a', 'b'), t('b', 'output')],
      { vars: { note: { reducer: 'replace' } } },
    );
    const store = new MemoryCheckpointStore();
    const first = await run(d, { req: { interruptBefore: ['b'] }, ctx: { checkpoints: store } });
    expect(first.result.status).toBe('interrupted');
    expect(first.started).toEqual(['input', 'a']);
    const point = materialize(store.list('r'), first.result.checkpointId as string);
    expect(point?.frontier.map((f) => f.block)).toEqual(['b']);
    const resumed = await run(d, {
      req: {
        interruptBefore: ['b'],
        resumeFrom: {
          ...(point as NonNullable<typeof point>),
          state: { ...(point as NonNullable<typeof point>).state, vars: { note: 'EDITED' } },
        },
      },
    });
    expect(resumed.started).toEqual(['b', 'output']);
    expect(resumed.result.outputs.output).toBe('EDITED');

    const stepped = await run(d, { req: { step: true }, ctx: { checkpoints: new MemoryCheckpointStore() } });
    expect(stepped.result.status).toBe('interrupted');
    expect(stepped.started).toEqual(['input']);
  });

  it('resuming from any checkpoint in a fresh instance gives the uninterrupted result', async () => {
    const d = doc(
      [
        llm('a'),
        { ...llm('fan'), routing: 'all' } as Block,
        llm('x'),
        llm('y'),
        { ...llm('j'), join: 'all' } as Block,
      ],
      [
        t('input', 'a'),
        t('a', 'fan'),
        t('fan', 'x'),
        t('fan', 'y'),
        t('x', 'j'),
        t('y', 'j'),
        t('j', 'output', { when: 'size(out.j) > 0' }),
      ],
    );
    const reply = async (r: LlmRequest) => ok(r, { text: `${r.blockId}:${r.messages[0]?.content}` });
    const store = new MemoryCheckpointStore();
    const full = await run(d, { llm: reply, ctx: { checkpoints: store } });
    const cps = store.list('r');
    expect(cps.length).toBeGreaterThan(2);
    for (const cp of cps) {
      const point = materialize(cps, cp.id);
      if (!point || point.frontier.length === 0) continue;
      const again = await run(d, { llm: reply, req: { resumeFrom: point, runId: `fork-${cp.step}` } });
      expect(again.result.outputs, `from step ${cp.step}`).toEqual(full.result.outputs);
    }
  });
});
