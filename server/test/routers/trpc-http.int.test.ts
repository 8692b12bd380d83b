import { createTRPCClient, httpBatchLink } from '@trpc/client';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import type { AppRouter } from '../../src/routers/_app';
import { example, makeServices } from './helpers';

/**
 * The buffered tRPC handler (src/trpc-http.ts) answers queries and mutations itself. It must be
 * indistinguishable from tRPC's own handler: the same status and the same bytes for every request,
 * good or bad. Both handlers serve the same services here and get the same requests.
 */
let fast: FastifyInstance;
let official: FastifyInstance;
let graphId = '';

beforeAll(async () => {
  const services = makeServices();
  graphId = services.graphs.create('wire target', example('classify-and-route')).id;
  fast = await buildApp(services);
  official = await buildApp(services, { trpcFastPath: false });
});

afterAll(async () => {
  await fast.close();
  await official.close();
});

/** Queries change nothing, so both handlers can be asked the same thing in turn (system.health is left out: it tells the time). */
const readOnly = [
  'graph.list',
  'graph.get',
  'graph.versions',
  'graph.export',
  'provider.list',
  'provider.defaultModel',
  'run.get',
  'run.list',
  'run.checkpoints',
  'estimate.graph',
  'estimate.block',
  'share.list',
  'share.open',
  'nope.nothing',
  'graph',
  'run.events',
  'graph.list,graph.get',
  'graph.get,nope,run.list',
];

const json = fc.jsonValue({ maxDepth: 3 });
const input = fc.oneof(
  json,
  fc.record({ json }),
  fc.record({ json: fc.record({ id: fc.constant(null).map(() => graphId), version: fc.integer() }) }),
  fc.record({ json: fc.record({ graphId: fc.constant(null).map(() => graphId) }) }),
  fc.constantFrom(undefined, null, 'null', '', '[', '{"json":', '{"0":{"json":{"id":1}}}'),
);

async function both(method: 'GET' | 'POST', url: string, body?: string, contentType = 'application/json') {
  const req = {
    method,
    url,
    ...(body === undefined ? {} : { payload: body, headers: { 'content-type': contentType } }),
  };
  const a = await official.inject(req);
  const b = await fast.inject(req);
  return { official: { status: a.statusCode, body: a.body }, fast: { status: b.statusCode, body: b.body } };
}

describe('tRPC over HTTP: the buffered handler and tRPC’s own', () => {
  it('answer 2,000 random requests with the same status and bytes', async () => {
    let served = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...readOnly),
        fc.constantFrom('GET', 'POST') as fc.Arbitrary<'GET' | 'POST'>,
        input,
        fc.boolean(),
        async (path, method, value, batch) => {
          const text =
            typeof value === 'string' ? value : value === undefined ? undefined : JSON.stringify(value);
          const q = batch ? '?batch=1' : '';
          const r =
            method === 'GET'
              ? await both(
                  'GET',
                  `/trpc/${path}${q}${text === undefined ? '' : `${q ? '&' : '?'}input=${encodeURIComponent(text)}`}`,
                )
              : await both('POST', `/trpc/${path}${q}`, text ?? '');
          if (r.fast.status === 200) served++;
          expect(r.fast, `${method} ${path}${q} ${text?.slice(0, 200)}`).toEqual(r.official);
        },
      ),
      { numRuns: 2_000, seed: 7 },
    );
    // Both sides were exercised: real answers as well as refusals.
    expect(served).toBeGreaterThan(50);
  }, 120_000);

  it('answer mutations with bad input, and non-JSON bodies, the same way', async () => {
    const cases: [string, string, string?][] = [
      ['/trpc/run.start', '{"json":{"graphId":""}}'],
      ['/trpc/run.start', '{"json":{"graphId":"nope"}}'],
      ['/trpc/run.cancel', '{"json":{"runId":"nope"}}'],
      ['/trpc/graph.save', '{"json":{"id":"nope","doc":{}}}'],
      ['/trpc/graph.create', '{"json":{"name":"x","doc":"not a graph"}}'],
      ['/trpc/run.start?batch=1', '{"0":{"json":{"graphId":""}},"1":{"json":{"graphId":"nope"}}}'],
      ['/trpc/run.start', 'not json'],
      ['/trpc/run.start', '{"json":{"graphId":"x"}}', 'text/plain'],
    ];
    for (const [url, body, type] of cases) {
      const r = await both('POST', url, body, type);
      expect(r.fast, `${url} ${body}`).toEqual(r.official);
      expect(r.fast.status).toBeGreaterThanOrEqual(400);
    }
  });

  it('leaves streamed batches to tRPC, and answers 400 where tRPC’s handler would answer 500', async () => {
    const jsonl = {
      method: 'GET' as const,
      url: '/trpc/graph.list?batch=1',
      headers: { accept: 'application/jsonl' },
    };
    const a = await official.inject(jsonl);
    const b = await fast.inject(jsonl);
    expect({ status: b.statusCode, body: b.body }).toEqual({ status: a.statusCode, body: a.body });
    // An empty body: no input. A required input is then missing (400), not a server error.
    const empty = await fast.inject({
      method: 'POST',
      url: '/trpc/run.start',
      payload: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.statusCode).toBe(400);
    // Input superjson cannot read: refused with a message, not a 500.
    const meta = await fast.inject({
      method: 'GET',
      url: `/trpc/graph.get?input=${encodeURIComponent('{"json":{},"meta":{"values":{"__proto__.x":["undefined"]}}}')}`,
    });
    expect(meta.statusCode).toBe(400);
    expect(JSON.parse(meta.body).error.json.data.code).toBe('BAD_REQUEST');
  });

  it('serves the web app’s client: batched queries and a mutation that starts a run', async () => {
    const base = await fast.listen({ port: 0, host: '127.0.0.1' });
    const client = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${base}/trpc`, transformer: superjson })],
    });
    const [list, got] = await Promise.all([
      client.graph.list.query(),
      client.graph.get.query({ id: graphId }),
    ]);
    expect(list.map((g) => g.id)).toContain(graphId);
    expect(got.name).toBe('wire target');
    const started = await client.run.start.mutate({ graphId, input: { text: 'hello' } });
    expect(started.runId).toMatch(/\S/);
    await expect(client.run.start.mutate({ graphId: 'missing' })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND', httpStatus: 404 },
    });
  });
});
