import { router } from '../trpc';
import { debugRouter } from './debug';
import { graphRouter } from './graph';
import { providerRouter } from './provider';
import { systemRouter } from './system';

export const appRouter = router({
  system: systemRouter,
  graph: graphRouter,
  provider: providerRouter,
  debug: debugRouter,
});

/** The only thing the web app imports from the server: the API's type. */
export type AppRouter = typeof appRouter;
