import {
  type AnyTRPCProcedure,
  type AnyTRPCRouter,
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  TRPCError,
  transformTRPCResponse,
} from '@trpc/server';
import { fastifyRequestHandler } from '@trpc/server/adapters/fastify';
import { getHTTPStatusCode } from '@trpc/server/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * tRPC over HTTP, with queries and mutations answered in one buffered write.
 *
 * tRPC's own fastify handler turns every request into a WHATWG Request and streams a WHATWG
 * Response back (chunked, several socket writes): about 0.5 ms of CPU per call here, more than
 * starting and running a five-block run. Plain JSON queries and mutations, single or batched, are
 * therefore answered here with tRPC's public building blocks (callTRPCProcedure, the error shape,
 * the transformer, the status code rules), so the wire format is tRPC's own; the tests compare both
 * handlers byte for byte. Everything else (subscriptions over SSE, streaming batches, non-JSON
 * bodies, unknown procedures, wrong methods, unreadable input) goes to tRPC's handler unchanged.
 * Where tRPC's handler would answer 500 to bad input, this one answers 400 instead: an empty POST
 * body is "no input" (as the tRPC client sends a mutation without one), and an input the
 * transformer cannot read is refused by the call it belongs to. Queries and mutations get no abort
 * signal: none here reads one (subscriptions, which do, go to tRPC's handler).
 */

export interface TrpcHttpOptions<TContext> {
  readonly router: AnyTRPCRouter;
  readonly createContext: (req: FastifyRequest) => TContext;
  readonly onError?: (o: { error: TRPCError; path: string | undefined }) => void;
  /** false: every request goes through tRPC's own handler (for comparison). */
  readonly fastPath?: boolean;
}

interface PlannedCall {
  readonly path: string;
  readonly type: 'query' | 'mutation';
  /** The call's raw (still transformed) input. */
  readonly raw: unknown;
}

export function registerTrpcHttp<TContext>(app: FastifyInstance, opts: TrpcHttpOptions<TContext>): void {
  const { router } = opts;
  const config = router._def._config;
  const procedures = router._def.procedures as Record<string, AnyTRPCProcedure | undefined>;

  const plan = (req: FastifyRequest, path: string): { calls: PlannedCall[]; batch: boolean } | undefined => {
    const method = req.method;
    if (method !== 'GET' && method !== 'POST') return undefined;
    // Streamed (JSONL) answers, asked for either way tRPC reads it, are tRPC's to give.
    if (req.headers['trpc-accept'] !== undefined) return undefined;
    if (String(req.headers.accept ?? '').includes('application/jsonl')) return undefined;
    const query = req.query as Record<string, unknown>;
    const batch = query.batch === '1';
    const paths = batch ? path.split(',') : [path];
    const type = method === 'GET' ? 'query' : 'mutation';
    for (const p of paths) if (procedures[p]?._def.type !== type) return undefined;
    let text: unknown;
    if (method === 'GET') text = query.input;
    else {
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return undefined;
      text = req.body;
    }
    if (text !== undefined && typeof text !== 'string') return undefined;
    let inputs: unknown;
    if (text !== undefined && text !== '') {
      try {
        inputs = JSON.parse(text);
      } catch {
        return undefined;
      }
    }
    // A batch's inputs are an object keyed by position (tRPC's handler words the refusal).
    if (
      batch &&
      inputs !== undefined &&
      (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs))
    )
      return undefined;
    const calls = paths.map((p, i) => ({
      path: p,
      type,
      raw: batch ? (inputs as Record<number, unknown> | undefined)?.[i] : inputs,
    })) satisfies PlannedCall[];
    return { calls, batch };
  };

  const answer = async (req: FastifyRequest, reply: FastifyReply, calls: PlannedCall[], batch: boolean) => {
    const ctx = opts.createContext(req);
    const results = await Promise.all(
      calls.map(async (c, batchIndex) => {
        let input: unknown;
        try {
          const data = await callTRPCProcedure({
            router,
            path: c.path,
            type: c.type,
            ctx,
            signal: undefined,
            batchIndex,
            getRawInput: async () => {
              try {
                input = c.raw === undefined ? undefined : config.transformer.input.deserialize(c.raw);
              } catch (cause) {
                // An input the transformer cannot read is the caller's mistake: 400 with what went
                // wrong (tRPC's handler says 400 for some such inputs, 500 for others).
                throw new TRPCError({ code: 'BAD_REQUEST', cause });
              }
              return input;
            },
          });
          return { result: { data } };
        } catch (cause) {
          const error = getTRPCErrorFromUnknown(cause);
          opts.onError?.({ error, path: c.path });
          return { error: getTRPCErrorShape({ config, ctx, error, input, path: c.path, type: c.type }) };
        }
      }),
    );
    const untransformed = batch ? results : (results[0] as (typeof results)[number]);
    return reply
      .code(getHTTPStatusCode(untransformed))
      .header('content-type', 'application/json')
      .header('vary', 'trpc-accept, accept')
      .send(JSON.stringify(transformTRPCResponse(config, untransformed)));
  };

  app.register(
    async (scope) => {
      // tRPC reads bodies itself: keep them as text (as tRPC's own plugin does).
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
        done(null, body),
      );
      scope.removeContentTypeParser('multipart/form-data');
      scope.addContentTypeParser('multipart/form-data', {}, (_req, body, done) => done(null, body));
      scope.all<{ Params: { path: string } }>('/:path', async (req, reply) => {
        const path = req.params.path;
        const planned = opts.fastPath === false ? undefined : plan(req, path);
        if (planned) return answer(req, reply, planned.calls, planned.batch);
        await fastifyRequestHandler({
          router,
          req,
          res: reply,
          path,
          createContext: () => opts.createContext(req),
          onError: ({ error, path: p }) => opts.onError?.({ error, path: p }),
        });
        return reply;
      });
    },
    { prefix: '/trpc' },
  );
}
