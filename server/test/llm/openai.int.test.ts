/**
 * The real openai SDK over real HTTP against the fake server: every fault scenario's mapped status,
 * retryable and retryAfterMs, for streaming and non-streaming calls and for both transports;
 * aborts that the server sees; and a canary key that must never surface anywhere.
 */
import type { LlmRequest, LlmResponse } from '@graphwright/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from '../../src/dev/fake-openai';
import { createLlmService, type LlmService } from '../../src/llm/service';

const CANARY = 'sk-canary-1d8e4f0b9a7c6e2d5f3a';

let fake: FakeOpenAI;
const services: LlmService[] = [];
/** Everything the service handed back or printed, searched for the canary at the end. */
const seen: string[] = [];
const restore: (() => void)[] = [];

function provider(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    displayName: `Fake ${id}`,
    baseUrl: fake.url,
    apiKeyEnv: 'FAKE_KEY',
    models: [
      { id: 'echo', inputPer1M: 1, outputPer1M: 2 },
      { id: 'echo-no-usage', inputPer1M: 1, outputPer1M: 2 },
    ],
    timeoutMs: 1_500,
    idleTimeoutMs: 250,
    ...extra,
  };
}

function service(transport: 'request' | 'fetch' = 'request'): LlmService {
  const svc = createLlmService({
    env: { FAKE_KEY: CANARY },
    transport,
    providers: [
      provider('stream'),
      provider('plain', { stream: false }),
      provider('one', { concurrency: 1 }),
    ],
  });
  services.push(svc);
  return svc;
}

function req(provider: string, model: string, extra: Partial<LlmRequest> = {}): LlmRequest {
  return {
    runId: 'r1',
    blockId: 'b1',
    path: [],
    provider,
    model,
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'hello pooled world' },
    ],
    attempt: 1,
    signal: new AbortController().signal,
    onToken: (t) => seen.push(t),
    ...extra,
  };
}

async function call(svc: LlmService, r: LlmRequest): Promise<LlmResponse> {
  const res = await svc.call(r);
  seen.push(JSON.stringify(res));
  return res;
}

beforeAll(async () => {
  fake = await startFakeOpenAI();
  // Capture every line printed while the tests run: the SDK's logger included.
  for (const stream of [process.stdout, process.stderr]) {
    const spy = vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      seen.push(String(chunk));
      const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof stream.write);
    restore.push(() => spy.mockRestore());
  }
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const spy = vi
      .spyOn(console, level)
      .mockImplementation((...args: unknown[]) => void seen.push(args.map(String).join(' ')));
    restore.push(() => spy.mockRestore());
  }
});

afterAll(async () => {
  for (const r of restore) r();
  await Promise.all(services.map((s) => s.close()));
  await fake.close();
});

interface Expect {
  status: LlmResponse['status'];
  retryable: boolean;
  retryAfterMs?: number | [number, number];
}

const TABLE: [string, Expect, Partial<Expect>?][] = [
  ['rate-limit-seconds', { status: 'rate_limited', retryable: true, retryAfterMs: 7000 }],
  ['rate-limit-ms', { status: 'rate_limited', retryable: true, retryAfterMs: 1500 }],
  ['rate-limit-date', { status: 'rate_limited', retryable: true, retryAfterMs: [27_000, 30_000] }],
  ['rate-limit-long', { status: 'rate_limited', retryable: true, retryAfterMs: 60_000 }],
  ['rate-limit-garbage', { status: 'rate_limited', retryable: true }],
  ['rate-limit-none', { status: 'rate_limited', retryable: true }],
  ['quota', { status: 'auth_error', retryable: false }],
  ['status-400', { status: 'invalid_request', retryable: false }],
  ['status-401', { status: 'auth_error', retryable: false }],
  ['status-403', { status: 'auth_error', retryable: false }],
  ['status-404', { status: 'invalid_request', retryable: false }],
  ['status-408', { status: 'timeout', retryable: true }],
  ['status-422', { status: 'invalid_request', retryable: false }],
  ['status-500', { status: 'server_error', retryable: true }],
  ['status-502', { status: 'server_error', retryable: true }],
  ['status-504', { status: 'timeout', retryable: true }],
  ['auth-echo-key', { status: 'auth_error', retryable: false }],
  ['context-length', { status: 'context_length', retryable: false }],
  ['content-filter', { status: 'content_filter', retryable: false }],
  ['refusal', { status: 'content_filter', retryable: false }],
  ['hang-headers', { status: 'timeout', retryable: true }],
  ['hang-mid-stream', { status: 'timeout', retryable: true }],
  ['drop-socket', { status: 'connection_error', retryable: true }],
  ['drop-mid-stream', { status: 'connection_error', retryable: true }],
  // A non-streamed body is complete JSON: only a stream can be cut short without a finish_reason.
  ['eof-no-done', { status: 'connection_error', retryable: true }, { status: 'ok', retryable: false }],
  ['done-no-finish', { status: 'connection_error', retryable: true }, { status: 'ok', retryable: false }],
  ['malformed', { status: 'server_error', retryable: true }],
  ['stream-error', { status: 'server_error', retryable: true }, { status: 'ok', retryable: false }],
  ['slow-drip-40', { status: 'ok', retryable: false }],
  ['slow-drip-400', { status: 'timeout', retryable: true }, { status: 'ok', retryable: false }],
  ['latency-120', { status: 'ok', retryable: false }],
  ['echo', { status: 'ok', retryable: false }],
];

