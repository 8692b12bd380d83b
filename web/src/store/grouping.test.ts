import { type GraphDocument, validate } from '@graphwright/shared';
import { describe, expect, it } from 'vitest';
import classifyAndRoute from '../../../examples/classify-and-route.json';
import compositeRefine from '../../../examples/composite-refine.json';
import parallelFanout from '../../../examples/parallel-fanout.json';
import { fromDocument } from './changes';
import { groupBlocks, ungroupBlock } from './grouping';
import { createEditorStore, isDirty } from './store';
import type { GraphData } from './types';

const EXAMPLES: Record<string, unknown> = {
  'classify-and-route': classifyAndRoute,
  'composite-refine': compositeRefine,
  'parallel-fanout': parallelFanout,
};
const example = (name: string): GraphDocument => structuredClone(EXAMPLES[name]) as GraphDocument;

/** Blocks by id, and each block's outgoing transitions in routing order. */
function shape(d: GraphData) {
  const blocks = [...d.blocks].sort((a, b) => a.id.localeCompare(b.id));
  const outgoing: Record<string, unknown[]> = {};
  for (const t of d.transitions) {
    outgoing[t.from] ??= [];
    outgoing[t.from]?.push(t);
  }
  return { blocks, outgoing, ids: d.transitions.map((t) => t.id).sort() };
}

describe('group and ungroup', () => {
  it.each([
    ['parallel-fanout', ['pros', 'cons', 'facts']],
    ['classify-and-route', ['billing', 'bug', 'general']],
    ['classify-and-route', ['classify', 'billing']],
    ['composite-refine', ['refine']],
  ])('%s: grouping %j then ungrouping gives the same graph back', (name, ids) => {
    const data = fromDocument(example(name));
    const present = ids.filter((id) => data.blocks.some((b) => b.id === id));
    expect(present.length).toBeGreaterThan(0);
    const g = groupBlocks(data, new Set(present));
    if ('error' in g) throw new Error(g.error);
    expect(g.data.blocks.some((b) => present.includes(b.id))).toBe(false);
    const comp = g.data.blocks.find((b) => b.id === g.id);
    expect(comp?.type).toBe('composite');
    const u = ungroupBlock(g.data, g.id);
    if ('error' in u) throw new Error(u.error);
    expect(shape(u.data)).toEqual(shape(data));
  });

  it('groups into a composite that validates, with crossing transitions kept on the outside', () => {
    const doc = example('parallel-fanout');
    const g = groupBlocks(fromDocument(doc), new Set(['pros', 'cons', 'facts']));
    if ('error' in g) throw new Error(g.error);
    const grouped = { ...doc, blocks: g.data.blocks, transitions: g.data.transitions } as GraphDocument;
    expect(g.data.transitions.filter((t) => t.to === g.id).map((t) => t.id)).toEqual(['t1', 't2', 't3']);
    const errors = validate(grouped).filter((d) => d.severity === 'error');
    // The vars the moved blocks assign come along, so the nested graph compiles.
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it('refuses input and output blocks, and ungrouping when ids clash', () => {
    const data = fromDocument(example('parallel-fanout'));
    expect(groupBlocks(data, new Set(['input', 'pros']))).toMatchObject({
      error: expect.stringMatching(/Input and output/),
    });
    expect(groupBlocks(data, new Set())).toMatchObject({ error: expect.stringMatching(/Select/) });
    const g = groupBlocks(data, new Set(['pros']));
    if ('error' in g) throw new Error(g.error);
    const clashing = {
      ...g.data,
      blocks: [...g.data.blocks, { ...(data.blocks[1] as GraphData['blocks'][number]) }],
    };
    expect(ungroupBlock(clashing, g.id)).toMatchObject({ error: expect.stringMatching(/also used outside/) });
  });

  it('moves the blocks by as much as the composite was moved', () => {
    const data = fromDocument(example('parallel-fanout'));
    const g = groupBlocks(data, new Set(['pros', 'cons']));
    if ('error' in g) throw new Error(g.error);
    const comp = g.data.blocks.find((b) => b.id === g.id);
    const p = comp?.position ?? { x: 0, y: 0 };
    const movedData = {
      ...g.data,
      blocks: g.data.blocks.map((b) =>
        b.id === g.id ? { ...b, position: { x: p.x + 100, y: p.y + 50 } } : b,
      ),
    };
    const u = ungroupBlock(movedData, g.id);
    if ('error' in u) throw new Error(u.error);
    const before = data.blocks.find((b) => b.id === 'pros')?.position;
    const after = u.data.blocks.find((b) => b.id === 'pros')?.position;
    expect(after).toEqual({ x: (before?.x ?? 0) + 100, y: (before?.y ?? 0) + 50 });
  });
});

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
    expect(
      store
        .getState()
        .diagnosticsByBlock.get('refine')
        ?.map((d) => d.message),
    ).toEqual(['inside']);
    expect(
      store
        .getState()
        .diagnosticsByBlock.get('input')
        ?.map((d) => d.message),
    ).toEqual(['top']);
    a.openComposite('refine');
    expect(
      store
        .getState()
        .diagnosticsByBlock.get('input')
        ?.map((d) => d.message),
    ).toEqual(['inside']);
    a.closeScopes(0);
    expect(
      store
        .getState()
        .diagnosticsByBlock.get('input')
        ?.map((d) => d.message),
    ).toEqual(['top']);
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
