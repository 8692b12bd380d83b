import { LIMITS } from '@graphwright/shared';
import { z } from 'zod';
import { protectedProcedure, router } from '../trpc';
import { guard } from './errors';

const graphId = z.string().min(1).max(64);
const versionNo = z.number().int().min(1).optional();
const name = z.string().trim().min(1, 'A graph needs a name').max(LIMITS.maxNameLength);
/** The document is checked by the shared validator, which reports problems as diagnostics. */
const documentInput = z.unknown();

export const graphRouter = router({
  list: protectedProcedure.query(({ ctx }) => ctx.services.graphs.list()),

  create: protectedProcedure
    .input(z.object({ name, doc: documentInput.optional() }))
    .mutation(({ ctx, input }) => guard(() => ctx.services.graphs.create(input.name, input.doc))),

  get: protectedProcedure.input(z.object({ id: graphId, version: versionNo })).query(({ ctx, input }) =>
    guard(() => {
      const v = ctx.services.graphs.get(input.id, input.version);
      return {
        id: v.graphId,
        name: v.name,
        version: v.version,
        hash: v.hash,
        doc: v.doc,
        diagnostics: v.diagnostics,
        createdAt: v.createdAt,
      };
    }),
  ),

  save: protectedProcedure
    .input(z.object({ id: graphId, doc: documentInput }))
    .mutation(({ ctx, input }) => guard(() => ctx.services.graphs.save(input.id, input.doc))),

  versions: protectedProcedure
    .input(z.object({ id: graphId }))
    .query(({ ctx, input }) => guard(() => ctx.services.graphs.versions(input.id))),

  rename: protectedProcedure.input(z.object({ id: graphId, name })).mutation(({ ctx, input }) => {
    guard(() => ctx.services.graphs.rename(input.id, input.name));
    return { ok: true as const };
  }),

  delete: protectedProcedure.input(z.object({ id: graphId })).mutation(({ ctx, input }) => {
    guard(() => ctx.services.graphs.delete(input.id));
    return { ok: true as const };
  }),

  import: protectedProcedure
    .input(z.object({ doc: documentInput }))
    .mutation(({ ctx, input }) => guard(() => ctx.services.graphs.create(undefined, input.doc))),

  export: protectedProcedure
    .input(z.object({ id: graphId, version: versionNo }))
    .query(({ ctx, input }) => guard(() => ctx.services.graphs.get(input.id, input.version).doc)),
});