describe.each([
  ['request', 'stream'],
  ['request', 'plain'],
  ['fetch', 'stream'],
  ['fetch', 'plain'],
] as const)('fault scenarios (transport %s, provider %s)', (transport, providerId) => {
  let svc: LlmService;
  beforeAll(() => {
    svc = service(transport);
  });

  it.each(TABLE)('%s', async (model, streamed, plain) => {
    const want = providerId === 'plain' ? { ...streamed, ...plain } : streamed;
    const r = await call(svc, req(providerId, model));
    expect(r.status, r.error).toBe(want.status);
    expect(r.retryable).toBe(want.retryable);
    if (Array.isArray(want.retryAfterMs)) {
      expect(r.retryAfterMs).toBeGreaterThanOrEqual(want.retryAfterMs[0]);
      expect(r.retryAfterMs).toBeLessThanOrEqual(want.retryAfterMs[1]);
    } else {
      expect(r.retryAfterMs).toBe(want.retryAfterMs);
    }
    if (r.status !== 'ok') expect(r.error).toBeTruthy();
    expect(r.provider).toBe(providerId);
    expect(r.model).toBe(model);
  });

  it('500 and 503 then success, per model name', async () => {
    for (const code of [500, 503]) {
      const model = `fail-${code}-then-ok:${transport}-${providerId}`;
      const first = await call(svc, req(providerId, model));
      expect(first).toMatchObject({ status: 'server_error', retryable: true });
      const second = await call(svc, req(providerId, model));
      expect(second).toMatchObject({ status: 'ok', text: 'hello pooled world' });
    }
  });
});

