import type { RunEvent } from '@graphwright/shared';

/** Where events are stored (batched). `flush` makes every appended event readable. */
export interface EventLog {
  append(event: RunEvent): void;
  flush(): void;
  readAfter(runId: string, afterSeq: number, limit: number): RunEvent[];
}

type Listener = (event: RunEvent) => void;

/**
 * Live fan-out of run events to subscribers. Publishing is a loop over a run's listeners and never
 * waits for one: a slow subscriber only grows its own bounded queue (see streamRunEvents).
 */
export class RunHub {
  private readonly listeners = new Map<string, Set<Listener>>();

  subscribe(runId: string, listener: Listener): () => void {
    let set = this.listeners.get(runId);
    if (!set) {
      set = new Set();
      this.listeners.set(runId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(runId) === set) this.listeners.delete(runId);
    };
  }

  publish(event: RunEvent): void {
    const set = this.listeners.get(event.runId);
    if (set) for (const l of set) l(event);
  }

  subscriberCount(runId?: string): number {
    if (runId !== undefined) return this.listeners.get(runId)?.size ?? 0;
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }
}

export function isTerminal(event: RunEvent): boolean {
  return event.type === 'run_finished' || event.type === 'run_failed';
}

export interface StreamOptions {
  /** Live events a subscriber may hold before it is moved to catch-up from the stored log. */
  readonly maxBuffered: number;
  readonly signal?: AbortSignal | undefined;
  /** Whether the run can still produce events (false: stop after the stored log is drained). */
  readonly isLive: () => boolean;
  /** Called once when a subscriber falls behind and is switched to the log. */
  readonly onLag?: (() => void) | undefined;
}

/**
 * A run's events in order, each exactly once, from `afterSeq` on: subscribe first, then read the
 * stored backlog, then follow live events, skipping what was already sent and filling any gap
 * from the log. A subscriber that falls more than `maxBuffered` behind drops its queue and catches
 * up from storage, so memory per subscriber stays bounded and the run never waits for it.
 */
export async function* streamRunEvents(
  hub: RunHub,
  log: EventLog,
  runId: string,
  afterSeq: number,
  opts: StreamOptions,
): AsyncGenerator<RunEvent> {
  let queue: RunEvent[] = [];
  let lagging = false;
  let wake: (() => void) | undefined;
  const unsubscribe = hub.subscribe(runId, (e) => {
    if (lagging) return;
    if (queue.length >= opts.maxBuffered) {
      lagging = true;
      queue = [];
      opts.onLag?.();
    } else queue.push(e);
    wake?.();
  });
  const onAbort = (): void => wake?.();
  opts.signal?.addEventListener('abort', onAbort);
  let last = afterSeq;
  try {
    const drainLog = function* (): Generator<RunEvent, boolean> {
      log.flush();
      for (;;) {
        const batch = log.readAfter(runId, last, 500);
        for (const e of batch) {
          last = e.seq;
          yield e;
          if (isTerminal(e)) return true;
        }
        if (batch.length < 500) return false;
      }
    };
    if (yield* drainLog()) return;
    while (!opts.signal?.aborted) {
      if (lagging) {
        lagging = false;
        queue = [];
        if (yield* drainLog()) return;
        continue;
      }
      const next = queue.shift();
      if (next === undefined) {
        if (!opts.isLive()) {
          if (yield* drainLog()) return;
          if (!opts.isLive()) return;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
        continue;
      }
      if (next.seq <= last) continue;
      if (next.seq > last + 1) {
        // A gap: some events reached the log but not this queue (e.g. published before we subscribed).
        queue.unshift(next);
        if (yield* drainLog()) return;
        continue;
      }
      last = next.seq;
      yield next;
      if (isTerminal(next)) return;
    }
  } finally {
    unsubscribe();
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
