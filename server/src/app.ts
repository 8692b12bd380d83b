import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext, AppServices } from './context';
import { registerRest } from './rest';
import { appRouter } from './routers/_app';
import { registerTrpcHttp } from './trpc-http';

export const MAX_BODY_BYTES = 2 * 1024 * 1024;

function tokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads the access token from the Authorization header (or ?token= for EventSource, which cannot set headers). */
export function requestToken(headers: Record<string, unknown>, url: string): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7);
  const q = url.indexOf('?');
  if (q >= 0) return new URLSearchParams(url.slice(q + 1)).get('token') ?? undefined;
  return undefined;
}

/** Builds the one-port server: tRPC under /trpc and the built web app at /. */
export interface BuildAppOptions {
  /** false: every tRPC request goes through tRPC's own handler (see trpc-http.ts). */
  readonly trpcFastPath?: boolean;
}

export async function buildApp(services: AppServices, opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { env } = services;
  const app = Fastify({
    logger: env.GW_LOG_LEVEL === 'silent' ? false : { level: env.GW_LOG_LEVEL },
    bodyLimit: MAX_BODY_BYTES,
    routerOptions: { maxParamLength: 5_000 },
  });

  const isAuthorized = (headers: Record<string, unknown>, url: string): boolean =>
    env.isLoopback && !env.GW_ACCESS_TOKEN
      ? true
      : tokenMatches(requestToken(headers, url), env.GW_ACCESS_TOKEN ?? '');

  registerTrpcHttp<AppContext>(app, {
    router: appRouter,
    createContext: (req) => ({ services, authorized: isAuthorized(req.headers, req.url) }),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') app.log.error({ err: error, path }, 'procedure failed');
    },
    fastPath: opts.trpcFastPath,
  });

  registerRest(app, services, isAuthorized);

  if (existsSync(env.webDir)) {
    await app.register(fastifyStatic, { root: env.webDir, prefix: '/', wildcard: false });
    // Client-side routes (/graphs/:id, /share/:id) all load the app shell.
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/trpc') && !req.url.startsWith('/api')) {
        return reply.type('text/html').sendFile('index.html');
      }
      return reply.code(404).send({ error: 'Not found' });
    });
  } else {
    app.get('/', (_req, reply) =>
      reply
        .type('text/html')
        .send(
          '<!doctype html><title>Graphwright</title><p>The web app is not built yet: run <code>pnpm build</code>.</p>',
        ),
    );
  }
  return app;
}
