import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { example, makeServices } from './helpers';

/**
 * Bad input over real HTTP: whatever a client sends, the server answers 4xx (or 2xx), never 5xx,
 * never crashes, and serves normally afterwards.
 */
let app: FastifyInstance;
let base: string;
let graphId = '';

beforeAll(async () => {
  const services = makeServices();
  graphId = services.graphs.create('fuzz target', example('classify-and-route')).id;
  app = await buildApp(services);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  base = address;
});

afterAll(async () => {
  await app.close();
});

const procedures = [
  'graph.list',
  'graph.get',
  'graph.create',
  'graph.save',
  'graph.versions',
  'graph.rename',
  'graph.delete',
  'graph.import',
  'graph.export',
  'provider.list',
  'provider.defaultModel',
  'run.start',
  'run.get',
  'run.list',
  'run.cancel',
  'run.resume',
  'run.step',
  'run.fork',
  'run.checkpoints',
  'run.runBlock',
  'estimate.graph',
  'estimate.block',
  'share.createForGraph',
  'share.createForRun',
  'share.list',
  'share.revoke',
  'share.open',
  'share.fork',
  'system.health',
  'debug.compileCache',
  'nope.nothing',
  'graph',
];
const json = fc.jsonValue({ maxDepth: 4 });
const nasty = fc.oneof(
  json,
  fc.constantFrom(
    '__proto__',
    '{"__proto__":{"x":1}}',
    '{"json":{"__proto__":{"polluted":true}}}',
    'null',
    '',
    '[',
    '\u0000',
    '%',
    '%E0%A4%A',
  ),
  fc.string(),
  fc.record({
    json: fc.record({
      id: fc.oneof(
        fc.string(),
        fc.constant(null).map(() => graphId),
      ),
      doc: json,
      name: fc.string(),
      version: fc.oneof(fc.integer(), fc.double(), fc.string()),
    }),
  }),
);

async function send(
  method: 'GET' | 'POST',
  proc: string,
  body: unknown,
  batch: boolean,
  raw: boolean,
): Promise<number> {
  const text = raw && typeof body === 'string' ? body : JSON.stringify(body);
  const path = `/trpc/${proc}${batch ? '?batch=1' : ''}`;
  if (method === 'GET') {
    const sep = path.includes('?') ? '&' : '?';
    const input = batch ? JSON.stringify({ 0: body }) : (text ?? '');
    const res = await fetch(`${base}${path}${sep}input=${encodeURIComponent(input).slice(0, 6000)}`);
    await res.arrayBuffer();
    return res.status;
  }
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': raw ? 'text/plain' : 'application/json' },
    body: batch ? JSON.stringify({ 0: body }) : (text ?? 'null'),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('bad input over HTTP', () => {
  it('never answers 5xx to 10,000 random requests and keeps serving', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...procedures),
        fc.constantFrom('GET', 'POST') as fc.Arbitrary<'GET' | 'POST'>,
        nasty,
        fc.boolean(),
        fc.boolean(),
        async (proc, method, body, batch, raw) => {
          const status = await send(method, proc, body, batch, raw);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          expect(status, `${method} ${proc} ${JSON.stringify(body)?.slice(0, 200)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 10_000, seed: 42 },
    );
    // Both sides of the property were exercised: some requests succeeded, many were refused.
    expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
    expect([...statuses.keys()].some((s) => s >= 400 && s < 500)).toBe(true);
    const ok = await fetch(`${base}/trpc/graph.list`);
    expect(ok.status).toBe(200);
  }, 300_000);

  it('refuses an oversized body with 413 and a message', async () => {
    const res = await fetch(`${base}/trpc/graph.import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ doc: { name: 'x'.repeat(3 * 1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
  });
});
