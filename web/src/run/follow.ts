import type { RunEvent } from '@graphwright/shared';
import { TRPCClientError } from '@trpc/client';
import { markUnauthorized } from '../api/auth';
import { api } from '../api/trpc';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'error';

export interface FollowHandlers {
  onEvent(event: RunEvent): void;
  onState(state: ConnectionState, detail?: string): void;
}

function codeOf(e: unknown): string | undefined {
  return e instanceof TRPCClientError ? (e.data as { code?: string } | undefined)?.code : undefined;
}

/**
 * Follows a run's events from after `afterSeq` (-1: from the start, which replays the stored log
 * and then goes live). The SSE link resumes by itself with the last event id after a dropped
 * connection; if the stream fails outright we subscribe again from the last seq we applied
 * (`lastSeq()`), so nothing is lost, and duplicates are dropped by the reducer. Returns a stop.
 */
export function followRun(
  runId: string,
  afterSeq: number,
  lastSeq: () => number,
  h: FollowHandlers,
): () => void {
  let stopped = false;
  let unsubscribe: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;

  const connect = (from: number): void => {
    if (stopped) return;
    h.onState(failures === 0 && from === afterSeq ? 'connecting' : 'reconnecting');
    const sub = api.run.events.subscribe(
      { runId, lastEventId: from < 0 ? null : String(from) },
      {
        onStarted: () => {
          failures = 0;
          h.onState('live');
        },
        onData: (tracked) => h.onEvent(tracked.data),
        onConnectionStateChange: (s) => {
          if (s.state === 'connecting' && s.error) h.onState('reconnecting', s.error.message);
          else if (s.state === 'pending') h.onState('live');
        },
        onComplete: () => {
          if (!stopped) h.onState('ended');
        },
        onError: (err) => {
          if (stopped) return;
          const code = codeOf(err);
          if (code === 'UNAUTHORIZED') markUnauthorized();
          if (code === 'NOT_FOUND' || code === 'UNAUTHORIZED' || code === 'BAD_REQUEST') {
            h.onState('error', err.message);
            return;
          }
          failures++;
          h.onState('reconnecting', err.message);
          timer = setTimeout(() => connect(lastSeq()), Math.min(10_000, 500 * 2 ** Math.min(failures, 5)));
        },
      },
    );
    unsubscribe = () => sub.unsubscribe();
  };

  connect(afterSeq);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    unsubscribe?.();
  };
}

/** Every stored event of a run (finished or not), then stops. */
export function loadRunEvents(runId: string): Promise<RunEvent[]> {
  return new Promise((resolve, reject) => {
    const list: RunEvent[] = [];
    let done = false;
    const sub = api.run.events.subscribe(
      { runId, lastEventId: null },
      {
        onData: (tracked) => list.push(tracked.data),
        onComplete: () => {
          done = true;
          resolve(list);
        },
        onError: (err) => {
          done = true;
          if (codeOf(err) === 'UNAUTHORIZED') markUnauthorized();
          reject(err);
        },
      },
    );
    // A run still going keeps the stream open: take what is stored so far after a short wait.
    setTimeout(() => {
      if (done) return;
      sub.unsubscribe();
      resolve(list);
    }, 15_000);
  });
}
