/**
 * One chat completion against an OpenAI-compatible provider through its pooled client. Streaming
 * by default. A stream counts as complete only when it carried a finish_reason: a connection that
 * ends early is an error, never a short success. Our own AbortController carries the run's
 * signal, the whole-request deadline and the between-chunks silence limit, and remembers which of
 * them fired, because the SDK reports all three the same way.
 */
import type { LlmRequest, ResponseStatus } from '@graphwright/shared';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { OpenAICompatibleProvider } from './config';
import { type AbortCause, mapError } from './errors';
import type { PooledClient } from './pool';
import { onAbort } from './signals';

/** What a provider reports before the service adds tokens estimates, validation and cost. */
export interface ProviderResult {
  readonly status: ResponseStatus;
  readonly error?: string | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly text?: string | undefined;
  /** Undefined when the provider did not report usage. */
  readonly tokensIn?: number | undefined;
  readonly tokensOut?: number | undefined;
  readonly finishReason?: string | undefined;
  readonly latencyMs: number;
  readonly ttftMs?: number | undefined;
  readonly raw?: unknown;
}

export interface CallOptions {
  readonly now: () => number;
  readonly maxRetryAfterMs: number;
}

type Params = Omit<ChatCompletionCreateParamsBase, 'stream'>;

function buildParams(p: OpenAICompatibleProvider, req: LlmRequest, model: string): Params {
  const params: Params = {
    model,
    // ChatMessage is structurally a ChatCompletionMessageParam; no copy on the hot path.
    messages: req.messages as Params['messages'],
  };
  if (req.temperature !== undefined) params.temperature = req.temperature;
  if (req.topP !== undefined) params.top_p = req.topP;
  if (req.stop !== undefined && req.stop.length > 0) params.stop = [...req.stop];
  if (req.maxTokens !== undefined) {
    // OpenAI's reasoning models refuse max_tokens; most other servers know only max_tokens.
    if (p.baseUrl.startsWith('https://api.openai.com/')) params.max_completion_tokens = req.maxTokens;
    else params.max_tokens = req.maxTokens;
  }
  if (req.outputSchema && p.structuredOutput === 'json_schema') {
    params.response_format = {
      type: 'json_schema',
      // strict: true would reject ordinary schemas (it demands additionalProperties: false and
      // every property required); we validate the reply ourselves either way.
      json_schema: { name: 'output', schema: req.outputSchema as Record<string, unknown>, strict: false },
    };
  } else if (req.outputSchema && p.structuredOutput === 'json_object') {
    params.response_format = { type: 'json_object' };
  }
  return params;
}

function safeToken(onToken: ((t: string) => void) | undefined, text: string): void {
  if (!onToken) return;
  try {
    onToken(text);
  } catch {
    // A failing listener is the listener's problem; it must not fail the model call.
  }
}

export async function callOpenAICompatible(
  pooled: PooledClient,
  p: OpenAICompatibleProvider,
  req: LlmRequest,
  model: string,
  opts: CallOptions,
): Promise<ProviderResult> {
  const slot = pooled.limiter.acquire(req.signal);
  // No await when a slot is free: the common case stays synchronous.
  const granted = typeof slot === 'boolean' ? slot : await slot;
  if (!granted) {
    return { status: 'cancelled', error: 'The request was cancelled.', latencyMs: 0 };
  }
  const timeoutMs = req.timeoutMs ?? p.timeoutMs;
  const idleTimeoutMs = Math.min(p.idleTimeoutMs, timeoutMs);
  const ctl = new AbortController();
  let cause: AbortCause | undefined;
  const abort = (c: AbortCause): void => {
    if (cause) return;
    cause = c;
    ctl.abort();
  };
  const unsubscribe = onAbort(req.signal, () => abort('cancelled'));
  if (req.signal.aborted) abort('cancelled');
  const deadline = setTimeout(abort, timeoutMs, 'timeout');
  let idle: NodeJS.Timeout | undefined;
  const t0 = performance.now();
  let ttftMs: number | undefined;
  let text = '';
  try {
    const params = buildParams(p, req, model);
    const reqOpts = { signal: ctl.signal, timeout: timeoutMs };
    if (!p.stream) {
      const r = await pooled.client.chat.completions.create({ ...params, stream: false }, reqOpts);
      const choice = r.choices[0];
      const message = choice?.message;
      text = message?.content ?? '';
      return finish(choice?.finish_reason ?? undefined, message?.refusal ?? undefined, r.usage, {
        id: r.id,
        model: r.model,
      });
    }
    const stream = await pooled.client.chat.completions.create(
      { ...params, stream: true, stream_options: { include_usage: true } },
      reqOpts,
    );
    idle = setTimeout(abort, idleTimeoutMs, 'idle');
    let finishReason: string | undefined;
    let refusal = '';
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
    let id: string | undefined;
    let reported: string | undefined;
    for await (const chunk of stream) {
      idle.refresh();
      id ??= chunk.id;
      reported ??= chunk.model;
      const choice = chunk.choices[0];
      if (choice) {
        const delta = choice.delta?.content;
        if (delta) {
          ttftMs ??= performance.now() - t0;
          text += delta;
          safeToken(req.onToken, delta);
        }
        if (choice.delta?.refusal) refusal += choice.delta.refusal;
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    // The SDK ends the iteration quietly when the request is aborted; say why it ended.
    if (cause) return failure(undefined);
    if (!finishReason) {
      return {
        status: 'connection_error',
        error: `${p.displayName} ended the stream before the model finished (no finish_reason after ${text.length} characters).`,
        text,
        latencyMs: performance.now() - t0,
        ttftMs,
        raw: { id, model: reported, truncated: true },
      };
    }
    return finish(finishReason, refusal || undefined, usage, { id, model: reported });
  } catch (e) {
    return failure(e);
  } finally {
    clearTimeout(deadline);
    if (idle) clearTimeout(idle);
    unsubscribe();
    pooled.limiter.release();
  }

  function failure(e: unknown): ProviderResult {
    const m = mapError(e, {
      provider: p.displayName,
      abortCause: cause,
      timeoutMs,
      idleTimeoutMs,
      now: opts.now(),
      maxRetryAfterMs: opts.maxRetryAfterMs,
    });
    return {
      status: m.status,
      error: m.message,
      retryAfterMs: m.retryAfterMs,
      text: text || undefined,
      latencyMs: performance.now() - t0,
      ttftMs,
      raw: m.httpStatus !== undefined ? { httpStatus: m.httpStatus, code: m.code } : undefined,
    };
  }

  function finish(
    finishReason: string | undefined,
    refusal: string | undefined,
    usage: { prompt_tokens: number; completion_tokens: number } | null | undefined,
    meta: { id: string | undefined; model: string | undefined },
  ): ProviderResult {
    const latencyMs = performance.now() - t0;
    const base = {
      text,
      tokensIn: usage?.prompt_tokens,
      tokensOut: usage?.completion_tokens,
      finishReason,
      latencyMs,
      ttftMs,
      raw: { ...meta, finishReason, usage: usage ?? undefined },
    };
    if (finishReason === 'content_filter' || (refusal && !text)) {
      const why = refusal ? `the model refused: ${refusal}` : 'the provider filtered the reply';
      return { ...base, status: 'content_filter', error: `${p.displayName}: ${why}` };
    }
    return { ...base, status: 'ok' };
  }
}
