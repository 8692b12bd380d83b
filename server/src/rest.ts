import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppServices } from './context';
import { GraphServiceError } from './graphs/service';
import { runOptionsSchema } from './routers/run';
import { RunBusyError } from './runs/manager';

const bodySchema = z.object({
  input: z.record(z.string(), z.unknown()).default({}),
  options: runOptionsSchema.optional(),
  version: z.number().int().min(1).optional(),
});

/**
 * REST entry point for other programs: POST /api/graphs/:id/runs runs the latest saved version with
 * JSON inputs and answers with outputs and the run summary, or streams events as SSE when the
 * client sends `Accept: text/event-stream`.
 */
export function registerRest(
  app: FastifyInstance,
  services: AppServices,
  isAuthorized: (headers: Record<string, unknown>, url: string) => boolean,
): void {
  app.post<{ Params: { id: string } }>('/api/graphs/:id/runs', async (req, reply) => {
    if (!isAuthorized(req.headers, req.url)) {
      return reply.code(401).send({
        error: 'This server needs an access token: send "Authorization: Bearer <GW_ACCESS_TOKEN>".',
      });
    }
    const parsed = bodySchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      return reply.code(400).send({
        error: `Bad request body: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}. Send {"input": {...}}.`,
      });
    }
    let started: { runId: string; version: number };
    try {
      started = services.runs.start({
        graphId: req.params.id,
        version: parsed.data.version,
        input: parsed.data.input,
        options: parsed.data.options,
      });
    } catch (e) {
      if (e instanceof RunBusyError) return reply.code(429).send({ error: e.message });
      if (e instanceof GraphServiceError)
        return reply.code(e.kind === 'not_found' ? 404 : 400).send({ error: e.message });
      throw e;
    }
    const wantsStream = String(req.headers.accept ?? '').includes('text/event-stream');
    if (wantsStream) {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      const abort = new AbortController();
      res.on('close', () => abort.abort());
      for await (const e of services.runs.events(started.runId, -1, abort.signal)) {
        res.write(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      }
      res.end();
      return reply;
    }
    await services.runs.waitStored(started.runId);
    const run = services.runs.get(started.runId);
    return reply.send({
      runId: started.runId,
      graphVersion: started.version,
      status: run?.status,
      outputs: run?.outputs ?? null,
      totals: run?.totals ?? null,
      error: run?.error ?? null,
    });
  });
}
