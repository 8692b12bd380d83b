import type { Block, Diagnostic } from '@graphwright/shared';
import { useCallback, useMemo } from 'react';
import { useEditor, useEditorStore } from '../store/context';
import { templateVariables, type VariableSuggestion } from '../store/graph-queries';

/** A shallow merge that drops keys set to undefined (so an emptied optional field leaves the JSON). */
export function withPatch<T extends object>(obj: T, patch: Partial<T>): T {
  const next = { ...obj, ...patch } as Record<string, unknown>;
  for (const k of Object.keys(patch)) if (next[k] === undefined) delete next[k];
  return next as T;
}

export type BlockPatcher<B extends Block> = (field: string, patch: Partial<B>) => void;

/**
 * Edits one block from a form: each call is a `block.replace` change; consecutive edits of one
 * field merge into one undo step.
 */
export function useBlockPatch<B extends Block>(id: string): BlockPatcher<B> {
  const store = useEditorStore();
  return useCallback(
    (field: string, patch: Partial<B>) => {
      const s = store.getState();
      const b = s.blockLookup.get(id) as B | undefined;
      if (!b) return;
      s.actions.apply([{ type: 'block.replace', id, block: withPatch(b, patch) }], {
        coalesce: `block:${id}:${field}`,
      });
    },
    [store, id],
  );
}

/** The diagnostics of a block and the path prefix of its fields in the document. */
export function useBlockDiagnostics(id: string): {
  list: readonly Diagnostic[];
  prefix: (string | number)[];
} {
  const list = useEditor((s) => s.diagnosticsByBlock.get(id));
  const index = useEditor((s) => {
    const b = s.blockLookup.get(id);
    return b ? s.blocks.indexOf(b) : -1;
  });
  return useMemo(() => ({ list: list ?? [], prefix: ['blocks', index] }), [list, index]);
}

/** What templates in this block can read. */
export function useTemplateVariables(id: string): VariableSuggestion[] {
  const blocks = useEditor((s) => s.blocks);
  const incoming = useEditor((s) => s.incoming);
  const meta = useEditor((s) => s.meta);
  const store = useEditorStore();
  // biome-ignore lint/correctness/useExhaustiveDependencies: recomputed when what it reads changes
  return useMemo(() => templateVariables(store.getState(), id), [blocks, incoming, meta, store, id]);
}
