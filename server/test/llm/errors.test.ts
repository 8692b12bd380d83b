import { RESPONSE_STATUSES, RETRYABLE } from '@graphwright/shared';
import fc from 'fast-check';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import { makeRedactor, mapError, parseRetryAfter, statusForHttp } from '../../src/llm/errors';

const headers = (h: Record<string, string>): Headers => new Headers(h);
const NOW = Date.parse('2025-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads retry-after-ms first, then Retry-After seconds', () => {
    expect(parseRetryAfter(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), NOW)).toBe(1500);
    expect(parseRetryAfter(headers({ 'retry-after': '7' }), NOW)).toBe(7000);
    expect(parseRetryAfter(headers({ 'retry-after': '0.5' }), NOW)).toBe(500);
  });

  it('reads an HTTP date relative to now, and a past date as 0', () => {
    const in20s = new Date(NOW + 20_000).toUTCString();
    expect(parseRetryAfter(headers({ 'retry-after': in20s }), NOW)).toBe(20_000);
    expect(parseRetryAfter(headers({ 'retry-after': new Date(NOW - 5_000).toUTCString() }), NOW)).toBe(0);
  });

  it('caps long waits', () => {
    expect(parseRetryAfter(headers({ 'retry-after': '3600' }), NOW)).toBe(60_000);
    expect(parseRetryAfter(headers({ 'retry-after': '3600' }), NOW, 5_000)).toBe(5_000);
    expect(parseRetryAfter(headers({ 'retry-after': new Date(NOW + 86_400_000).toUTCString() }), NOW)).toBe(
      60_000,
    );
  });

  it('ignores garbage', () => {
    for (const v of ['soon, maybe', '', '-3', '1e3', '12abc', 'NaN', 'Infinity', '1', 'Mon']) {
      const r = parseRetryAfter(headers({ 'retry-after': v }), NOW);
      if (v === '1') expect(r).toBe(1000);
      else expect(r, v).toBeUndefined();
    }
    expect(parseRetryAfter(headers({ 'retry-after-ms': 'soon' }), NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });

  it('never returns a negative, non-finite or over-cap value for any header text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const r = parseRetryAfter(
          headers({
            'retry-after': a.replace(/[\r\n\0]/g, ''),
            'retry-after-ms': b.replace(/[\r\n\0]/g, ''),
          }),
          NOW,
        );
        return r === undefined || (Number.isFinite(r) && r >= 0 && r <= 60_000);
      }),
    );
  });
});

describe('statusForHttp', () => {
  it.each([
    [400, undefined, 'invalid_request'],
    [400, 'context_length_exceeded', 'context_length'],
    [400, 'content_filter', 'content_filter'],
    [401, undefined, 'auth_error'],
    [403, undefined, 'auth_error'],
    [404, undefined, 'invalid_request'],
    [408, undefined, 'timeout'],
    [409, undefined, 'server_error'],
    [422, undefined, 'invalid_request'],
    [429, undefined, 'rate_limited'],
    [429, 'insufficient_quota', 'auth_error'],
    [500, undefined, 'server_error'],
    [502, undefined, 'server_error'],
    [503, undefined, 'server_error'],
    [504, undefined, 'timeout'],
  ] as const)('HTTP %i (%s) → %s', (status, code, expected) => {
    expect(statusForHttp(status, code)).toBe(expected);
  });
});

describe('mapError', () => {
  const ctx = { provider: 'Fake', timeoutMs: 100, idleTimeoutMs: 50, now: NOW };

  it('agrees with RETRYABLE for every status it produces', () => {
    const errors: unknown[] = [
      new APIUserAbortError(),
      new APIConnectionTimeoutError(),
      new APIConnectionError({
        message: 'fetch failed',
        cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }),
      }),
      new SyntaxError('Unexpected token'),
      new TypeError('terminated'),
      new Error('weird'),
      ...[400, 401, 403, 404, 408, 409, 422, 429, 500, 503, 504].map((s) =>
        APIError.generate(s, { error: {} }, undefined, new Headers()),
      ),
    ];
    const seen = new Set<string>();
    for (const e of errors) {
      const m = mapError(e, ctx);
      expect(RESPONSE_STATUSES).toContain(m.status);
      expect(m.retryable).toBe(RETRYABLE[m.status]);
      seen.add(m.status);
    }
    for (const cause of ['cancelled', 'timeout', 'idle'] as const) {
      const m = mapError(new Error('aborted'), { ...ctx, abortCause: cause });
      expect(m.retryable).toBe(RETRYABLE[m.status]);
    }
    expect(seen.size).toBeGreaterThan(5);
  });

  it('says which limit fired when our controller aborted', () => {
    expect(mapError(new Error('x'), { ...ctx, abortCause: 'cancelled' }).status).toBe('cancelled');
    expect(mapError(new Error('x'), { ...ctx, abortCause: 'timeout' }).message).toContain('100 ms');
    const idle = mapError(new Error('x'), { ...ctx, abortCause: 'idle' });
    expect(idle.status).toBe('timeout');
    expect(idle.message).toContain('sent nothing for 50 ms');
  });

  it('maps network failures by their undici cause', () => {
    const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(mapError(new TypeError('terminated', { cause: socket }), ctx).status).toBe('connection_error');
    const body = Object.assign(new Error('Body Timeout Error'), { code: 'UND_ERR_BODY_TIMEOUT' });
    expect(mapError(new TypeError('terminated', { cause: body }), ctx).status).toBe('timeout');
    expect(mapError(new Error('plain bug'), ctx).status).toBe('server_error');
  });
});

describe('makeRedactor', () => {
  it('removes configured keys, key-shaped tokens and bearer tokens', () => {
    const redact = makeRedactor(() => ['my-secret-value-123']);
    const out = redact(
      'key my-secret-value-123, Bearer abcdefghijkl, sk-proj-AbCdEf123456 and sk-****wxyz1234',
    );
    expect(out).not.toContain('my-secret-value-123');
    expect(out).not.toContain('abcdefghijkl');
    expect(out).not.toContain('AbCdEf123456');
    expect(out).not.toContain('wxyz1234');
    expect(redact('nothing secret here')).toBe('nothing secret here');
  });
});
