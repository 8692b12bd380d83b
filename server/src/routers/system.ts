import { protectedProcedure, router } from '../trpc';

export const systemRouter = router({
  health: protectedProcedure.query(({ ctx }) => ({
    ok: true as const,
    uptimeMs: Date.now() - ctx.services.startedAt,
  })),
});
