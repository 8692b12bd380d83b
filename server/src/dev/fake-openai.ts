/**
 * A fake OpenAI-compatible HTTP server for tests and benchmarks: real sockets, real HTTP, so the
 * real `openai` SDK and our pooled agent are exercised end to end. It counts accepted TCP
 * connections (pooling is proven by that count) and the model name picks a fault to inject.
 *
 * A model name is `scenario[:tag]`; the tag only makes a name unique (the `fail-*-then-ok`
 * counters are per full name). Unknown names behave like `echo`. See SCENARIOS.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Scenario names (the part of the model name before `:`), with what each does. */
export const SCENARIOS: Readonly<Record<string, string>> = {
  echo: 'replies with the last user message verbatim (usage included)',
  'echo-no-usage': 'like echo, but never reports usage',
  'latency-<ms>': 'waits <ms> before the response headers, then echoes',
  'slow-drip-<ms>': 'streams one word every <ms> (default 50)',
  'rate-limit-seconds': '429 with Retry-After: 7',
  'rate-limit-ms': '429 with retry-after-ms: 1500 and Retry-After: 2',
  'rate-limit-date': '429 with Retry-After as an HTTP date 30 s ahead',
  'rate-limit-long': '429 with Retry-After: 3600 (over any sane cap)',
  'rate-limit-garbage': '429 with Retry-After: soon, maybe',
  'rate-limit-none': '429 without Retry-After',
  quota: '429 insufficient_quota (a billing problem, not a rate limit)',
  'rate-limit-then-ok': '429 with retry-after-ms: 1200 on the first request for this model name, then echo',
  'fail-500-then-ok': '500 on the first request for this model name, then echo',
  'fail-503-then-ok': '503 on the first request for this model name, then echo',
  'status-<code>': 'replies with HTTP <code> and an OpenAI-style error body',
  'auth-echo-key': '401 whose message repeats the Authorization header (a leaky upstream)',
  'context-length': '400 with code context_length_exceeded',
  'content-filter': 'finish_reason content_filter',
  refusal: 'a refusal instead of content',
  'hang-headers': 'never sends response headers',
  'hang-mid-stream': 'sends headers and a little content, then goes silent',
  'drop-socket': 'destroys the socket without a response',
  'drop-mid-stream': 'sends headers and a little content, then destroys the socket',
  'eof-no-done': 'ends the stream without finish_reason and without [DONE]',
  'done-no-finish': 'sends [DONE] but never a finish_reason',
  malformed: 'a malformed data: line in the stream (a malformed JSON body when not streaming)',
  'stream-error': 'an error object inside the stream',
};

export interface FakeOpenAIStats {
  /** TCP connections accepted since start (or the last reset). */
  connections: number;
  /** Sockets closed, by either side. */
  closedSockets: number;
  /** HTTP requests received. */
  requests: number;
  /** Requests whose socket closed before their response finished (client aborts, timeouts). */
  abortedRequests: number;
}

export interface FakeRequestRecord {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown> | undefined;
}

