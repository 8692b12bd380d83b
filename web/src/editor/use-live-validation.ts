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
    const run = () => {
      timer = undefined;
      const s = store.getState();
      s.actions.setDiagnostics(validate(s.actions.document()));
    };
    run();
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.blocks === prev.blocks && s.transitions === prev.transitions && s.meta === prev.meta) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(run, delayMs);
    });
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [store, delayMs]);
}
