import { router } from '../trpc';
import { debugRouter } from './debug';
import { estimateRouter } from './estimate';
import { graphRouter } from './graph';
import { providerRouter } from './provider';
import { runRouter } from './run';
import { shareRouter } from './share';
import { systemRouter } from './system';

export const appRouter = router({
  system: systemRouter,
  graph: graphRouter,
  provider: providerRouter,
  run: runRouter,
  estimate: estimateRouter,
  share: shareRouter,
  debug: debugRouter,
});

/** The only thing the web app imports from the server: the API's type. */
export type AppRouter = typeof appRouter;
