import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { ShareError } from '../share/service';
import { protectedProcedure, publicProcedure, router } from '../trpc';
import { guard } from './errors';

const shareId = z.string().min(22).max(64);

/**
 * Share links. Opening one needs no access token and reads only stored snapshots: a viewer
 * cannot start runs, and no route takes a graph from the client in place of the stored one.
 */
export const shareRouter = router({
  createForGraph: protectedProcedure
    .input(z.object({ graphId: z.string().min(1).max(64), version: z.number().int().min(1).optional() }))
    .mutation(({ ctx, input }) =>
      guard(() => {
        const v = ctx.services.graphs.get(input.graphId, input.version);
        return ctx.services.shares.createForGraph(input.graphId, v.version);
      }),
    ),

  createForRun: protectedProcedure
    .input(z.object({ runId: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) =>
      guard(() => {
        const run = ctx.services.runs.get(input.runId);
        if (!run) throw new TRPCError({ code: 'NOT_FOUND', message: `No run "${input.runId}".` });
        if (ctx.services.runs.isActive(run.id))
          throw new TRPCError({
            code: 'BAD_REQUEST',
            message: 'The run is still going: share it once it has finished.',
          });
        // The estimate overlay as it is now travels with the link, so a viewer sees what the author saw.
        let overlay: unknown = null;
        try {
          const { compiled } = ctx.services.graphs.compiled(run.graphId, run.graphVersion);
          ctx.services.stats.flush();
          overlay = ctx.services.stats.estimateGraph(compiled, { graphId: run.graphId });
        } catch {
          overlay = null;
        }
        return ctx.services.shares.createForRun(run.id, { estimate: overlay });
      }),
    ),

  list: protectedProcedure
    .input(z.object({ graphId: z.string().min(1).max(64) }))
    .query(({ ctx, input }) => ctx.services.shares.list(input.graphId)),

  revoke: protectedProcedure
    .input(z.object({ id: shareId }))
    .mutation(({ ctx, input }) => ({ revoked: ctx.services.shares.revoke(input.id) })),

  /** Read-only view; public. */
  open: publicProcedure.input(z.object({ id: shareId })).query(({ ctx, input }) => {
    try {
      const link = ctx.services.shares.open(input.id);
      const v = ctx.services.graphs.get(link.graphId, link.graphVersion);
      const graph = { name: v.name, version: v.version, doc: v.doc, diagnostics: v.diagnostics };
      if (link.kind === 'graph_version' || !link.runId)
        return { kind: 'graph' as const, graph, run: null, events: [], snapshot: null };
      const run = ctx.services.runs.get(link.runId);
      const events = ctx.services.events.readAfter(link.runId, -1, 100_000);
      return {
        kind: 'run' as const,
        graph,
        run: run
          ? {
              id: run.id,
              status: run.status,
              input: run.input,
              outputs: run.outputs,
              totals: run.totals,
              error: run.error,
              createdAt: run.createdAt,
            }
          : null,
        events,
        snapshot: link.snapshot,
      };
    } catch (e) {
      if (e instanceof ShareError)
        throw new TRPCError({ code: e.kind === 'revoked' ? 'FORBIDDEN' : 'NOT_FOUND', message: e.message });
      throw e;
    }
  }),

  /** Copies the shared version into a new, independent, editable graph. */
  fork: protectedProcedure
    .input(z.object({ id: shareId, name: z.string().min(1).max(200).optional() }))
    .mutation(({ ctx, input }) => {
      try {
        const link = ctx.services.shares.open(input.id);
        const v = ctx.services.graphs.get(link.graphId, link.graphVersion);
        return ctx.services.graphs.create(input.name ?? `${v.name} (fork)`, v.doc);
      } catch (e) {
        if (e instanceof ShareError)
          throw new TRPCError({ code: e.kind === 'revoked' ? 'FORBIDDEN' : 'NOT_FOUND', message: e.message });
        return guard(() => {
          throw e;
        });
      }
    }),
});
