/**
 * The one error mapper: SDK errors, HTTP statuses and network failures become the response
 * statuses of DESIGN.md. Whether a status is retryable always comes from `RETRYABLE` in shared, so
 * the engine's retry policy and this mapper can never disagree.
 */
import { RETRYABLE, type ResponseStatus } from '@graphwright/shared';
import { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

/** Why our own controller aborted a request (the SDK cannot tell a timeout from a cancel). */
export type AbortCause = 'cancelled' | 'timeout' | 'idle';

export interface MappedError {
  readonly status: ResponseStatus;
  readonly retryable: boolean;
  readonly retryAfterMs?: number | undefined;
  readonly message: string;
  readonly httpStatus?: number | undefined;
  readonly code?: string | undefined;
}

export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

interface HeaderSource {
  get(name: string): string | null;
}

const SECONDS = /^\s*\d+(\.\d+)?\s*$/;

/**
 * Milliseconds to wait from `retry-after-ms` (OpenAI's) or `Retry-After` (seconds or an HTTP
 * date). Garbage is ignored (undefined), a date in the past means 0, and anything over `capMs` is
 * capped: a provider asking for an hour must not park a run for an hour.
 */
export function parseRetryAfter(
  headers: HeaderSource | undefined | null,
  now: number = Date.now(),
  capMs: number = DEFAULT_MAX_RETRY_AFTER_MS,
): number | undefined {
  if (!headers) return undefined;
  const cap = (ms: number): number => Math.min(Math.max(0, Math.round(ms)), capMs);
  const ms = headers.get('retry-after-ms');
  if (ms !== null && SECONDS.test(ms)) return cap(Number(ms));
  const ra = headers.get('retry-after');
  if (ra === null) return undefined;
  if (SECONDS.test(ra)) return cap(Number(ra) * 1000);
  // An HTTP date has a weekday, a day, a month and a time; Date.parse alone accepts far too much
  // ("1", "soon 2") so insist on the shape of IMF-fixdate / RFC 850 / asctime.
  if (!/^[A-Za-z]{3},? .*\d{2}:\d{2}:\d{2}/.test(ra.trim())) return undefined;
  const at = Date.parse(ra);
  if (Number.isNaN(at)) return undefined;
  return cap(at - now);
}

/** Status for an HTTP error response; `code`/`type` refine the ambiguous ones (400, 429). */
export function statusForHttp(
  httpStatus: number,
  code?: string,
  type?: string,
  message = '',
): ResponseStatus {
  const c = `${code ?? ''} ${type ?? ''}`.toLowerCase();
  if (
    c.includes('context_length') ||
    /maximum context length|context window|too many tokens/i.test(message)
  ) {
    return 'context_length';
  }
  if (c.includes('content_filter') || c.includes('content_policy')) return 'content_filter';
  if (httpStatus === 429) {
    // Out of credit is not a rate limit: retrying cannot help until a person pays, so it must
    // not be retried. It is an account problem, the nearest of which is auth_error.
    return c.includes('insufficient_quota') ? 'auth_error' : 'rate_limited';
  }
  if (httpStatus === 401 || httpStatus === 403) return 'auth_error';
  if (httpStatus === 408 || httpStatus === 504) return 'timeout';
  if (httpStatus === 409 || httpStatus >= 500) return 'server_error';
  return 'invalid_request';
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);

/** The error codes along an error's `cause` chain (undici nests the useful one). */
function causeCodes(err: unknown): string[] {
  const codes: string[] = [];
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const name = (e as { name?: unknown }).name;
    if (typeof name === 'string') codes.push(name);
    e = (e as { cause?: unknown }).cause;
  }
  return codes;
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    const c =
      cause instanceof Error && cause.message && cause.message !== err.message ? ` (${cause.message})` : '';
    return `${err.message}${c}`;
  }
  return String(err);
}

function mapped(status: ResponseStatus, message: string, extra: Partial<MappedError> = {}): MappedError {
  return { status, retryable: RETRYABLE[status], message, ...extra };
}

export interface MapContext {
  readonly provider: string;
  /** Set when our own controller aborted the request, and why. */
  readonly abortCause?: AbortCause | undefined;
  readonly timeoutMs?: number | undefined;
  readonly idleTimeoutMs?: number | undefined;
  readonly now?: number | undefined;
  readonly maxRetryAfterMs?: number | undefined;
}

