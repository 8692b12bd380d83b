import { useEffect } from 'react';
import { errorMessage } from '../api/errors';
import { api } from '../api/trpc';
import type { EstimateStore } from './estimate-store';

/** Waits this long before subscribing again after the stream failed (the server restarted, say). */
const RETRY_MS = 3_000;

/**
 * Keeps the estimate store fed for one graph: the server pushes a fresh estimate at once and then
 * each time a run of the graph is stored, so the canvas's figures follow finished runs live.
 * Re-subscribes when the saved version changes (a save makes a new version to estimate).
 */
export function useEstimateFeed(store: EstimateStore, graphId: string, version: number | undefined): void {
  useEffect(() => {
    if (version === undefined) return;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let sub: { unsubscribe(): void } | undefined;
    const start = (): void => {
      store.getState().actions.loading();
      sub = api.estimate.watch.subscribe(
        { graphId, version },
        {
          onData: (r) => {
            if (!stopped) store.getState().actions.receive(r.version, r.estimate);
          },
          onError: (err) => {
            if (stopped) return;
            store.getState().actions.fail(errorMessage(err));
            sub?.unsubscribe();
            // A draft that cannot compile, or a deleted graph, will not get better by asking again.
            const code = (err as { data?: { code?: string } }).data?.code;
            if (code !== 'BAD_REQUEST' && code !== 'NOT_FOUND') retry = setTimeout(start, RETRY_MS);
          },
        },
      );
    };
    start();
    return () => {
      stopped = true;
      if (retry !== undefined) clearTimeout(retry);
      sub?.unsubscribe();
    };
  }, [store, graphId, version]);
}
