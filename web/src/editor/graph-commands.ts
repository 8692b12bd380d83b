import { useReactFlow } from '@xyflow/react';
import { useCallback, useMemo } from 'react';
import { toast } from '../app/feedback';
import { autoLayout } from '../canvas/layout';
import { useEditorStore } from '../store/context';

export interface GraphCommands {
  /** Lays the shown graph out left to right (one undo step) and fits it in view. */
  layout(): Promise<void>;
  /** Groups the selected blocks into a composite. */
  group(): void;
  /** Ungroups the one selected composite. */
  ungroup(): void;
}

/** Commands on the shown graph shared by the toolbar and the keyboard shortcuts. */
export function useGraphCommands(): GraphCommands {
  const store = useEditorStore();
  const { fitView } = useReactFlow();
  const layout = useCallback(async () => {
    const s = store.getState();
    if (s.blocks.length === 0) return;
    const positions = await autoLayout(s.blocks, s.transitions, s.measured);
    const now = store.getState();
    // An edit while ELK was working changed the graph: its layout no longer applies.
    if (now.blocks !== s.blocks || now.transitions !== s.transitions) return;
    now.actions.apply(
      [...positions].map(([id, position]) => ({ type: 'block.move' as const, id, position })),
    );
    requestAnimationFrame(() => void fitView({ padding: 0.2, maxZoom: 1.2, duration: 200 }));
  }, [store, fitView]);
  const group = useCallback(() => {
    const r = store.getState().actions.groupSelection();
    if ('error' in r) toast(r.error, 'error');
  }, [store]);
  const ungroup = useCallback(() => {
    const s = store.getState();
    const ids = [...s.selectedBlocks].filter((id) => s.blockLookup.get(id)?.type === 'composite');
    if (ids.length !== 1) {
      toast('Select one composite block to ungroup.', 'error');
      return;
    }
    const error = s.actions.ungroup(ids[0] as string);
    if (error) toast(error, 'error');
  }, [store]);
  return useMemo(() => ({ layout, group, ungroup }), [layout, group, ungroup]);
}
