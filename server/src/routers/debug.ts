import { protectedProcedure, router } from '../trpc';

/** Internals worth seeing when tuning: the compile cache's hits, misses and validations. */
export const debugRouter = router({
  compileCache: protectedProcedure.query(({ ctx }) => ctx.services.compileCache.stats()),
});