describe('successful calls', () => {
  it('streams deltas to onToken, captures usage and prices it', async () => {
    const svc = service();
    const tokens: string[] = [];
    const r = await call(svc, req('stream', 'echo', { onToken: (t) => tokens.push(t) }));
    expect(r).toMatchObject({ status: 'ok', text: 'hello pooled world', finishReason: 'stop' });
    expect(tokens).toEqual(['hello ', 'pooled ', 'world']);
    expect(r.tokensEstimated).toBeUndefined();
    expect(r.costUsd).toBeCloseTo((r.tokensIn * 1 + r.tokensOut * 2) / 1e6, 12);
    expect(r.ttftMs).toBeGreaterThan(0);
    expect(r.latencyMs).toBeGreaterThanOrEqual(r.ttftMs as number);
    const body = fake.lastRequest()?.body as Record<string, unknown>;
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(fake.lastRequest()?.headers.authorization).toBe(`Bearer ${CANARY}`);
  });

  it('estimates tokens when the provider omits usage', async () => {
    const svc = service();
    for (const p of ['stream', 'plain']) {
      const r = await call(svc, req(p, 'echo-no-usage'));
      expect(r).toMatchObject({ status: 'ok', tokensEstimated: true });
      expect(r.tokensOut).toBe(Math.ceil('hello pooled world'.length / 4));
      expect(r.tokensIn).toBeGreaterThan(5);
      expect(r.costUsd).toBeGreaterThan(0);
    }
  });

  it('reports cost as unknown (null), never 0, for a model without a price', async () => {
    const svc = service();
    const r = await call(svc, req('stream', 'echo:unpriced'));
    expect(r.status).toBe('ok');
    expect(r.tokensOut).toBeGreaterThan(0);
    expect(r.costUsd).toBeNull();
  });

  it('waits out a slow drip but not a silent provider', async () => {
    const svc = service();
    const t0 = performance.now();
    const r = await call(svc, req('stream', 'slow-drip-60'));
    expect(r.status).toBe('ok');
    expect(performance.now() - t0).toBeGreaterThan(200);
    const silent = await call(svc, req('stream', 'hang-mid-stream'));
    expect(silent.error).toContain('sent nothing for 250 ms');
  });

  it('takes a per-request timeout over the provider default', async () => {
    const svc = service();
    const t0 = performance.now();
    const r = await call(svc, req('stream', 'latency-2000', { timeoutMs: 100 }));
    expect(r).toMatchObject({ status: 'timeout', retryable: true });
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('structured output', () => {
  const schema = Object.freeze({
    type: 'object',
    properties: { label: { type: 'string', enum: ['spam', 'ham'] } },
    required: ['label'],
  });

  it.each(['stream', 'plain'])('asks with response_format and validates the reply (%s)', async (p) => {
    const svc = service();
    const ok = await call(
      svc,
      req(p, 'echo', { outputSchema: schema, messages: [{ role: 'user', content: '{"label":"ham"}' }] }),
    );
    expect(ok).toMatchObject({ status: 'ok', output: { label: 'ham' } });
    const sent = fake.lastRequest()?.body?.response_format as {
      type: string;
      json_schema: { schema: unknown };
    };
    expect(sent.type).toBe('json_schema');
    expect(sent.json_schema.schema).toEqual(schema);

    const fenced = await call(
      svc,
      req(p, 'echo', {
        outputSchema: schema,
        messages: [{ role: 'user', content: '```json\n{"label":"spam"}\n```' }],
      }),
    );
    expect(fenced.output).toEqual({ label: 'spam' });

    const notJson = await call(
      svc,
      req(p, 'echo', { outputSchema: schema, messages: [{ role: 'user', content: 'ham, I think' }] }),
    );
    expect(notJson).toMatchObject({ status: 'invalid_output', retryable: false });
    expect(notJson.error).toContain('not valid JSON');
    expect(notJson.costUsd).toBeGreaterThan(0);

    const wrong = await call(
      svc,
      req(p, 'echo', { outputSchema: schema, messages: [{ role: 'user', content: '{"label":"eggs"}' }] }),
    );
    expect(wrong).toMatchObject({ status: 'invalid_output', retryable: false });
    expect(wrong.error).toContain('/label');
    expect(wrong.output).toBeUndefined();
  });
});

describe('aborting', () => {
  const cases = (['request', 'fetch'] as const).flatMap((t) =>
    (['stream', 'plain'] as const).flatMap((p) =>
      (['hang-headers', 'hang-mid-stream'] as const).map((m) => [p, m, t] as const),
    ),
  );
  it.each(cases)(
    'ends the request and closes its socket (%s, %s, %s transport)',
    async (p, model, transport) => {
      const svc = service(transport);
      await call(svc, req(p, 'echo')); // a warm pooled connection first
      const before = { ...fake.stats };
      const ac = new AbortController();
      const pending = call(svc, req(p, model, { signal: ac.signal }));
      await fake.until((s) => s.requests > before.requests);
      await new Promise((r) => setTimeout(r, 20));
      const t0 = performance.now();
      ac.abort();
      const r = await pending;
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(r).toMatchObject({ status: 'cancelled', retryable: false });
      await fake.until(
        (s) => s.abortedRequests > before.abortedRequests && s.closedSockets > before.closedSockets,
      );
    },
  );

  it('leaves the queue when aborted while waiting for a slot', async () => {
    const svc = service();
    const hold = new AbortController();
    const holding = call(svc, req('one', 'hang-headers', { signal: hold.signal }));
    const ac = new AbortController();
    const queued = call(svc, req('one', 'echo', { signal: ac.signal }));
    await new Promise((r) => setTimeout(r, 30));
    ac.abort();
    expect(await queued).toMatchObject({ status: 'cancelled', latencyMs: 0 });
    hold.abort();
    expect((await holding).status).toBe('cancelled');
    expect((await call(svc, req('one', 'echo'))).status).toBe('ok');
  });

  it('shares one run signal across 60 parallel calls without listener warnings, and cancels them all', async () => {
    const svc = service();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const run = new AbortController();
      const done = await Promise.all(
        Array.from({ length: 60 }, () => call(svc, req('stream', 'latency-1', { signal: run.signal }))),
      );
      expect(done.every((r) => r.status === 'ok')).toBe(true);
      const pending = Array.from({ length: 60 }, (_, i) =>
        call(
          svc,
          req(i % 2 ? 'stream' : 'simulated', i % 2 ? 'hang-headers' : 'sim-smart', { signal: run.signal }),
        ),
      );
      await new Promise((r) => setTimeout(r, 50));
      run.abort();
      const statuses = new Set((await Promise.all(pending)).map((r) => r.status));
      expect([...statuses]).toEqual(['cancelled']);
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('returns at once for a signal that is already aborted', async () => {
    const svc = service();
    const ac = new AbortController();
    ac.abort();
    const before = fake.stats.requests;
    expect(await call(svc, req('stream', 'echo', { signal: ac.signal }))).toMatchObject({
      status: 'cancelled',
    });
    expect(fake.stats.requests).toBe(before);
  });
});

describe('pooling', () => {
  it.each(['request', 'fetch'] as const)(
    'creates the client lazily and reuses a few connections (%s)',
    async (transport) => {
      // A server of its own: undici re-opens a socket after an aborted request, some milliseconds
      // later, which would add other tests' connections to this count.
      const own = await startFakeOpenAI();
      const svc = createLlmService({
        env: { FAKE_KEY: CANARY },
        transport,
        providers: [{ ...provider('pooled', { concurrency: 8 }), baseUrl: own.url }],
      });
      services.push(svc);
      try {
        expect(svc.clients()).toEqual([]);
        let next = 0;
        const worker = async () => {
          while (next < 300) {
            next++;
            const r = await call(svc, req('pooled', 'latency-2'));
            expect(r.status).toBe('ok');
          }
        };
        await Promise.all(Array.from({ length: 20 }, worker));
        expect(own.stats.requests).toBe(300);
        expect(own.stats.connections).toBeGreaterThan(0);
        expect(own.stats.connections).toBeLessThanOrEqual(8);
        expect(svc.clients()).toEqual(['pooled']);
      } finally {
        await svc.close();
        await own.close();
      }
    },
  );

  it('never hands OPENAI_API_KEY or OpenAI org ids to a keyless provider', async () => {
    const saved = { key: process.env.OPENAI_API_KEY, org: process.env.OPENAI_ORG_ID };
    process.env.OPENAI_API_KEY = 'sk-from-process-env-0123456789';
    process.env.OPENAI_ORG_ID = 'org-from-process-env';
    try {
      const svc = createLlmService({
        env: {},
        providers: [{ id: 'local', displayName: 'Local', baseUrl: fake.url }],
      });
      services.push(svc);
      expect((await call(svc, req('local', 'echo'))).status).toBe('ok');
      const h = fake.lastRequest()?.headers ?? {};
      expect(h.authorization).toBe('Bearer no-key');
      expect(h['openai-organization']).toBeUndefined();
    } finally {
      if (saved.key === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved.key;
      if (saved.org === undefined) delete process.env.OPENAI_ORG_ID;
      else process.env.OPENAI_ORG_ID = saved.org;
    }
  });
});

describe('the fake server', () => {
  it('lists its scenarios on GET /v1/models and binds loopback only', async () => {
    expect(new URL(fake.url).hostname).toBe('127.0.0.1');
    const res = await fetch(`${fake.url}/models`);
    const body = (await res.json()) as { data: { id: string }[] };
    expect(body.data.map((m) => m.id)).toContain('hang-mid-stream');
    expect((await fetch(`${fake.url}/nope`)).status).toBe(404);
  });
});

describe('the canary key', () => {
  it('was sent to the provider but never appears in any response, token, error or log line', async () => {
    const svc = service();
    const echoed = await call(svc, req('stream', 'auth-echo-key'));
    expect(echoed.error).toContain('[redacted]');
    expect(fake.lastRequest()?.headers.authorization).toBe(`Bearer ${CANARY}`);
    expect(svc.providers().length).toBeGreaterThan(3);
    seen.push(JSON.stringify(svc.providers()));
    expect(seen.length).toBeGreaterThan(100);
    const leaks = seen.filter((s) => s.includes(CANARY) || s.includes(CANARY.slice(10)));
    expect(leaks).toEqual([]);
  });
});