/** Maps anything a provider call can throw to a status. Never throws. */
export function mapError(err: unknown, ctx: MapContext): MappedError {
  // Our own abort wins: after it the SDK reports an AbortError or a generic connection error,
  // neither of which says whether the run was cancelled or the attempt ran out of time.
  if (ctx.abortCause === 'cancelled') return mapped('cancelled', 'The request was cancelled.');
  if (ctx.abortCause === 'timeout') {
    return mapped('timeout', `${ctx.provider} did not finish within ${ctx.timeoutMs ?? '?'} ms.`);
  }
  if (ctx.abortCause === 'idle') {
    return mapped('timeout', `${ctx.provider} sent nothing for ${ctx.idleTimeoutMs ?? '?'} ms mid-response.`);
  }
  if (err instanceof APIUserAbortError) return mapped('cancelled', 'The request was cancelled.');
  if (err instanceof APIConnectionTimeoutError) {
    return mapped('timeout', `${ctx.provider} did not answer within ${ctx.timeoutMs ?? '?'} ms.`);
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const body = (err.error ?? {}) as { code?: unknown; type?: unknown; message?: unknown };
    const code = typeof body.code === 'string' ? body.code : undefined;
    const type = typeof body.type === 'string' ? body.type : undefined;
    const detail = typeof body.message === 'string' ? body.message : err.message;
    const status = statusForHttp(err.status, code, type, detail);
    const retryAfterMs =
      status === 'rate_limited' || status === 'server_error' || status === 'timeout'
        ? parseRetryAfter(err.headers, ctx.now, ctx.maxRetryAfterMs)
        : undefined;
    const hint =
      status === 'auth_error'
        ? code === 'insufficient_quota'
          ? ' (the account is out of quota: check billing)'
          : ' (check the API key configured for this provider)'
        : '';
    return mapped(status, `${ctx.provider} answered HTTP ${err.status}: ${detail}${hint}`, {
      retryAfterMs,
      httpStatus: err.status,
      code,
    });
  }
  if (err instanceof APIError) {
    // An error object inside a 200 stream: the provider failed mid-response.
    const body = (err.error ?? {}) as { code?: unknown; type?: unknown };
    const code = typeof body.code === 'string' ? body.code : undefined;
    const type = typeof body.type === 'string' ? body.type : undefined;
    const codes = causeCodes(err);
    if (codes.some((c) => TIMEOUT_CODES.has(c)))
      return mapped('timeout', `${ctx.provider}: ${errorText(err)}`);
    if (code || type) {
      const status = statusForHttp(500, code, type, err.message);
      return mapped(status, `${ctx.provider} reported an error mid-response: ${err.message}`, { code });
    }
    return mapped('connection_error', `Could not reach ${ctx.provider}: ${errorText(err)}`);
  }
  if (err instanceof SyntaxError) {
    return mapped('server_error', `${ctx.provider} sent malformed data: ${err.message}`);
  }
  const codes = causeCodes(err);
  if (codes.some((c) => TIMEOUT_CODES.has(c))) return mapped('timeout', `${ctx.provider}: ${errorText(err)}`);
  if (codes.includes('AbortError')) {
    // Aborted, but not by us: the SDK's own timer.
    return mapped('timeout', `${ctx.provider} did not answer within ${ctx.timeoutMs ?? '?'} ms.`);
  }
  if (err instanceof TypeError || codes.some((c) => /^(UND_ERR_|E[A-Z]{3,}$)/.test(c))) {
    return mapped('connection_error', `The connection to ${ctx.provider} failed: ${errorText(err)}`);
  }
  return mapped('server_error', `Unexpected failure calling ${ctx.provider}: ${errorText(err)}`);
}

/**
 * Removes secrets from text that leaves the service: the configured keys themselves, anything
 * shaped like an API key, and bearer tokens. A provider that echoes the key in an error message
 * (some do, partially masked) must not put it in an attempt record or the UI.
 */
export function makeRedactor(secrets: () => Iterable<string>): (text: string) => string {
  return (text) => {
    let out = text;
    for (const s of secrets()) {
      if (s.length >= 6 && out.includes(s)) out = out.split(s).join('[redacted]');
    }
    return out
      .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=*-]{6,}/gi, '$1 [redacted]')
      .replace(/\b(sk|rk|pk|key)-[A-Za-z0-9_*.-]{6,}/g, '$1-[redacted]');
  };
}
