import { router } from '../trpc';
import { systemRouter } from './system';

export const appRouter = router({
  system: systemRouter,
});

/** The only thing the web app imports from the server: the API's type. */
export type AppRouter = typeof appRouter;
