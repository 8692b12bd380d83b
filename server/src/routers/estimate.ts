import { EventEmitter, on } from 'node:events';
import { z } from 'zod';
import { protectedProcedure, router } from '../trpc';
import { guard } from './errors';

const input = z.object({ graphId: z.string().min(1).max(64), version: z.number().int().min(1).optional() });

export const estimateRouter = router({
  /** Per-block and whole-graph expectations for a stored version, from history (O(1) per block). */
  graph: protectedProcedure.input(input).query(({ ctx, input }) =>
    guard(() => {
      const { compiled, version } = ctx.services.graphs.compiled(input.graphId, input.version);
      return { version, estimate: ctx.services.stats.estimateGraph(compiled, { graphId: input.graphId }) };
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
