/**
 * One 'abort' listener per caller signal, fanned out to the calls currently waiting on it. A run's
 * signal is shared by every block running in parallel; a listener per call would trip Node's
 * "possible EventTarget memory leak" warning at eleven and grow the signal's listener list.
 */
const hubs = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `fn` when `signal` aborts; returns the unsubscribe. The caller checks `aborted` first. */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  let set = hubs.get(signal);
  if (!set) {
    const subscribers = new Set<() => void>();
    set = subscribers;
    hubs.set(signal, subscribers);
    signal.addEventListener(
      'abort',
      () => {
        for (const f of [...subscribers]) f();
        subscribers.clear();
      },
      { once: true },
    );
  }
  const subscribers = set;
  subscribers.add(fn);
  return () => {
    subscribers.delete(fn);
  };
}
