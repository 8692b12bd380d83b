import { type GraphDocument, validate } from '@graphwright/shared';
import { describe, expect, it } from 'vitest';
import { parseClipboard, serializeClipboard } from './clipboard';
import { templateVariables } from './graph-queries';
import { createEditorStore, isDirty } from './store';

const doc: GraphDocument = {
  schemaVersion: 1,
  name: 'Test',
  vars: { notes: { reducer: 'append' } },
  blocks: [
    {
      id: 'input',
      name: 'In',
      type: 'input',
      position: { x: 0, y: 0 },
      fields: [{ name: 'topic', type: 'string' }],
    },
    {
      id: 'write',
      name: 'Write',
      type: 'llm',
      provider: 'simulated',
      model: 'sim-fast',
      messages: [{ role: 'user', content: 'About {{input.topic}}' }],
      outputSchema: { type: 'object', properties: { title: { type: 'string' } } },
      position: { x: 200, y: 0 },
    },
    {
      id: 'edit',
      name: 'Edit',
      type: 'llm',
      provider: 'simulated',
      model: 'sim-fast',
      messages: [{ role: 'user', content: 'Edit {{out.write.title}}' }],
      position: { x: 400, y: 0 },
    },
    { id: 'output', name: 'Out', type: 'output', position: { x: 600, y: 0 } },
  ],
  transitions: [
    { id: 't1', from: 'input', to: 'write' },
    { id: 't2', from: 'write', to: 'edit' },
    { id: 't3', from: 'edit', to: 'output' },
  ],
};

function setup() {
  let t = 0;
  const store = createEditorStore({ doc, saved: true, now: () => t });
  return { store, a: store.getState().actions, tick: (ms: number) => (t += ms) };
}

