import { TRPCError, tracked } from '@trpc/server';
import { z } from 'zod';
import { RunBusyError, RunStateError } from '../runs/manager';
import { protectedProcedure, router } from '../trpc';
import { guard } from './errors';

const runId = z.string().min(1).max(64);
const blockIds = z.array(z.string().max(64)).max(1_000).optional();

export const runOptionsSchema = z.object({
  interruptBefore: blockIds,
  interruptAfter: blockIds,
  budgetUsd: z.number().positive().max(1_000_000).optional(),
  deadlineMs: z.number().int().positive().max(86_400_000).optional(),
  providerOverride: z.string().min(1).max(64).optional(),
});

function summary(r: NonNullable<ReturnType<import('../runs/manager').RunManager['get']>>) {
  return {
    id: r.id,
    graphId: r.graphId,
    graphVersion: r.graphVersion,
    status: r.status,
    input: r.input,
    outputs: r.outputs,
    totals: r.totals,
    error: r.error,
    costUsd: r.costUsd,
    durationMs: r.durationMs,
    lastSeq: r.lastSeq,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
    parentRunId: r.parentRunId,
  };
}

/** State edits are JSON objects keyed by block id (out) or var name (vars). */
const stateEdits = z.object({
  out: z.record(z.string().max(64), z.unknown()).optional(),
  vars: z.record(z.string().max(64), z.unknown()).optional(),
});

function stateCall<T>(fn: () => T): T {
  return guard(() => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof RunStateError) throw new TRPCError({ code: 'BAD_REQUEST', message: e.message });
      if (e instanceof RunBusyError) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: e.message });
      throw e;
    }
  });
}

export const runRouter = router({
  start: protectedProcedure
    .input(
      z.object({
        graphId: z.string().min(1).max(64),
        version: z.number().int().min(1).optional(),
        input: z.record(z.string(), z.unknown()).default({}),
        options: runOptionsSchema.optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      guard(() => {
        try {
          return ctx.services.runs.start(input);
        } catch (e) {
          if (e instanceof RunBusyError)
            throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: e.message });
          throw e;
        }
      }),
    ),

  /** Continue a paused run, optionally with edited state (out / vars), or one block at a time. */
  resume: protectedProcedure
    .input(z.object({ runId, stateEdits: stateEdits.optional(), step: z.boolean().optional() }))
    .mutation(({ ctx, input }) =>
      stateCall(() => {
        ctx.services.runs.resume(input.runId, { stateEdits: input.stateEdits, step: input.step });
        return { ok: true as const };
      }),
    ),

  step: protectedProcedure.input(z.object({ runId })).mutation(({ ctx, input }) =>
    stateCall(() => {
      ctx.services.runs.resume(input.runId, { step: true });
      return { ok: true as const };
    }),
  ),

  fork: protectedProcedure
    .input(z.object({ runId, checkpointId: z.string().min(1).max(200), stateEdits: stateEdits.optional() }))
    .mutation(({ ctx, input }) =>
      stateCall(() => ctx.services.runs.fork(input.runId, input.checkpointId, input.stateEdits)),
    ),

  checkpoints: protectedProcedure
    .input(z.object({ runId }))
    .query(({ ctx, input }) => ctx.services.runs.checkpoints(input.runId)),

  /** Test one block alone with given upstream outputs and vars. */
  runBlock: protectedProcedure
    .input(
      z.object({
        graphId: z.string().min(1).max(64),
        version: z.number().int().min(1).optional(),
        blockId: z.string().min(1).max(64),
        input: z.record(z.string(), z.unknown()).default({}),
        out: z.record(z.string(), z.unknown()).optional(),
        vars: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      stateCall(() => {
        const { compiled } = ctx.services.graphs.compiled(input.graphId, input.version);
        if (!compiled.blockIndex.has(input.blockId))
          throw new RunStateError(`The graph has no top-level block "${input.blockId}".`);
        return ctx.services.runs.start({
          graphId: input.graphId,
          version: input.version,
          input: input.input,
          options: { only: { blockId: input.blockId, out: input.out, vars: input.vars } },
        });
      }),
    ),

  cancel: protectedProcedure.input(z.object({ runId })).mutation(({ ctx, input }) => {
    if (!ctx.services.runs.get(input.runId))
      throw new TRPCError({ code: 'NOT_FOUND', message: `No run "${input.runId}".` });
    return { cancelled: ctx.services.runs.cancel(input.runId) };
  }),

  get: protectedProcedure.input(z.object({ runId })).query(({ ctx, input }) => {
    const r = ctx.services.runs.get(input.runId);
    if (!r) throw new TRPCError({ code: 'NOT_FOUND', message: `No run "${input.runId}".` });
    return { ...summary(r), active: ctx.services.runs.isActive(r.id) };
  }),

  list: protectedProcedure
    .input(
      z.object({ graphId: z.string().min(1).max(64), limit: z.number().int().min(1).max(500).optional() }),
    )
    .query(({ ctx, input }) => ctx.services.runs.list(input.graphId, input.limit).map(summary)),

  /** Live events of a run; reconnecting with the last event id resumes with no loss and no duplicates. */
  events: protectedProcedure
    .input(
      z.object({
        runId,
        lastEventId: z
          .string()
          .regex(/^-?\d+$/)
          .nullish(),
      }),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      if (!ctx.services.runs.get(input.runId))
        throw new TRPCError({ code: 'NOT_FOUND', message: `No run "${input.runId}".` });
      const after = input.lastEventId == null ? -1 : Number(input.lastEventId);
      for await (const event of ctx.services.runs.events(input.runId, after, signal)) {
        yield tracked(String(event.seq), event);
      }
    }),
});
