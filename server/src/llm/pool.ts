/**
 * The client pool: one long-lived `openai` client per provider, created on first use, on its own
 * keep-alive undici Agent whose connection cap equals the provider's concurrency limit. The SDK's
 * retries are off: the engine's recovery policy retries, so every attempt is recorded.
 *
 * Transport: the SDK wants a `fetch`. undici's WHATWG fetch costs about 0.5 ms of CPU per call
 * on this machine (streams, header validation); `requestFetch` below hands the SDK the little of
 * a Response it reads (status, headers, body as an async iterable, text(), json()) straight from
 * `undici.request` on the same Agent. `transport: 'fetch'` keeps undici's fetch (STACK.md's
 * recipe) should a provider ever need something the slim path lacks.
 */
import OpenAI, { type ClientOptions } from 'openai';
import { Agent, type Dispatcher, request, fetch as undiciFetch } from 'undici';
import type { OpenAICompatibleProvider } from './config';
import { onAbort } from './signals';

export type Transport = 'request' | 'fetch';

type FetchOptions = NonNullable<ClientOptions['fetchOptions']>;

type RawHeaders = Record<string, string | string[] | undefined>;

/** The read side of Headers that the SDK and our error mapper use. */
class ResponseHeaders {
  readonly #h: RawHeaders;
  constructor(h: RawHeaders) {
    this.#h = h;
  }
  get(name: string): string | null {
    const v = this.#h[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }
  has(name: string): boolean {
    return this.#h[name.toLowerCase()] !== undefined;
  }
  *entries(): IterableIterator<[string, string]> {
    for (const k of Object.keys(this.#h)) {
      const v = this.get(k);
      if (v !== null) yield [k, v];
    }
  }
  forEach(fn: (value: string, key: string) => void): void {
    for (const [k, v] of this.entries()) fn(v, k);
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

class SlimResponse {
  readonly statusText = '';
  readonly redirected = false;
  readonly type = 'basic';
  constructor(
    readonly status: number,
    readonly headers: ResponseHeaders,
    readonly body: Dispatcher.ResponseData['body'],
    readonly url: string,
  ) {}
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  text(): Promise<string> {
    return this.body.text();
  }
  json(): Promise<unknown> {
    return this.body.json();
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.body.arrayBuffer();
  }
}

/** A fetch for the SDK over `undici.request` on `agent` (see the file comment). */
export function requestFetch(agent: Dispatcher): typeof fetch {
  const slim = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const res = await request(url, {
      method: (init?.method ?? 'GET') as Dispatcher.HttpMethod,
      // The SDK hands a Headers object, which is an iterable of [name, value] pairs.
      headers: init?.headers as Iterable<[string, string]> | undefined,
      body: init?.body as string | undefined,
      signal: init?.signal ?? undefined,
      dispatcher: agent,
    });
    return new SlimResponse(
      res.statusCode,
      new ResponseHeaders(res.headers),
      res.body,
      url,
    ) as unknown as Response;
  };
  return slim as typeof fetch;
}

export interface PooledClient {
  readonly client: OpenAI;
  readonly agent: Agent;
  readonly limiter: Limiter;
}

/** Caps requests in flight per provider; waiters leave the queue when their signal aborts. */
export class Limiter {
  #active = 0;
  readonly #queue: (() => void)[] = [];
  constructor(readonly limit: number) {}

  get active(): number {
    return this.#active;
  }

  /** Resolves true once a slot is held, false if `signal` aborted first. */
  acquire(signal: AbortSignal): boolean | Promise<boolean> {
    if (signal.aborted) return false;
    if (this.#active < this.limit) {
      this.#active++;
      return true;
    }
    return new Promise<boolean>((resolve) => {
      const grant = (): void => {
        unsubscribe();
        resolve(true);
      };
      const unsubscribe = onAbort(signal, () => {
        const i = this.#queue.indexOf(grant);
        if (i >= 0) this.#queue.splice(i, 1);
        resolve(false);
      });
      this.#queue.push(grant);
    });
  }

  release(): void {
    const next = this.#queue.shift();
    // The slot passes straight to the next waiter, so #active stays the same.
    if (next) next();
    else this.#active--;
  }
}

export interface PoolOptions {
  readonly transport?: Transport | undefined;
}

export class ClientPool {
  readonly #clients = new Map<string, PooledClient>();
  readonly #transport: Transport;
  #closed = false;

  constructor(opts: PoolOptions = {}) {
    this.#transport = opts.transport ?? 'request';
  }

  /** The provider's client, created on first use and reused for every later call. */
  get(p: OpenAICompatibleProvider): PooledClient {
    const hit = this.#clients.get(p.id);
    if (hit) return hit;
    if (this.#closed) throw new Error('the LLM service is closed');
    const agent = new Agent({
      connections: p.concurrency,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      // Our own timers decide (and say which limit was hit); these are a backstop only.
      headersTimeout: p.timeoutMs + 5_000,
      bodyTimeout: p.idleTimeoutMs + 5_000,
    });
    const client = new OpenAI({
      // Every option the SDK would otherwise read from process.env is set here: a keyless local
      // provider must never receive OPENAI_API_KEY, nor OpenAI's organization or project ids.
      apiKey: p.apiKey?.reveal() ?? 'no-key',
      adminAPIKey: null,
      organization: null,
      project: null,
      webhookSecret: null,
      baseURL: p.baseUrl,
      maxRetries: 0,
      timeout: p.timeoutMs,
      logLevel: 'off',
      fetch: this.#transport === 'fetch' ? (undiciFetch as unknown as typeof fetch) : requestFetch(agent),
      // undici 7's Agent and Node's bundled undici-types differ only in type details.
      fetchOptions:
        this.#transport === 'fetch' ? ({ dispatcher: agent } as unknown as FetchOptions) : undefined,
    });
    const pooled: PooledClient = { client, agent, limiter: new Limiter(p.concurrency) };
    this.#clients.set(p.id, pooled);
    return pooled;
  }

  /** Providers whose client exists (for tests: laziness is observable). */
  created(): string[] {
    return [...this.#clients.keys()];
  }

  async close(): Promise<void> {
    this.#closed = true;
    const agents = [...this.#clients.values()].map((c) => c.agent);
    this.#clients.clear();
    // destroy(), not close(): a hung request must not keep shutdown waiting.
    await Promise.all(agents.map((a) => a.destroy().catch(() => undefined)));
  }
}
