import type { Block, GraphDocument } from '@graphwright/shared';
import { describe, expect, it } from 'vitest';
import { applyGraphChanges, fromDocument, indexGraph, toDocument } from './changes';
import { rewriteOutRefs } from './refs';

const doc: GraphDocument = {
  schemaVersion: 1,
  name: 'Test',
  blocks: [
    { id: 'input', name: 'In', type: 'input', position: { x: 0, y: 0 } },
    { id: 'a', name: 'A', type: 'transform', expr: 'input', position: { x: 100, y: 0 } },
    { id: 'b', name: 'B', type: 'transform', expr: 'out.a', position: { x: 200, y: 0 } },
    { id: 'output', name: 'Out', type: 'output', position: { x: 300, y: 0 } },
  ],
  transitions: [
    { id: 't1', from: 'input', to: 'a' },
    { id: 't2', from: 'a', to: 'b', when: 'out.a > 1.0' },
    { id: 't3', from: 'a', to: 'output', else: true },
    { id: 't4', from: 'b', to: 'output' },
  ],
};

describe('applyGraphChanges', () => {
  it('returns the same object when nothing changes', () => {
    const data = fromDocument(doc);
    expect(applyGraphChanges(data, [])).toBe(data);
    expect(applyGraphChanges(data, [{ type: 'block.move', id: 'a', position: { x: 100, y: 0 } }])).toBe(data);
    expect(applyGraphChanges(data, [{ type: 'block.remove', id: 'nope' }])).toBe(data);
  });

  it('moves a block and keeps every other block and the transitions by identity', () => {
    const data = fromDocument(doc);
    const next = applyGraphChanges(data, [{ type: 'block.move', id: 'a', position: { x: 5, y: 6 } }]);
    expect(next.blocks[1]?.position).toEqual({ x: 5, y: 6 });
    expect(next.blocks[0]).toBe(data.blocks[0]);
    expect(next.blocks[2]).toBe(data.blocks[2]);
    expect(next.transitions).toBe(data.transitions);
    expect(next.meta).toBe(data.meta);
    expect(data.blocks[1]?.position).toEqual({ x: 100, y: 0 });
  });

  it('removes a block together with the transitions attached to it', () => {
    const next = applyGraphChanges(fromDocument(doc), [{ type: 'block.remove', id: 'a' }]);
    expect(next.blocks.map((b) => b.id)).toEqual(['input', 'b', 'output']);
    expect(next.transitions.map((t) => t.id)).toEqual(['t4']);
  });

  it('makes transitions follow a block whose id is replaced', () => {
    const data = fromDocument(doc);
    const a = data.blocks[1] as Block;
    const next = applyGraphChanges(data, [{ type: 'block.replace', id: 'a', block: { ...a, id: 'alpha' } }]);
    expect(next.transitions.map((t) => `${t.from}->${t.to}`)).toEqual([
      'input->alpha',
      'alpha->b',
      'alpha->output',
      'b->output',
    ]);
    expect(next.transitions[3]).toBe(data.transitions[3]);
  });

  it('adds, replaces and removes transitions', () => {
    let data = fromDocument(doc);
    data = applyGraphChanges(data, [
      { type: 'transition.add', transition: { id: 't5', from: 'input', to: 'b' } },
    ]);
    data = applyGraphChanges(data, [
      { type: 'transition.replace', id: 't5', transition: { id: 't5', from: 'input', to: 'output' } },
      { type: 'transition.remove', id: 't1' },
    ]);
    expect(data.transitions.map((t) => `${t.id}:${t.from}->${t.to}`)).toEqual([
      't2:a->b',
      't3:a->output',
      't4:b->output',
      't5:input->output',
    ]);
  });

  it('reorders a transition among those leaving the same block only', () => {
    const data = fromDocument(doc);
    const next = applyGraphChanges(data, [{ type: 'transition.reorder', id: 't3', toIndex: 0 }]);
    expect(next.transitions.map((t) => t.id)).toEqual(['t1', 't3', 't2', 't4']);
    expect(applyGraphChanges(data, [{ type: 'transition.reorder', id: 't2', toIndex: 0 }])).toBe(data);
  });

  it('sets meta and replaces the whole document', () => {
    const data = fromDocument(doc);
    const renamed = applyGraphChanges(data, [{ type: 'meta.set', meta: { ...data.meta, name: 'Renamed' } }]);
    expect(toDocument(renamed).name).toBe('Renamed');
    expect(renamed.blocks).toBe(data.blocks);
    const replaced = applyGraphChanges(data, [
      { type: 'document.replace', doc: { schemaVersion: 1, name: 'Empty', blocks: [], transitions: [] } },
    ]);
    expect(toDocument(replaced)).toEqual({ schemaVersion: 1, name: 'Empty', blocks: [], transitions: [] });
  });

  it('round-trips a document', () => {
    expect(toDocument(fromDocument(doc))).toEqual(doc);
  });
});

describe('indexGraph', () => {
  it('builds lookups and keeps per-block transition lists that did not change', () => {
    const data = fromDocument(doc);
    const index = indexGraph(data);
    expect(index.blockLookup.get('b')?.name).toBe('B');
    expect(index.outgoing.get('a')?.map((t) => t.id)).toEqual(['t2', 't3']);
    expect(index.incoming.get('output')?.map((t) => t.id)).toEqual(['t3', 't4']);
    const next = applyGraphChanges(data, [{ type: 'transition.remove', id: 't4' }]);
    const nextIndex = indexGraph(next, { ...data, ...index });
    expect(nextIndex.outgoing.get('a')).toBe(index.outgoing.get('a'));
    expect(nextIndex.outgoing.get('b')).toBeUndefined();
    expect(nextIndex.incoming.get('output')).not.toBe(index.incoming.get('output'));
  });
});

describe('rewriteOutRefs', () => {
  it('renames out.<id> references only where the id matches exactly', () => {
    const ids = new Map([['a', 'alpha']]);
    expect(rewriteOutRefs('{{out.a}} {{out.ab}} {{ out.a.x }} x.out.a', ids)).toBe(
      '{{out.alpha}} {{out.ab}} {{ out.alpha.x }} x.out.a',
    );
    expect(rewriteOutRefs('has(out.a) && out.a.n > 1.0', ids)).toBe('has(out.alpha) && out.alpha.n > 1.0');
  });
});
