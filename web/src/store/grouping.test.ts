import { type GraphDocument, validate } from '@graphwright/shared';
import { describe, expect, it } from 'vitest';
import classifyAndRoute from '../../../examples/classify-and-route.json';
import compositeRefine from '../../../examples/composite-refine.json';
import parallelFanout from '../../../examples/parallel-fanout.json';
import { fromDocument } from './changes';
import { groupBlocks, ungroupBlock } from './grouping';
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
    ['classify-and-route', ['classify']],
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

  it('passes outputs of blocks left outside into the group through its input mapping', () => {
    const doc = example('classify-and-route');
    const g = groupBlocks(fromDocument(doc), new Set(['billing', 'bug', 'general']));
    if ('error' in g) throw new Error(g.error);
    const comp = g.data.blocks.find((b) => b.id === g.id);
    if (comp?.type !== 'composite') throw new Error('no composite');
    // `bug` read out.classify, which stays outside; every moved block reads input.ticket.
    expect(comp.inputMap).toEqual({ ticket: 'input.ticket', out_classify: 'out.classify' });
    const bug = comp.graph.blocks.find((b) => b.id === 'bug');
    expect(bug?.type === 'llm' && bug.messages[0]?.content).toContain('{{input.out_classify.confidence}}');
    const grouped = { ...doc, blocks: g.data.blocks, transitions: g.data.transitions } as GraphDocument;
    expect(validate(grouped).filter((d) => d.severity === 'error')).toEqual([]);
    // Ungrouping reads the outer output again.
    const u = ungroupBlock(g.data, g.id);
    if ('error' in u) throw new Error(u.error);
    const back = u.data.blocks.find((b) => b.id === 'bug');
    expect(back?.type === 'llm' && back.messages[0]?.content).toContain('{{out.classify.confidence}}');
  });

  it('what outside read of the one block leading out of the group reads the composite instead', () => {
    const doc = example('classify-and-route');
    const g = groupBlocks(fromDocument(doc), new Set(['classify']));
    if ('error' in g) throw new Error(g.error);
    const when = Object.fromEntries(g.data.transitions.map((t) => [t.id, t.when]));
    expect(when.t_billing).toBe(`out.${g.id}.label == "billing" && out.${g.id}.confidence > 0.5`);
    const bug = g.data.blocks.find((b) => b.id === 'bug');
    expect(bug?.type === 'llm' && bug.messages[0]?.content).toContain(`{{out.${g.id}.confidence}}`);
    const grouped = { ...doc, blocks: g.data.blocks, transitions: g.data.transitions } as GraphDocument;
    expect(validate(grouped).filter((d) => d.severity === 'error')).toEqual([]);
    const u = ungroupBlock(g.data, g.id);
    if ('error' in u) throw new Error(u.error);
    expect(shape(u.data)).toEqual(shape(fromDocument(doc)));
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
