import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import type { Services } from '../../src/services';
import { example, makeServices } from './helpers';

let app: FastifyInstance;
let services: Services;
let base: string;
let graphId: string;

beforeAll(async () => {
  services = makeServices();
  graphId = services.graphs.create('rest', example('classify-and-route')).id;
  app = await buildApp(services);
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await services.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('REST entry point', () => {
  it('runs the latest saved version with JSON inputs and answers with outputs and the run summary', async () => {
    const res = await post(`/api/graphs/${graphId}/runs`, { input: { ticket: 'The app crashes on save' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      outputs: Record<string, unknown>;
      totals: { attempts: number };
    };
    expect(body.status).toBe('finished');
    expect(Object.keys(body.outputs)).toEqual(['output']);
    expect(body.totals.attempts).toBeGreaterThanOrEqual(2);
  });

  it('streams events as SSE when asked', async () => {
    const res = await post(
      `/api/graphs/${graphId}/runs`,
      { input: { ticket: 'refund please' } },
      { accept: 'text/event-stream' },
    );
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual(ids.map((_, i) => i));
    expect(text).toContain('event: run_finished');
  });

  it('answers 404 for an unknown graph and 400 with what to send for a bad body', async () => {
    expect((await post('/api/graphs/g_nope/runs', { input: {} })).status).toBe(404);
    const bad = await post(`/api/graphs/${graphId}/runs`, { input: 'not an object' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/input/);
  });
});
