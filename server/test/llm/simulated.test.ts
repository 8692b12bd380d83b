import { type LlmRequest, validateJsonSchema } from '@graphwright/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLlmService } from '../../src/llm/service';
import { SimulatedProvider, type Sleep } from '../../src/llm/simulated';

/** Records requested sleeps and returns at once: tests take microseconds, latencies stay simulated. */
function fakeSleep(): { sleep: Sleep; slept: number[] } {
  const slept: number[] = [];
  return { slept, sleep: async (ms) => void slept.push(ms) };
}

const never = new AbortController().signal;
function req(model: string, content: string, extra: Partial<LlmRequest> = {}): LlmRequest {
  return {
    runId: 'r',
    blockId: 'b',
    path: [],
    provider: 'simulated',
    model,
    messages: [{ role: 'user', content }],
    attempt: 1,
    signal: never,
    ...extra,
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

describe('simulated provider', () => {
  it('is deterministic for a seed: the same calls give the same latencies, texts and outcomes', async () => {
    const run = async (seed: number) => {
      const sim = new SimulatedProvider({ seed, sleep: fakeSleep().sleep });
      const out: unknown[] = [];
      for (let i = 0; i < 30; i++) {
        const r = await sim.call(
          req(i % 2 ? 'sim-flaky' : 'sim-fast', `question ${i % 5}`),
          i % 2 ? 'sim-flaky' : 'sim-fast',
        );
        out.push([r.status, r.latencyMs, r.text, r.tokensIn, r.tokensOut]);
      }
      return out;
    };
    expect(await run(7)).toEqual(await run(7));
    expect(await run(7)).not.toEqual(await run(8));
  });

  it('gives the same text for the same prompt whatever the call order', async () => {
    const sim = new SimulatedProvider({ sleep: fakeSleep().sleep });
    const a = await sim.call(req('sim-fast', 'Tell me about Ada Lovelace'), 'sim-fast');
    await sim.call(req('sim-fast', 'something else'), 'sim-fast');
    const b = await sim.call(req('sim-fast', 'Tell me about Ada Lovelace'), 'sim-fast');
    expect(b.text).toBe(a.text);
    expect(a.latencyMs).not.toBe(b.latencyMs);
    expect(a.text).toContain('Simulated reply from sim-fast');
  });

  it('has log-normal latency near each model’s median, and tokens that grow with the prompt', async () => {
    const { sleep, slept } = fakeSleep();
    const sim = new SimulatedProvider({ sleep, seed: 3 });
    const fast: number[] = [];
    const smart: number[] = [];
    for (let i = 0; i < 400; i++) {
      fast.push((await sim.call(req('sim-fast', 'x'), 'sim-fast')).ttftMs as number);
      smart.push((await sim.call(req('sim-smart', 'x'), 'sim-smart')).ttftMs as number);
    }
    expect(median(fast)).toBeGreaterThan(200);
    expect(median(fast)).toBeLessThan(310);
    expect(median(smart)).toBeGreaterThan(750);
    expect(median(smart)).toBeLessThan(1080);
    expect(Math.max(...fast)).toBeGreaterThan(Math.min(...fast) * 2);
    expect(slept.length).toBeGreaterThan(0);
    const short = await sim.call(req('sim-fast', 'hi'), 'sim-fast');
    const long = await sim.call(req('sim-fast', 'hi '.repeat(500)), 'sim-fast');
    expect(long.tokensIn as number).toBeGreaterThan((short.tokensIn as number) + 300);
  });

  it('sim-flaky fails retryably about as often as configured', async () => {
    const svc = createLlmService({ env: {}, sleep: fakeSleep().sleep });
    let failed = 0;
    const statuses = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const r = await svc.call(req('sim-flaky', `q${i}`));
      if (r.status !== 'ok' && r.status !== 'invalid_output') {
        failed++;
        statuses.add(r.status);
        expect(r.retryable).toBe(true);
        if (r.status === 'rate_limited') expect(r.retryAfterMs).toBe(250);
      }
    }
    expect(failed / 1000).toBeGreaterThan(0.25);
    expect(failed / 1000).toBeLessThan(0.35);
    expect([...statuses].sort()).toEqual(['rate_limited', 'server_error']);
    svc.simulator.setFailureRate('sim-flaky', 0, 0);
    for (let i = 0; i < 50; i++) expect((await svc.call(req('sim-flaky', `q${i}`))).status).toBe('ok');
    await svc.close();
  });

  it('changes latency at run time and supports a zero-latency mode', async () => {
    const svc = createLlmService({ env: {}, sleep: fakeSleep().sleep, simulated: { seed: 5 } });
    const p50 = async () => {
      const xs: number[] = [];
      for (let i = 0; i < 200; i++) xs.push((await svc.call(req('sim-fast', 'x'))).latencyMs);
      return median(xs);
    };
    const before = await p50();
    svc.simulator.setLatency('sim-fast', { medianMs: 2500 });
    const after = await p50();
    expect(after).toBeGreaterThan(before * 5);
    svc.simulator.setLatencyScale(0);
    const sim = new SimulatedProvider({ latencyScale: 0 });
    const started = performance.now();
    for (let i = 0; i < 1000; i++) await sim.call(req('sim-smart', 'x'), 'sim-smart');
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await svc.call(req('sim-smart', 'x'))).latencyMs).toBe(0);
    await svc.close();
  });

  it('really waits with the default sleep, and stops when aborted', async () => {
    const sim = new SimulatedProvider({ latencyScale: 0.1 });
    const t0 = performance.now();
    const ok = await sim.call(req('sim-fast', 'x'), 'sim-fast');
    expect(ok.status).toBe('ok');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(ok.latencyMs - 5);
    sim.setLatencyScale(10);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    const t1 = performance.now();
    const r = await sim.call(req('sim-smart', 'x', { signal: ac.signal }), 'sim-smart');
    expect(r.status).toBe('cancelled');
    expect(performance.now() - t1).toBeLessThan(500);
  });

  it('streams tokens to onToken and respects maxTokens, stop and timeoutMs', async () => {
    const svc = createLlmService({ env: {}, sleep: fakeSleep().sleep });
    const tokens: string[] = [];
    const r = await svc.call(req('sim-smart', 'Explain pooling', { onToken: (t) => tokens.push(t) }));
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join('')).toBe(r.text);
    const cut = await svc.call(req('sim-smart', 'Explain pooling', { maxTokens: 5 }));
    expect(cut).toMatchObject({ status: 'ok', finishReason: 'length', tokensOut: 5 });
    const stopped = await svc.call(req('sim-smart', 'Explain pooling', { stop: ['Simulated'] }));
    expect(stopped.text).toBe('');
    const slow = await svc.call(req('sim-smart', 'x', { timeoutMs: 10 }));
    expect(slow).toMatchObject({ status: 'timeout', retryable: true, latencyMs: 10 });
    await svc.close();
  });

  it('reports non-zero cost from its prices', async () => {
    const svc = createLlmService({ env: {}, sleep: fakeSleep().sleep });
    const r = await svc.call(req('sim-smart', 'price me'));
    expect(r.costUsd).toBeCloseTo((r.tokensIn * 2.5 + r.tokensOut * 10) / 1e6, 12);
    expect(r.costUsd).toBeGreaterThan(0);
    const models = svc.providers().find((p) => p.id === 'simulated')?.models ?? [];
    expect(models.map((m) => m.id)).toEqual(['sim-fast', 'sim-smart', 'sim-flaky']);
    for (const m of models) {
      expect(m.displayName).toContain('(simulated)');
      expect(m.inputPer1M).toBeGreaterThan(0);
    }
    await svc.close();
  });

  it('returns schema-valid JSON for an output schema, with words from the prompt', async () => {
    const svc = createLlmService({ env: {}, sleep: fakeSleep().sleep });
    const schema = Object.freeze({
      type: 'object',
      properties: {
        people: { type: 'array', items: { type: 'string' } },
        years: { type: 'array', items: { type: 'integer' } },
      },
      required: ['people', 'years'],
    });
    const r = await svc.call(
      req('sim-smart', 'Extract the people and years from: Ada Lovelace wrote the first program in 1843.', {
        outputSchema: schema,
      }),
    );
    expect(r.status).toBe('ok');
    const out = r.output as { people: string[]; years: number[] };
    expect(out.years.every((y) => y === 1843)).toBe(true);
    expect(JSON.parse(r.text as string)).toEqual(out);
    await svc.close();
  });

  it('sim-flaky sometimes returns malformed JSON, reported as invalid_output', async () => {
    const svc = createLlmService({ env: {}, sleep: fakeSleep().sleep });
    svc.simulator.setFailureRate('sim-flaky', 0, 0.5);
    const statuses = new Map<string, number>();
    for (let i = 0; i < 100; i++) {
      const r = await svc.call(
        req('sim-flaky', `x${i}`, {
          outputSchema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
        }),
      );
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status === 'invalid_output') {
        expect(r.retryable).toBe(false);
        expect(r.error).toContain('not valid JSON');
      }
    }
    expect(statuses.get('invalid_output')).toBeGreaterThan(30);
    expect(statuses.get('ok')).toBeGreaterThan(30);
    await svc.close();
  });

  it('generates valid values for many schema shapes', async () => {
    const sim = new SimulatedProvider({ latencyScale: 0 });
    const leaf = fc.oneof(
      fc.constant({ type: 'string' }),
      fc.record({
        type: fc.constant('string'),
        minLength: fc.integer({ min: 0, max: 30 }),
        maxLength: fc.constant(40),
      }),
      fc.record({
        type: fc.constant('integer'),
        minimum: fc.integer({ min: -50, max: 0 }),
        maximum: fc.integer({ min: 1, max: 50 }),
      }),
      fc.record({ type: fc.constant('number'), exclusiveMinimum: fc.constant(0), maximum: fc.constant(1) }),
      fc.constant({ type: 'boolean' }),
      fc.constant({ type: 'null' }),
      fc.constant({ type: ['string', 'null'] }),
      fc.constant({ enum: ['red', 'green', 3] }),
      fc.constant({ const: 'fixed' }),
      fc.constant({ type: 'string', format: 'date-time' }),
      fc.constant({ type: 'string', format: 'email' }),
    );
    const schema = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, tie('object'), tie('array'), tie('anyOf')),
      object: fc
        .dictionary(fc.stringMatching(/^[a-z]{1,6}$/), tie('node'), { maxKeys: 4 })
        .map((props) => ({ type: 'object', properties: props, required: Object.keys(props) })),
      array: fc
        .record({ items: tie('node'), minItems: fc.integer({ min: 0, max: 3 }) })
        .map((a) => ({ type: 'array', ...a, maxItems: a.minItems + 2 })),
      anyOf: fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((xs) => ({ anyOf: xs })),
    })).node;
    await fc.assert(
      fc.asyncProperty(schema, fc.string({ maxLength: 40 }), async (s, prompt) => {
        const r = await sim.call(
          req('sim-fast', prompt, { outputSchema: s as Record<string, unknown> }),
          'sim-fast',
        );
        const v = validateJsonSchema(s as Record<string, unknown>, JSON.parse(r.text as string));
        if (!v.valid) throw new Error(`${JSON.stringify(s)} → ${r.text}: ${v.errors.join('; ')}`);
      }),
      { numRuns: 300 },
    );
    const refs = {
      $defs: { person: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
      type: 'array',
      items: { $ref: '#/$defs/person' },
      minItems: 1,
    };
    const r = await sim.call(req('sim-fast', 'Grace Hopper', { outputSchema: refs }), 'sim-fast');
    expect(validateJsonSchema(refs, JSON.parse(r.text as string)).valid).toBe(true);
  });

  it('rejects unknown simulated models', async () => {
    const svc = createLlmService({ env: {} });
    const r = await svc.call(req('sim-nope', 'x'));
    expect(r).toMatchObject({ status: 'invalid_request', retryable: false, costUsd: null });
    expect(r.error).toContain('sim-fast');
    await svc.close();
  });
});
