import { EventEmitter, on } from 'node:events';
import { type CompiledBlock, type CompiledGraph, latencyHistogram } from '@graphwright/shared';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { protectedProcedure, router } from '../trpc';
import { guard } from './errors';

const input = z.object({ graphId: z.string().min(1).max(64), version: z.number().int().min(1).optional() });

const blockInput = input.extend({
  /** Scoped block id: enclosing composite ids and the block's id joined with "/". */
  blockId: z.string().min(1).max(1_000),
  limit: z.number().int().min(1).max(100).default(20),
});

/** The compiled block at a scoped id ("composite/inner"), or undefined. */
function findBlock(g: CompiledGraph, scoped: string): CompiledBlock | undefined {
  const parts = scoped.split('/');
  let graph: CompiledGraph = g;
  for (let i = 0; i < parts.length; i++) {
    const b = graph.blocks[graph.blockIndex.get(parts[i] as string) ?? -1];
    if (!b || i === parts.length - 1) return b;
    if (b.type !== 'composite') return undefined;
    graph = b.child;
  }
  return undefined;
}

export const estimateRouter = router({
  /** Per-block and whole-graph expectations for a stored version, from history (O(1) per block). */
  graph: protectedProcedure.input(input).query(({ ctx, input }) =>
    guard(() => {
      const { compiled, version } = ctx.services.graphs.compiled(input.graphId, input.version);
      // Attempts of a run that just ended may still wait in the batch: read what was recorded.
      ctx.services.stats.flush();
      return { version, estimate: ctx.services.stats.estimateGraph(compiled, { graphId: input.graphId }) };
    }),
  ),

  /** One block's history for its popover: estimate, latency histogram (from its sketch) and latest attempts. */
  block: protectedProcedure.input(blockInput).query(({ ctx, input }) =>
    guard(() => {
      const { compiled, version } = ctx.services.graphs.compiled(input.graphId, input.version);
      const b = findBlock(compiled, input.blockId);
      if (!b)
        throw new TRPCError({ code: 'NOT_FOUND', message: `No block "${input.blockId}" in this version` });
      const stats = ctx.services.stats;
      stats.flush();
      const identity = { name: b.name, type: b.type, version: b.version };
      const history = stats.blockHistory(identity, { graphId: input.graphId, blockId: input.blockId });
      const slash = input.blockId.lastIndexOf('/');
      const recent = stats.recentAttempts({
        name: b.name,
        type: b.type,
        versions: history ? [b.version, history.version] : [b.version],
        path: slash < 0 ? '' : input.blockId.slice(0, slash),
        blockId: b.id,
        limit: input.limit,
      });
      return {
        version,
        blockId: input.blockId,
        blockVersion: b.version,
        estimate: history?.estimate ?? null,
        histogram: history ? latencyHistogram(history.sketch) : null,
        recent,
      };
    }),
  ),

  /** Pushes a fresh estimate whenever a run of the graph finishes (and one at once). */
  watch: protectedProcedure.input(input).subscription(async function* ({ ctx, input, signal }) {
    const compute = () =>
      guard(() => {
        const { compiled, version } = ctx.services.graphs.compiled(input.graphId, input.version);
        ctx.services.stats.flush();
        return { version, estimate: ctx.services.stats.estimateGraph(compiled, { graphId: input.graphId }) };
      });
    const emitter = new EventEmitter();
    const off = ctx.services.runs.onRunStored((graphId) => {
      if (graphId === input.graphId) emitter.emit('finished');
    });
    try {
      yield compute();
      for await (const _ of on(emitter, 'finished', { signal })) yield compute();
    } catch (e) {
      if (!signal?.aborted) throw e;
    } finally {
      off();
    }
  }),
});
