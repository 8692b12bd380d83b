/**
 * The LLM service against the fake OpenAI-compatible server, in one process:
 *  - connections: 1,000 calls at concurrency 50 through the pooled service, next to the seed's
 *    design (a new openai client and a new undici Agent per request), counted by the server;
 *  - overhead: sequential calls to a zero-latency model through our service (non-streaming, the
 *    like-for-like comparison; streaming is reported beside it) next to a bare undici request to
 *    the same server, interleaved round by round so machine noise hits both alike. The SDK's own
 *    cost with no network at all is reported too: it is the floor under any SDK-based client.
 */
import type { LlmRequest } from '@graphwright/shared';
import OpenAI from 'openai';
import { Agent, request } from 'undici';
import { startFakeOpenAI } from '../src/dev/fake-openai';
import { DEFAULT_CONCURRENCY } from '../src/llm/config';
import { requestFetch } from '../src/llm/pool';
import { createLlmService, type LlmService } from '../src/llm/service';
import { type BenchSuite, round } from './harness';

const KEY = 'sk-bench-not-a-real-key';
const MESSAGES = [{ role: 'user' as const, content: 'hello pooled world' }];
const never = new AbortController().signal;

function llmRequest(provider: string, model: string): LlmRequest {
  return {
    runId: 'bench',
    blockId: 'b',
    path: [],
    provider,
    model,
    messages: MESSAGES,
    attempt: 1,
    signal: never,
  };
}

async function runConcurrent(total: number, concurrency: number, one: () => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < total) {
      next++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - t0;
}

