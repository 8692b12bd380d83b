import type { Block, Transition } from '@graphwright/shared';
import { describe, expect, it } from 'vitest';
import { createFlowModelCache, deriveEdges, deriveNodes } from './flow-model';

const blocks: Block[] = [
  { id: 'input', name: 'In', type: 'input', position: { x: 0, y: 0 } },
  { id: 'a', name: 'A', type: 'transform', expr: 'input' },
  { id: 'output', name: 'Out', type: 'output', position: { x: 400, y: 0 } },
];
const transitions: Transition[] = [
  { id: 't1', from: 'input', to: 'a' },
  { id: 't2', from: 'a', to: 'output' },
  { id: 'dangling', from: 'a', to: 'nowhere' },
];

describe('flow model', () => {
  it('rebuilds only the node objects whose block, selection or size changed', () => {
    const cache = createFlowModelCache();
    const none = new Set<string>();
    const sizes = new Map();
    const first = deriveNodes(blocks, none, sizes, cache);
    expect(first.map((n) => n.type)).toEqual(['gw-input', 'gw-transform', 'gw-output']);
    expect(first[1]?.position).toEqual({ x: 280, y: 0 }); // no stored position: a grid slot
    const moved: Block[] = [
      blocks[0] as Block,
      { ...(blocks[1] as Block), position: { x: 5, y: 5 } },
      blocks[2] as Block,
    ];
    const second = deriveNodes(moved, none, sizes, cache);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[2]).toBe(first[2]);
    const selected = deriveNodes(moved, new Set(['output']), sizes, cache);
    expect(selected[2]?.selected).toBe(true);
    expect(selected[0]).toBe(first[0]);
    const measured = deriveNodes(
      moved,
      new Set(['output']),
      new Map([['input', { width: 220, height: 80 }]]),
      cache,
    );
    expect(measured[0]?.measured).toEqual({ width: 220, height: 80 });
    expect(measured[2]).toBe(selected[2]);
  });

  it('draws only transitions between existing blocks, and keeps unchanged edge objects', () => {
    const cache = createFlowModelCache();
    const exists = (id: string) => blocks.some((b) => b.id === id);
    const first = deriveEdges(transitions, exists, new Set(), cache);
    expect(first.map((e) => e.id)).toEqual(['t1', 't2']);
    const second = deriveEdges(transitions, exists, new Set(['t2']), cache);
    expect(second[0]).toBe(first[0]);
    expect(second[1]?.selected).toBe(true);
  });
});