export interface FakeOpenAI {
  /** Base URL to give an OpenAI client, e.g. `http://127.0.0.1:41234/v1`. */
  readonly url: string;
  readonly port: number;
  /** Live counters. */
  readonly stats: FakeOpenAIStats;
  /** The last chat completion request (tests check what the client sent). */
  readonly lastRequest: () => FakeRequestRecord | undefined;
  /** Zeroes the counters and the per-model counters. */
  reset(): void;
  /** Resolves when `predicate(stats)` holds; rejects after `timeoutMs`. */
  until(predicate: (s: FakeOpenAIStats) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface FakeOpenAIOptions {
  /** 0 (default) picks any free port. The server binds 127.0.0.1 only. */
  readonly port?: number;
}

interface ChatBody {
  model?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | undefined;
  messages?: unknown;
}

const CHUNK = 'chat.completion.chunk';

function lastUserText(body: ChatBody): string {
  const msgs = Array.isArray(body.messages) ? (body.messages as { role?: unknown; content?: unknown }[]) : [];
  for (let i = msgs.length - 1; i >= 0; i--) {
    const m = msgs[i];
    if (m?.role === 'user' && typeof m.content === 'string') return m.content;
  }
  return '';
}

function promptChars(body: ChatBody): number {
  const msgs = Array.isArray(body.messages) ? (body.messages as { content?: unknown }[]) : [];
  let n = 0;
  for (const m of msgs) if (typeof m?.content === 'string') n += m.content.length;
  return n;
}

const words = (text: string): string[] => text.match(/\S+\s*|\s+/g) ?? [];

function errorBody(message: string, type: string, code: string | null): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}

export async function startFakeOpenAI(opts: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const stats: FakeOpenAIStats = { connections: 0, closedSockets: 0, requests: 0, abortedRequests: 0 };
  const perModel = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let last: FakeRequestRecord | undefined;
  let seq = 0;

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    stats.requests++;
    res.on('close', () => {
      if (!res.writableFinished) stats.abortedRequests++;
    });
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(parts).toString('utf8')));
  });
  server.on('connection', (socket: Socket) => {
    stats.connections++;
    socket.on('close', () => stats.closedSockets++);
  });

  function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/v1/models') {
      const data = Object.keys(SCENARIOS).map((id) => ({
        id,
        object: 'model',
        created: 0,
        owned_by: 'fake',
      }));
      json(res, 200, JSON.stringify({ object: 'list', data }));
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      json(res, 404, errorBody(`no route ${req.method} ${path}`, 'invalid_request_error', null));
      return;
    }
    let body: ChatBody;
    try {
      body = JSON.parse(raw) as ChatBody;
    } catch {
      json(res, 400, errorBody('request body is not JSON', 'invalid_request_error', null));
      return;
    }
    last = { method: req.method, path, headers: req.headers, body: body as Record<string, unknown> };
    const model = typeof body.model === 'string' ? body.model : 'echo';
    const count = (perModel.get(model) ?? 0) + 1;
    perModel.set(model, count);
    scenario(req, res, body, model, count);
  }

  function scenario(
    req: IncomingMessage,
    res: ServerResponse,
    body: ChatBody,
    model: string,
    n: number,
  ): void {
    const name = model.split(':')[0] ?? model;
    const num = (prefix: string, dflt: number): number => {
      const v = Number(name.slice(prefix.length));
      return name.length > prefix.length && Number.isFinite(v) ? v : dflt;
    };
    const rateLimit = (headers: Record<string, string>): void =>
      json(res, 429, errorBody('Rate limit reached, slow down', 'requests', 'rate_limit_exceeded'), headers);

    switch (true) {
      case name === 'rate-limit-seconds':
        rateLimit({ 'retry-after': '7' });
        return;
      case name === 'rate-limit-ms':
        rateLimit({ 'retry-after-ms': '1500', 'retry-after': '2' });
        return;
      case name === 'rate-limit-date':
        rateLimit({ 'retry-after': new Date(Date.now() + 30_000).toUTCString() });
        return;
      case name === 'rate-limit-long':
        rateLimit({ 'retry-after': '3600' });
        return;
      case name === 'rate-limit-garbage':
        rateLimit({ 'retry-after': 'soon, maybe' });
        return;
      case name === 'rate-limit-none':
        rateLimit({});
        return;
      case name === 'quota':
        json(
          res,
          429,
          errorBody('You exceeded your current quota', 'insufficient_quota', 'insufficient_quota'),
        );
        return;
      case name === 'rate-limit-then-ok' && n === 1:
        rateLimit({ 'retry-after-ms': '1200' });
        return;
      case name === 'fail-500-then-ok' && n === 1:
        json(res, 500, errorBody('The server had an error', 'server_error', null));
        return;
      case name === 'fail-503-then-ok' && n === 1:
        json(res, 503, errorBody('The engine is currently overloaded', 'server_error', null));
        return;
      case name.startsWith('status-'): {
        const code = num('status-', 500);
        // writeHead throws on codes outside 100-599; a typo in a test must not kill the server.
        json(
          res,
          code >= 200 && code <= 599 ? code : 500,
          errorBody(`fake status ${name}`, 'fake_error', null),
        );
        return;
      }
      case name === 'auth-echo-key':
        json(
          res,
          401,
          errorBody(
            `Incorrect API key provided: ${req.headers.authorization ?? ''}`,
            'invalid_request_error',
            'invalid_api_key',
          ),
        );
        return;
      case name === 'context-length':
        json(
          res,
          400,
          errorBody(
            "This model's maximum context length is 8192 tokens",
            'invalid_request_error',
            'context_length_exceeded',
          ),
        );
        return;
      case name === 'hang-headers':
        return; // the socket stays open until the client gives up
      case name === 'drop-socket':
        req.socket.destroy();
        return;
      case name.startsWith('latency-'):
        later(num('latency-', 0), () => reply(res, body, model, name));
        return;
      default:
        reply(res, body, model, name);
        return;
    }
  }

  /** A successful (or mid-response failing) completion, streamed or not. */
  function reply(res: ServerResponse, body: ChatBody, model: string, name: string): void {
    if (res.destroyed) return;
    const id = `chatcmpl-fake-${++seq}`;
    const created = Math.floor(Date.now() / 1000);
    const content = name === 'content-filter' ? '' : lastUserText(body);
    const finish = name === 'content-filter' ? 'content_filter' : 'stop';
    const promptTokens = Math.ceil(promptChars(body) / 4) + 3;
    const completionTokens = Math.max(1, Math.ceil(content.length / 4));
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };
    const withUsage = name !== 'echo-no-usage';

    if (body.stream !== true) {
      if (name === 'malformed') {
        json(res, 200, '{"id": "chatcmpl-broken", "choices": [');
        return;
      }
      if (name === 'hang-mid-stream' || name === 'drop-mid-stream') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
        res.write('{"id": "chatcmpl-partial", ');
        if (name === 'drop-mid-stream') later(5, () => res.socket?.destroy());
        return;
      }
      const message =
        name === 'refusal'
          ? { role: 'assistant', content: null, refusal: 'I cannot help with that.' }
          : { role: 'assistant', content, refusal: null };
      const noFinish = name === 'eof-no-done' || name === 'done-no-finish';
      const out = {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message, finish_reason: noFinish ? null : finish, logprobs: null }],
        ...(withUsage ? { usage } : {}),
      };
      json(res, 200, JSON.stringify(out));
      return;
    }

    const frame = (delta: Record<string, unknown>, finishReason: string | null): string =>
      `data: ${JSON.stringify({ id, object: CHUNK, created, model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
    const head = frame({ role: 'assistant', content: '' }, null);
    const pieces = name === 'refusal' ? [] : words(content).map((w) => frame({ content: w }, null));
    if (name === 'refusal') pieces.push(frame({ refusal: 'I cannot help with that.' }, null));
    const tail: string[] = [];
    if (name !== 'eof-no-done' && name !== 'done-no-finish') tail.push(frame({}, finish));
    const includeUsage = withUsage && body.stream_options?.include_usage === true;
    if (includeUsage && name !== 'eof-no-done') {
      tail.push(`data: ${JSON.stringify({ id, object: CHUNK, created, model, choices: [], usage })}\n\n`);
    }
    if (name !== 'eof-no-done') tail.push('data: [DONE]\n\n');

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    switch (true) {
      case name === 'hang-mid-stream':
        res.write(head + (pieces[0] ?? ''));
        return;
      case name === 'drop-mid-stream':
        res.write(head + (pieces[0] ?? ''));
        later(5, () => res.socket?.destroy());
        return;
      case name === 'malformed':
        res.end(`${head}${pieces[0] ?? ''}data: {"id": "broken", "choices": [\n\n${tail.join('')}`);
        return;
      case name === 'stream-error':
        res.end(
          `${head}data: ${errorBody('The server had an error while streaming', 'server_error', null)}\n\n`,
        );
        return;
      case name.startsWith('slow-drip'): {
        const gap = name.length > 'slow-drip-'.length ? Number(name.slice('slow-drip-'.length)) || 50 : 50;
        const queue = [head, ...pieces, ...tail];
        const step = (): void => {
          if (res.destroyed) return;
          const next = queue.shift();
          if (next === undefined) {
            res.end();
            return;
          }
          res.write(next);
          later(gap, step);
        };
        step();
        return;
      }
      default:
        // One write: a zero-latency reply should cost the benchmark as little as possible.
        res.end(head + pieces.join('') + tail.join(''));
    }
  }

  function json(
    res: ServerResponse,
    status: number,
    text: string,
    headers: Record<string, string> = {},
  ): void {
    if (res.destroyed) return;
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(text);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    stats,
    lastRequest: () => last,
    reset() {
      stats.connections = 0;
      stats.closedSockets = 0;
      stats.requests = 0;
      stats.abortedRequests = 0;
      perModel.clear();
    },
    async until(predicate, timeoutMs = 2_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(stats)) {
        if (Date.now() > deadline) throw new Error(`fake server: condition not met in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging scenarios hold sockets open on purpose; closing must not wait for them.
        server.closeAllConnections();
      });
    },
  };
}
