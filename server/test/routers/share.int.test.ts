import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import type { Services } from '../../src/services';
import { example, makeCaller, makeServices } from './helpers';

const TOKEN = 'share-test-access-token';
const CANARY = 'sk-canary-share-0123456789abcdef';
let app: FastifyInstance;
let services: Services;
let base: string;

beforeAll(async () => {
  services = makeServices({ GW_ACCESS_TOKEN: TOKEN });
  app = await buildApp(services);
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await services.close();
});

async function call(path: string, input: unknown, opts: { token?: boolean; mutation?: boolean } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${TOKEN}`;
  const body = JSON.stringify({ json: input });
  const res = opts.mutation
    ? await fetch(`${base}/trpc/${path}`, { method: 'POST', headers, body })
    : await fetch(`${base}/trpc/${path}?input=${encodeURIComponent(body)}`, { headers });
  return { status: res.status, text: await res.text() };
}

describe('share links', () => {
  it('open read-only without the token, expose no secret, cannot start runs, stop when revoked; a fork is independent', async () => {
    const { caller } = makeCaller(services);
    const doc = example('classify-and-route');
    const { id } = await caller.graph.import({ doc });
    const { runId } = await caller.run.start({
      graphId: id,
      input: { ticket: `my key is ${CANARY.slice(0, 5)}` },
    });
    await services.runs.waitStored(runId);
    const link = await caller.share.createForRun({ runId });
    expect(link.id.length).toBeGreaterThanOrEqual(22);

    const opened = await call('share.open', { id: link.id });
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('run_finished');
    expect(opened.text).toContain('Classify then route');
    expect(opened.text).not.toContain(CANARY);
    expect(opened.text).not.toContain(TOKEN);

    // A viewer without the token cannot run anything, neither the shared graph nor one of their own.
    expect((await call('run.start', { graphId: id, input: {} }, { mutation: true })).status).toBe(401);
    expect((await call('graph.list', undefined)).status).toBe(401);
    expect(
      (
        await fetch(`${base}/api/graphs/${id}/runs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(401);

    // Fork into a new graph, edit it: the original stays as it was.
    const fork = await caller.share.fork({ id: link.id });
    expect(fork.id).not.toBe(id);
    const forkedDoc = (await caller.graph.get({ id: fork.id })).doc as { name: string };
    await caller.graph.save({ id: fork.id, doc: { ...forkedDoc, name: 'Changed in the fork' } });
    expect(((await caller.graph.get({ id })).doc as { name: string }).name).toBe('Classify then route');

    await caller.share.revoke({ id: link.id });
    const revoked = await call('share.open', { id: link.id });
    expect(revoked.status).toBe(403);
    expect(revoked.text).toMatch(/revoked/);
    expect((await call('share.open', { id: 'x'.repeat(24) })).status).toBe(404);
  });

  it('a graph link opens the stored version even after the graph changed', async () => {
    const { caller } = makeCaller(services);
    const { id } = await caller.graph.import({ doc: example('single-prompt') });
    const link = await caller.share.createForGraph({ graphId: id });
    await caller.graph.save({ id, doc: { ...example('single-prompt'), name: 'Renamed later' } });
    const opened = await call('share.open', { id: link.id });
    expect(opened.text).toContain('Single prompt');
    expect(opened.text).not.toContain('Renamed later');
  });

  it('a run link keeps the estimate as it was when shared, whatever runs follow', async () => {
    const { caller } = makeCaller(services);
    const { id } = await caller.graph.import({ doc: example('single-prompt') });
    const first = await caller.run.start({ graphId: id, input: { question: 'one' } });
    await services.runs.waitStored(first.runId);
    const link = await caller.share.createForRun({ runId: first.runId });
    const samples = (snapshot: unknown) =>
      (snapshot as { estimate: { blocks: { blockId: string; samples: number }[] } }).estimate.blocks.find(
        (b) => b.blockId === 'answer',
      )?.samples;
    const opened = await caller.share.open({ id: link.id });
    expect(samples(opened.snapshot)).toBe(1);

    const second = await caller.run.start({ graphId: id, input: { question: 'two' } });
    await services.runs.waitStored(second.runId);
    services.stats.flush();
    const now = await caller.estimate.graph({ graphId: id });
    expect(now.estimate.blocks.find((b) => b.blockId === 'answer')?.samples).toBe(2);
    expect(samples((await caller.share.open({ id: link.id })).snapshot)).toBe(1);
  });

  it('a paused run can be shared as it stands', async () => {
    const { caller } = makeCaller(services);
    const { id } = await caller.graph.import({ doc: example('single-prompt') });
    const { runId } = await caller.run.start({
      graphId: id,
      input: { question: 'q' },
      options: { interruptBefore: ['answer'] },
    });
    await services.runs.waitStored(runId);
    await expect(caller.share.createForRun({ runId })).resolves.toMatchObject({ kind: 'run' });
  });
});
