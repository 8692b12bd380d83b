/** Virtual time: sleep resolves when the test's clock passes its deadline (or on abort). */
export function virtualClock() {
  let now = 0;
  const sleepers: { at: number; resolve: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const s = { at: now + ms, resolve };
        sleepers.push(s);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      }),
    async advance(ms: number) {
      const target = now + ms;
      for (;;) {
        await new Promise((r) => setTimeout(r, 0));
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers[0];
        if (!next || next.at > target) break;
        sleepers.shift();
        now = next.at;
        next.resolve();
      }
      now = target;
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}