/** The seed's design: a client and an agent for every request, so no connection is ever reused. */
async function clientPerRequest(baseURL: string, model: string): Promise<void> {
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  try {
    const client = new OpenAI({
      apiKey: KEY,
      baseURL,
      maxRetries: 0,
      logLevel: 'off',
      fetchOptions: { dispatcher: agent } as unknown as NonNullable<
        ConstructorParameters<typeof OpenAI>[0]
      >['fetchOptions'],
    });
    const stream = await client.chat.completions.create({
      model,
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _ of stream) {
      // drain
    }
  } finally {
    await agent.close();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** µs per call of each contender: `rounds` interleaved batches of `batch` sequential calls. */
async function interleaved(
  contenders: Record<string, () => Promise<void>>,
  rounds: number,
  batch: number,
): Promise<Record<string, number>> {
  const times: Record<string, number[]> = {};
  for (const [name, fn] of Object.entries(contenders)) {
    times[name] = [];
    for (let i = 0; i < Math.min(batch, 200); i++) await fn(); // warm up JIT and connections
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(contenders)) {
      const t0 = performance.now();
      for (let i = 0; i < batch; i++) await fn();
      times[name]?.push(((performance.now() - t0) * 1000) / batch);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

/** The openai SDK by itself on our slim transport and a keep-alive agent: the service minus our layer. */
function sdkPooled(baseURL: string, agent: Agent): () => Promise<void> {
  const client = new OpenAI({
    apiKey: KEY,
    baseURL,
    maxRetries: 0,
    logLevel: 'off',
    fetch: requestFetch(agent),
  });
  return async () => {
    await client.chat.completions.create({ model: 'echo', messages: MESSAGES });
  };
}

/** The openai SDK alone: a canned in-memory response, no socket, no server. */
function sdkOnly(): () => Promise<void> {
  const body = JSON.stringify({
    id: 'x',
    object: 'chat.completion',
    created: 0,
    model: 'echo',
    choices: [
      { index: 0, message: { role: 'assistant', content: 'hello pooled world' }, finish_reason: 'stop' },
    ],
    usage: { prompt_tokens: 8, completion_tokens: 5, total_tokens: 13 },
  });
  const headers = new Headers({ 'content-type': 'application/json' });
  const canned = (async () =>
    ({
      ok: true,
      status: 200,
      headers,
      url: '',
      json: async () => JSON.parse(body),
      text: async () => body,
    }) as unknown as Response) as unknown as typeof fetch;
  const client = new OpenAI({
    apiKey: KEY,
    baseURL: 'http://127.0.0.1:9/v1',
    maxRetries: 0,
    logLevel: 'off',
    fetch: canned,
  });
  return async () => {
    await client.chat.completions.create({ model: 'echo', messages: MESSAGES });
  };
}

export const llmSuite: BenchSuite = {
  name: 'llm',
  async run({ smoke }) {
    const fake = await startFakeOpenAI();
    const services: LlmService[] = [];
    const make = (transport: 'request' | 'fetch', stream: boolean): LlmService => {
      const svc = createLlmService({
        env: { BENCH_KEY: KEY },
        transport,
        providers: [
          // The default concurrency limit, which is also the pool's connection cap (undici opens
          // connections up to its cap under load, so the cap is what bounds the count).
          { id: 'fake', displayName: 'Fake', baseUrl: fake.url, apiKeyEnv: 'BENCH_KEY', stream },
        ],
      });
      services.push(svc);
      return svc;
    };
    try {
      const calls = smoke ? 40 : 1000;
      const concurrency = smoke ? 5 : 50;
      const model = 'latency-5'; // every call really is in flight alongside the others

      const pooled = make('request', true);
      fake.reset();
      const pooledMs = await runConcurrent(calls, concurrency, async () => {
        const r = await pooled.call(llmRequest('fake', model));
        if (r.status !== 'ok') throw new Error(`pooled call failed: ${r.status} ${r.error}`);
      });
      const pooledConnections = fake.stats.connections;

      fake.reset();
      const perRequestMs = await runConcurrent(calls, concurrency, () => clientPerRequest(fake.url, model));
      const perRequestConnections = fake.stats.connections;

      const plain = make('request', false);
      const streaming = make('request', true);
      const viaFetch = make('fetch', false);
      const bareAgent = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
      const bareBody = JSON.stringify({ model: 'echo', messages: MESSAGES });
      const bareStreamBody = JSON.stringify({
        model: 'echo',
        messages: MESSAGES,
        stream: true,
        stream_options: { include_usage: true },
      });
      const bare = (payload: string) => async () => {
        const res = await request(`${fake.url}/chat/completions`, {
          method: 'POST',
          dispatcher: bareAgent,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
          body: payload,
        });
        await res.body.text();
      };
      const ours = (svc: LlmService) => async () => {
        const r = await svc.call(llmRequest('fake', 'echo'));
        if (r.status !== 'ok') throw new Error(`call failed: ${r.status} ${r.error}`);
      };
      const us = await interleaved(
        {
          bare: bare(bareBody),
          ours: ours(plain),
          bareStream: bare(bareStreamBody),
          oursStream: ours(streaming),
          oursFetch: ours(viaFetch),
          sdkPooled: sdkPooled(fake.url, bareAgent),
          sdkOnly: sdkOnly(),
        },
        smoke ? 2 : 9,
        smoke ? 20 : 400,
      );
      await bareAgent.close();

      return {
        llm_1000_calls_c50_connections: pooledConnections,
        llm_connection_cap: DEFAULT_CONCURRENCY,
        llm_1000_calls_c50_connections_client_per_request: perRequestConnections,
        llm_1000_calls_c50_ms: round(pooledMs, 1),
        llm_1000_calls_c50_client_per_request_ms: round(perRequestMs, 1),
        llm_overhead_mode: 'non-streaming, sequential, zero-latency fake model',
        llm_overhead_us_per_call: round(us.ours as number, 1),
        undici_bare_us_per_call: round(us.bare as number, 1),
        llm_overhead_ratio: round((us.ours as number) / (us.bare as number), 2),
        llm_overhead_us_per_call_streaming: round(us.oursStream as number, 1),
        undici_bare_us_per_call_streaming: round(us.bareStream as number, 1),
        llm_overhead_ratio_streaming: round((us.oursStream as number) / (us.bareStream as number), 2),
        llm_overhead_us_per_call_undici_fetch_transport: round(us.oursFetch as number, 1),
        openai_sdk_pooled_us_per_call: round(us.sdkPooled as number, 1),
        openai_sdk_only_us_per_call: round(us.sdkOnly as number, 1),
      };
    } finally {
      await Promise.all(services.map((s) => s.close()));
      await fake.close();
    }
  },
};
