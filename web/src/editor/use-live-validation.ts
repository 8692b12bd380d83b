import { validate } from '@graphwright/shared';
import { useEffect } from 'react';
import type { EditorStore } from '../store/store';

/**
 * Runs the shared validator on the document after every edit (debounced), so problems show up
 * on the canvas and in the problems list as the person types.
 */
export function useLiveValidation(store: EditorStore, delayMs = 200): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let idle: number | undefined;
    const run = () => {
      idle = undefined;
      const s = store.getState();
      s.actions.setDiagnostics(validate(s.actions.document()));
    };
    // Each check waits until the browser is idle: on a large graph it takes a few hundred ms, which
    // would otherwise land in the middle of drawing the canvas when the graph is opened.
    const whenIdle = () => {
      timer = undefined;
      if (typeof requestIdleCallback !== 'function') return run();
      if (idle !== undefined) cancelIdleCallback(idle);
      idle = requestIdleCallback(run, { timeout: 1_000 });
    };
    whenIdle();
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.blocks === prev.blocks && s.transitions === prev.transitions && s.meta === prev.meta) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(whenIdle, delayMs);
    });
    return () => {
      unsubscribe();
      if (idle !== undefined) cancelIdleCallback(idle);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [store, delayMs]);
}