describe('editor store', () => {
  it('adds a block with a free id and selects it', () => {
    const { store, a } = setup();
    const id = a.addBlock('llm', { x: 10, y: 20 });
    const id2 = a.addBlock('llm', { x: 10, y: 20 });
    expect([id, id2]).toEqual(['llm', 'llm_2']);
    expect(store.getState().blockLookup.get('llm_2')?.name).toBe('LLM 4');
    expect([...store.getState().selectedBlocks]).toEqual(['llm_2']);
    expect(validate(a.document()).filter((d) => d.code === 'schema')).toEqual([]);
  });

  it('tracks dirtiness against the saved snapshot, and undo back to it is clean', () => {
    const { store, a } = setup();
    expect(isDirty(store.getState())).toBe(false);
    a.connect('input', 'output');
    expect(isDirty(store.getState())).toBe(true);
    a.undo();
    expect(isDirty(store.getState())).toBe(false);
    a.redo();
    a.markSaved();
    expect(isDirty(store.getState())).toBe(false);
  });

  it('undoes and redoes every kind of edit', () => {
    const { store, a } = setup();
    const original = a.document();
    a.addBlock('transform', { x: 0, y: 100 });
    const tid = a.connect('write', 'transform') as string;
    a.reconnect(tid, 'edit', 'transform');
    a.moveBlocks([{ id: 'write', position: { x: 1, y: 2 } }]);
    a.removeElements(['edit'], []);
    const end = a.document();
    expect(end.blocks.map((b) => b.id)).toEqual(['input', 'write', 'output', 'transform']);
    expect(end.transitions.map((t) => t.id)).toEqual(['t1']);
    for (let i = 0; i < 5; i++) a.undo();
    expect(a.document()).toEqual(original);
    a.undo();
    expect(a.document()).toEqual(original);
    for (let i = 0; i < 5; i++) a.redo();
    expect(a.document()).toEqual(end);
    expect(store.getState().future).toHaveLength(0);
  });

  it('merges consecutive edits with one coalesce key into one undo step, until ended or idle', () => {
    const { store, a, tick } = setup();
    const block = () => store.getState().blockLookup.get('write');
    for (const name of ['W', 'Wr', 'Wri']) {
      const b = block();
      if (b)
        a.apply([{ type: 'block.replace', id: 'write', block: { ...b, name } }], { coalesce: 'write.name' });
      tick(100);
    }
    expect(store.getState().past).toHaveLength(1);
    tick(5_000);
    const b = block();
    if (b)
      a.apply([{ type: 'block.replace', id: 'write', block: { ...b, name: 'Writer' } }], {
        coalesce: 'write.name',
      });
    expect(store.getState().past).toHaveLength(2);
    a.undo();
    expect(block()?.name).toBe('Wri');
    a.undo();
    expect(block()?.name).toBe('Write');
  });

  it('merges a drag into one undo step and ends it on endCoalescing', () => {
    const { store, a } = setup();
    for (let x = 0; x < 20; x++) a.moveBlocks([{ id: 'edit', position: { x, y: 0 } }]);
    a.endCoalescing();
    a.moveBlocks([{ id: 'edit', position: { x: 99, y: 0 } }]);
    expect(store.getState().past).toHaveLength(2);
    a.undo();
    expect(store.getState().blockLookup.get('edit')?.position).toEqual({ x: 19, y: 0 });
    a.undo();
    expect(store.getState().blockLookup.get('edit')?.position).toEqual({ x: 400, y: 0 });
  });

  it('a new edit after undo clears the redo stack', () => {
    const { store, a } = setup();
    a.connect('input', 'output');
    a.undo();
    expect(store.getState().future).toHaveLength(1);
    a.moveBlocks([{ id: 'input', position: { x: 5, y: 5 } }]);
    expect(store.getState().future).toHaveLength(0);
  });

  it('prunes the selection of elements an undo removes', () => {
    const { store, a } = setup();
    const id = a.addBlock('output', { x: 0, y: 0 });
    expect(store.getState().selectedBlocks.has(id)).toBe(true);
    a.undo();
    expect(store.getState().selectedBlocks.size).toBe(0);
  });

  it('renames a block id and every reference to it', () => {
    const { store, a } = setup();
    a.setSelection({ blocks: ['write'] });
    expect(a.renameBlock('write', 'draft')).toBe(true);
    const s = store.getState();
    expect(s.blockLookup.has('draft')).toBe(true);
    const edit = s.blockLookup.get('edit');
    expect(edit?.type === 'llm' && edit.messages[0]?.content).toBe('Edit {{out.draft.title}}');
    expect(s.transitions.map((t) => `${t.from}->${t.to}`)).toEqual([
      'input->draft',
      'draft->edit',
      'edit->output',
    ]);
    expect(s.selectedBlocks.has('draft')).toBe(true);
    expect(a.renameBlock('draft', 'edit')).toBe(false);
    expect(a.renameBlock('draft', '9bad')).toBe(false);
    expect(validate(a.document()).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('copies the selection with its inner transitions and pastes it with fresh ids and references', () => {
    const { store, a } = setup();
    a.setSelection({ blocks: ['write', 'edit'] });
    const payload = a.copySelection();
    expect(payload?.blocks.map((b) => b.id)).toEqual(['write', 'edit']);
    expect(payload?.transitions.map((t) => t.id)).toEqual(['t2']);
    const parsed = parseClipboard(serializeClipboard(payload as NonNullable<typeof payload>));
    if (!parsed.ok) throw new Error(parsed.message);
    const ids = a.paste(parsed.payload, { x: 0, y: 200 });
    expect(ids).toEqual(['write_2', 'edit_2']);
    const s = store.getState();
    const pastedEdit = s.blockLookup.get('edit_2');
    expect(pastedEdit?.type === 'llm' && pastedEdit.messages[0]?.content).toBe('Edit {{out.write_2.title}}');
    expect(pastedEdit?.position).toEqual({ x: 400, y: 200 });
    const pastedT = s.transitions.find((t) => t.from === 'write_2');
    expect(pastedT).toMatchObject({ to: 'edit_2' });
    expect(pastedT?.id).not.toBe('t2');
    expect([...s.selectedBlocks]).toEqual(['write_2', 'edit_2']);
    a.undo();
    expect(store.getState().blocks).toHaveLength(4);
  });

  it('pastes into an empty graph keeping ids, and rejects clipboard text that is not blocks', () => {
    const { a } = setup();
    a.setSelection({ blocks: ['write'] });
    const payload = a.copySelection();
    const other = createEditorStore();
    if (payload) other.getState().actions.paste(payload, { x: 0, y: 0 });
    expect(other.getState().blocks.map((b) => b.id)).toEqual(['write']);
    expect(parseClipboard('hello').ok).toBe(false);
    expect(parseClipboard('{"blocks":[{"id":"x","type":"nope"}]}').ok).toBe(false);
    expect(parseClipboard('{"id":"x","name":"X","type":"output"}').ok).toBe(true);
  });

  it('duplicates and deletes the selection as single undo steps', () => {
    const { store, a } = setup();
    a.setSelection({ blocks: ['edit'] });
    expect(a.duplicateSelection()).toEqual(['edit_2']);
    a.deleteSelection();
    expect(store.getState().blockLookup.has('edit_2')).toBe(false);
    a.undo();
    expect(store.getState().blockLookup.has('edit_2')).toBe(true);
  });

  it('keeps run status outside the document and the history', () => {
    const { store, a } = setup();
    a.setStatus('write', 'running');
    expect(store.getState().status.get('write')).toBe('running');
    expect(store.getState().past).toHaveLength(0);
    expect(isDirty(store.getState())).toBe(false);
    a.setStatus('write', 'idle');
    expect(store.getState().status.has('write')).toBe(false);
  });

  it('indexes diagnostics by element and keeps unchanged lists by identity', () => {
    const { store, a } = setup();
    a.addBlock('transform', { x: 0, y: 300 });
    a.setDiagnostics(validate(a.document()));
    const before = store.getState();
    expect(before.diagnosticsByBlock.get('transform')?.map((d) => d.code)).toEqual(['unreachable_block']);
    a.setDiagnostics(validate(a.document()));
    expect(store.getState().diagnosticsByBlock).toBe(before.diagnosticsByBlock);
    a.connect('input', 'transform');
    a.setDiagnostics(validate(a.document()));
    expect(store.getState().diagnosticsByBlock.get('transform')).toBeUndefined();
  });

  it('suggests template variables from the input, upstream blocks and vars', () => {
    const { store } = setup();
    const paths = templateVariables(store.getState(), 'edit').map((v) => v.path);
    expect(paths).toEqual(['input.topic', 'out.write', 'out.write.title', 'vars.notes']);
    expect(templateVariables(store.getState(), 'write').map((v) => v.path)).toEqual([
      'input.topic',
      'vars.notes',
    ]);
  });
});
