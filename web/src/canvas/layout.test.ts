import type { Block } from '@graphwright/shared';
import { describe, expect, it } from 'vitest';
import parallelFanout from '../../../examples/parallel-fanout.json';
import { autoLayout } from './layout';

describe('autoLayout', () => {
  it('places every block, left to right along the transitions, with no two nodes overlapping', async () => {
    const doc = parallelFanout as unknown as {
      blocks: Block[];
      transitions: { id: string; from: string; to: string }[];
    };
    const size = { width: 220, height: 130 };
    const measured = new Map(doc.blocks.map((b) => [b.id, size]));
    const pos = await autoLayout(doc.blocks, doc.transitions, measured);
    expect([...pos.keys()].sort()).toEqual(doc.blocks.map((b) => b.id).sort());
    const boxes = [...pos.values()];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i] as { x: number; y: number };
        const b = boxes[j] as { x: number; y: number };
        const apart =
          a.x + size.width <= b.x ||
          b.x + size.width <= a.x ||
          a.y + size.height <= b.y ||
          b.y + size.height <= a.y;
        expect(apart).toBe(true);
      }
    for (const t of doc.transitions) expect(pos.get(t.from)?.x).toBeLessThan(pos.get(t.to)?.x as number);
  });
});
