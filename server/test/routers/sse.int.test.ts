import type { RunEvent } from '@graphwright/shared';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import type { FastifyInstance } from 'fastify';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import type { AppRouter } from '../../src/routers/_app';
import type { Services } from '../../src/services';
import { example, makeServices } from './helpers';

let app: FastifyInstance;
let services: Services;
let base: string;

beforeAll(async () => {
  services = makeServices();
  services.llm.simulator.setLatencyScale(0.05);
  app = await buildApp(services);
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await services.close();
});

function client() {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url: `${base}/trpc`, transformer: superjson, EventSource }),
        false: httpBatchLink({ url: `${base}/trpc`, transformer: superjson }),
      }),
    ],
  });
}

function subscribe(
  runId: string,
  lastEventId: string | null,
  onEvent: (e: RunEvent) => boolean,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const sub = client().run.events.subscribe(
      { runId, lastEventId },
      {
        onData: (d) => {
          if (onEvent(d.data as RunEvent)) {
            sub.unsubscribe();
            resolve();
          }
        },
        onError: reject,
      },
    );
  });
}

describe('run events over SSE', () => {
  it('drops the connection mid-run, reconnects with the last event id, and gets every event exactly once', async () => {
    const c = client();
    const { id } = await c.graph.import.mutate({ doc: example('parallel-fanout') });
    const { runId } = await c.run.start.mutate({ graphId: id, input: {} });
    const seen: number[] = [];
    // First connection: take a few events, then drop it.
    await subscribe(runId, null, (e) => {
      seen.push(e.seq);
      return seen.length >= 5;
    });
    const last = seen[seen.length - 1] as number;
    await new Promise((r) => setTimeout(r, 50));
    await subscribe(runId, String(last), (e) => {
      seen.push(e.seq);
      return e.type === 'run_finished' || e.type === 'run_failed';
    });
    expect(seen).toEqual(seen.map((_, i) => i));
    // Live delivery runs ahead of storage by at most one flush: wait for the ending to be stored.
    await services.runs.waitStored(runId);
    const stored = services.events.readAfter(runId, -1, 10_000);
    expect(seen.length).toBe(stored.length);
  });

  it('a late subscriber to a finished run replays the whole stored log', async () => {
    const c = client();
    const { id } = await c.graph.import.mutate({ doc: example('single-prompt') });
    const { runId } = await c.run.start.mutate({ graphId: id, input: {} });
    await services.runs.waitStored(runId);
    const seen: RunEvent[] = [];
    await subscribe(runId, null, (e) => {
      seen.push(e);
      return e.type === 'run_finished';
    });
    expect(seen[0]?.type).toBe('run_started');
    expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => i));
  });
});
