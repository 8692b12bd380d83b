import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { EnvError, loadEnv } from '../../src/env';
import { makeServices } from './helpers';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(env: Record<string, string>): Promise<string> {
  const services = { ...makeServices(), env: loadEnv({ GW_LOG_LEVEL: 'silent', ...env }) };
  app = await buildApp(services);
  return app.listen({ port: 0, host: '127.0.0.1' });
}

describe('access', () => {
  it('refuses to bind beyond loopback without an access token', () => {
    expect(() => loadEnv({ GW_HOST: '0.0.0.0' })).toThrow(EnvError);
    expect(() => loadEnv({ GW_HOST: '0.0.0.0' })).toThrow(/GW_ACCESS_TOKEN/);
  });

  it('needs no login on localhost without a token', async () => {
    const base = await serve({});
    expect((await fetch(`${base}/trpc/graph.list`)).status).toBe(200);
  });

  it('denies every procedure without the token once a token is configured', async () => {
    const token = 'a-long-enough-access-token';
    const base = await serve({ GW_ACCESS_TOKEN: token });
    const denied = await fetch(`${base}/trpc/graph.list`);
    expect(denied.status).toBe(401);
    expect(await denied.text()).toMatch(/access token/);
    expect(
      (
        await fetch(`${base}/trpc/graph.list`, {
          headers: { authorization: 'Bearer wrong-token-of-some-length' },
        })
      ).status,
    ).toBe(401);
    expect(
      (await fetch(`${base}/trpc/graph.list`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
  });
});
