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

/** Bounded and loopback only: GW_LOAD_SECONDS (default 60) of 200 concurrent runs and 50 SSE subscribers. */
const SECONDS = Number(process.env.GW_LOAD_SECONDS ?? 60);
const IN_FLIGHT = 200;
const SUBSCRIBERS = 50;

let app: FastifyInstance;
let services: Services;
let base: string;

beforeAll(async () => {
  services = makeServices({ GW_MAX_CONCURRENT_RUNS: '1000' });
  services.llm.simulator.setLatencyScale(0.3);
  app = await buildApp(services);
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await services.close();
});

describe('load', () => {
  it(
    `keeps ${IN_FLIGHT} runs in flight with ${SUBSCRIBERS} live subscribers for ${SECONDS} s without losing or duplicating an event`,
    async () => {
      const api = createTRPCClient<AppRouter>({
        links: [
          splitLink({
            condition: (op) => op.type === 'subscription',
            true: httpSubscriptionLink({ url: `${base}/trpc`, transformer: superjson, EventSource }),
            false: httpBatchLink({ url: `${base}/trpc`, transformer: superjson }),
          }),
        ],
      });
      const { id } = await api.graph.import.mutate({ doc: example('parallel-fanout') });
      const rssBefore = process.memoryUsage().rss;
      const until = Date.now() + SECONDS * 1000;
      const started: string[] = [];
      const checked: { runId: string; seqs: number[] }[] = [];
      let inFlight = 0;
      const runner = async (): Promise<void> => {
        while (Date.now() < until) {
          inFlight++;
          const { runId } = await api.run.start.mutate({ graphId: id, input: {} });
          started.push(runId);
          await services.runs.waitStored(runId);
          inFlight--;
        }
      };
      const subscriber = async (): Promise<void> => {
        while (Date.now() < until) {
          const runId =
            started[started.length - 1 - Math.floor(Math.random() * Math.min(50, started.length))];
          if (!runId) {
            await new Promise((r) => setTimeout(r, 20));
            continue;
          }
          const seqs: number[] = [];
          await new Promise<void>((resolve, reject) => {
            const sub = api.run.events.subscribe(
              { runId, lastEventId: null },
              {
                onData: (d) => {
                  const e = d.data as RunEvent;
                  seqs.push(e.seq);
                  if (e.type === 'run_finished' || e.type === 'run_failed') {
                    sub.unsubscribe();
                    resolve();
                  }
                },
                onError: reject,
              },
            );
          });
          checked.push({ runId, seqs });
        }
      };
      let peak = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, inFlight);
      }, 50);
      await Promise.all([
        ...Array.from({ length: IN_FLIGHT }, runner),
        ...Array.from({ length: SUBSCRIBERS }, subscriber),
      ]);
      clearInterval(sampler);
      const rssAfter = process.memoryUsage().rss;
      console.log(
        `load: ${started.length} runs, ${checked.length} subscriptions checked, peak ${peak} in flight, RSS ${(rssBefore / 1e6).toFixed(0)} MB → ${(rssAfter / 1e6).toFixed(0)} MB`,
      );
      expect(peak).toBeGreaterThanOrEqual(IN_FLIGHT * 0.9);
      expect(checked.length).toBeGreaterThan(SUBSCRIBERS);
      for (const { runId, seqs } of checked) {
        expect(seqs, runId).toEqual(seqs.map((_, i) => i));
        expect(seqs.length, runId).toBe(services.events.readAfter(runId, -1, 100_000).length);
      }
      for (const runId of started.slice(0, 100)) expect(services.runs.get(runId)?.status).toBe('finished');
    },
    (SECONDS + 120) * 1000,
  );
});
