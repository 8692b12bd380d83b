import type { GraphDocument } from '@graphwright/shared';
import { describe, expect, it } from 'vitest';
import classifyAndRoute from '../../../examples/classify-and-route.json';
import compositeRefine from '../../../examples/composite-refine.json';
import parallelFanout from '../../../examples/parallel-fanout.json';
import { createEditorStore, isDirty } from './store';

const EXAMPLES: Record<string, unknown> = {
  'classify-and-route': classifyAndRoute,
  'composite-refine': compositeRefine,
  'parallel-fanout': parallelFanout,
};
const example = (name: string): GraphDocument => structuredClone(EXAMPLES[name]) as GraphDocument;

describe('editing a composite in place', () => {
  it('opens a composite, edits inside, and writes back as one undo step of the outer graph', () => {
    const store = createEditorStore({ doc: example('composite-refine'), saved: true });
    const a = store.getState().actions;
    const comp = store.getState().blocks.find((b) => b.type === 'composite');
    expect(comp).toBeDefined();
    expect(a.openComposite(comp?.id as string)).toBe(true);
    expect(store.getState().scope.map((f) => f.blockId)).toEqual([comp?.id]);
    expect(store.getState().scopePrefix).toBe(`${comp?.id}/`);
    expect(isDirty(store.getState())).toBe(false);
    const inner = store.getState().blocks.find((b) => b.type === 'llm');
    a.moveBlocks([{ id: inner?.id as string, position: { x: 999, y: 999 } }]);
    expect(isDirty(store.getState())).toBe(true);
    // What would be saved already holds the edit.
    const saved = a.document();
    const savedComp = saved.blocks.find((b) => b.id === comp?.id);
    expect(
      savedComp?.type === 'composite' && savedComp.graph.blocks.find((b) => b.id === inner?.id)?.position,
    ).toEqual({ x: 999, y: 999 });
    a.closeScopes(0);
    expect(store.getState().scope).toEqual([]);
    expect(isDirty(store.getState())).toBe(true);
    a.undo();
    expect(isDirty(store.getState())).toBe(false);
  });

  it('groups the selection through the store, undoably', () => {
    const store = createEditorStore({ doc: example('parallel-fanout') });
    const a = store.getState().actions;
    a.setSelection({ blocks: ['pros', 'cons'] });
    const r = a.groupSelection();
    expect('id' in r).toBe(true);
    expect(store.getState().blockLookup.has('pros')).toBe(false);
    a.undo();
    expect(store.getState().blockLookup.has('pros')).toBe(true);
  });
});

describe('problems inside an open composite', () => {
  it('are shown on the nested blocks, not on top-level blocks with the same id', () => {
    const store = createEditorStore({ doc: example('composite-refine') });
    const a = store.getState().actions;
    const inner = {
      code: 'template_unknown_ref',
      severity: 'error',
      message: 'inside',
      path: [],
      blockId: 'input',
      graphPath: ['refine'],
    } as const;
    const top = { ...inner, message: 'top', graphPath: [] };
    a.setDiagnostics([inner, top] as never);
    const shownOn = (id: string) =>
      store
        .getState()
        .diagnosticsByBlock.get(id)
        ?.map((d) => d.message);
    expect(shownOn('refine')).toEqual(['inside']);
    expect(shownOn('input')).toEqual(['top']);
    a.openComposite('refine');
    expect(shownOn('input')).toEqual(['inside']);
    a.closeScopes(0);
    expect(shownOn('input')).toEqual(['top']);
  });
});

describe('saving from inside a composite', () => {
  it('marks the whole document saved, and it stays saved when the composite is closed', () => {
    const store = createEditorStore({ doc: example('composite-refine'), saved: true });
    const a = store.getState().actions;
    a.openComposite('refine');
    const inner = store.getState().blocks.find((b) => b.type === 'llm');
    a.moveBlocks([{ id: inner?.id as string, position: { x: 5, y: 5 } }]);
    const snap = a.rootSnapshot();
    expect(snap.blocks.map((b) => b.id)).toEqual(['input', 'refine', 'output']);
    a.markSaved(snap);
    expect(isDirty(store.getState())).toBe(false);
    a.closeScopes(0);
    expect(isDirty(store.getState())).toBe(false);
    // The nested edit is still one undo step of the outer graph.
    a.undo();
    expect(isDirty(store.getState())).toBe(true);
  });
});
