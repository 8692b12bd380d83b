import type { RunEvent } from '@graphwright/shared';
import { describe, expect, it } from 'vitest';
import { compareRuns, stableJson } from './compare';
import { foldRun } from './run-state';

function run(id: string, output: unknown, extra = false): RunEvent[] {
  const e = (seq: number, x: object) =>
    ({ runId: id, seq, at: seq * 10, path: [], ...x }) as unknown as RunEvent;
  const list = [
    e(0, { type: 'run_started', graphHash: '', graphName: 'G', input: {} }),
    e(1, {
      type: 'block_started',
      blockId: 'w',
      blockName: 'W',
      blockType: 'llm',
      blockVersion: 'v',
      visit: 1,
    }),
    e(2, { type: 'block_finished', blockId: 'w', output, durationMs: 20 }),
  ];
  if (extra)
    list.push(
      e(3, {
        type: 'block_started',
        blockId: 'x',
        blockName: 'X',
        blockType: 'llm',
        blockVersion: 'v',
        visit: 1,
      }),
    );
  return list;
}

describe('compare runs', () => {
  it('lines up blocks of both runs and flags outputs that differ', () => {
    const rows = compareRuns(
      foldRun('a', run('a', { k: 1, j: 2 })),
      foldRun('b', run('b', { j: 2, k: 1 }, true)),
    );
    expect(rows.map((r) => [r.key, r.outputDiffers, r.a?.status, r.b?.status])).toEqual([
      ['w', false, 'done', 'done'],
      ['x', false, undefined, 'running'],
    ]);
    const other = compareRuns(foldRun('a', run('a', 'one')), foldRun('b', run('b', 'two')));
    expect(other[0]?.outputDiffers).toBe(true);
    expect(other[0]?.a?.durationMs).toBe(20);
  });

  it('ignores key order', () => {
    expect(stableJson({ b: 1, a: { d: 1, c: 2 } })).toBe('{"a":{"c":2,"d":1},"b":1}');
  });
});
