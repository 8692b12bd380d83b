import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BlockPath } from '../engine/events';
import type { CompiledGraph } from '../graph/compiled';
import type { Block, Transition } from '../graph/schema';
import { compile } from '../graph/validate';
import type { BranchCounts } from './flow';
import { estimateGraph, scopedId } from './graph';
import type { BlockEstimate } from './types';

const llm = (id: string, extra: Partial<Block> = {}): Block =>
  ({
    id,
    name: id,
    type: 'llm',
    provider: 'simulated',
    model: 'sim-fast',
    messages: [{ role: 'user', content: `do ${id}` }],
    ...extra,
  }) as Block;
const input: Block = { id: 'input', name: 'In', type: 'input' };
const output: Block = { id: 'output', name: 'Out', type: 'output' };
const tr = (id: string, from: string, to: string, extra: Partial<Transition> = {}): Transition => ({
  id,
  from,
  to,
  ...extra,
});
const build = (blocks: Block[], transitions: Transition[]): CompiledGraph =>
  compile({ schemaVersion: 1, name: 'test', blocks, transitions });

function est(mean: number, p50: number, p95: number, cost: number | null, successRate = 1): BlockEstimate {
  return {
    samples: 100,
    latencyMeanMs: mean,
    latencyStdMs: 0,
    latencyP50Ms: p50,
    latencyP95Ms: p95,
    latencyP99Ms: p95,
    costMeanUsd: cost,
    costStdUsd: 0,
    tokensInMean: 0,
    tokensOutMean: 0,
    successRate,
    attemptsPerVisit: 1,
  };
}

/** Branch counts keyed by scope, from, to and the compiled condition hash of transition `id`. */
function counts(
  g: CompiledGraph,
  taken: Record<string, number>,
  finished: Record<string, number>,
): BranchCounts {
  const byKey = new Map<string, number>();
  const walk = (cg: CompiledGraph, path: string[]): void => {
    for (const t of cg.transitions) {
      const from = cg.blocks[t.from]?.id as string;
      const to = cg.blocks[t.to]?.id as string;
      const n = taken[scopedId(path, t.id)];
      if (n !== undefined) byKey.set([path.join('/'), from, to, t.conditionHash].join('|'), n);
    }
    for (const b of cg.blocks) if (b.type === 'composite') walk(b.child, [...path, b.id]);
  };
  walk(g, []);
  return {
    taken: (path: BlockPath, from, to, hash) => byKey.get([path.join('/'), from, to, hash].join('|')) ?? 0,
    finished: (path: BlockPath, id) => finished[scopedId(path, id)] ?? 0,
  };
}

const lookups = (ests: Record<string, BlockEstimate>, branches?: BranchCounts) => ({
  block: (b: { id: string }, path: BlockPath) => ests[scopedId(path, b.id)],
  branches,
});

describe('estimateGraph on hand-computed cases', () => {
  it('a 30/70 branch weighs each side by how often it was taken', () => {
    const g = build(
      [input, llm('classify'), llm('a'), llm('b'), output],
      [
        tr('t0', 'input', 'classify'),
        tr('ta', 'classify', 'a', { when: 'out.classify == "a"' }),
        tr('tb', 'classify', 'b', { else: true }),
        tr('ao', 'a', 'output'),
        tr('bo', 'b', 'output'),
      ],
    );
    const r = estimateGraph(
      g,
      lookups(
        {
          classify: est(100, 90, 200, 0.001),
          a: est(1_000, 900, 2_000, 0.01),
          b: est(200, 180, 400, 0.002),
        },
        counts(g, { ta: 30, tb: 70 }, { classify: 100 }),
      ),
    );
    // 0.001 + 0.3·0.01 + 0.7·0.002
    expect(r.totals.costUsd).toBeCloseTo(0.0054, 12);
    expect(r.totals.latencyMeanMs).toBeCloseTo(100 + 0.3 * 1_000 + 0.7 * 200, 9);
    expect(r.totals.latencyP50Ms).toBeCloseTo(90 + 0.3 * 900 + 0.7 * 180, 9);
    expect(r.totals.latencyP95Ms).toBeCloseTo(200 + 0.3 * 2_000 + 0.7 * 400, 9);
    // Side a contributes 0.3·900 = 270 ms against b's 0.7·180 = 126 ms.
    expect(r.totals.criticalPath).toEqual(['input', 'classify', 'a', 'output']);
    const by = new Map(r.blocks.map((b) => [b.blockId, b]));
    expect(by.get('a')?.visits).toBeCloseTo(0.3, 12);
    expect(by.get('b')?.visits).toBeCloseTo(0.7, 12);
    expect(by.get('output')?.visits).toBeCloseTo(1, 12);
    expect(by.get('classify')?.branchSamples).toBe(100);
    expect(r.totals.costComplete).toBe(true);
    expect(r.totals.samples).toBe(100);
  });

  it('a 3-way fan-out joined with join "all" takes the slowest branch (by p50 and by p95)', () => {
    const g = build(
      [{ ...input, routing: 'all' }, llm('a'), llm('b'), llm('c'), llm('j', { join: 'all' }), output],
      [
        tr('t1', 'input', 'a'),
        tr('t2', 'input', 'b'),
        tr('t3', 'input', 'c'),
        tr('t4', 'a', 'j'),
        tr('t5', 'b', 'j'),
        tr('t6', 'c', 'j'),
        tr('t7', 'j', 'output'),
      ],
    );
    const r = estimateGraph(
      g,
      lookups({
        a: est(300, 300, 500, 0.001),
        b: est(500, 500, 600, 0.002),
        c: est(400, 400, 900, 0.003),
        j: est(100, 100, 150, 0.004),
      }),
    );
    expect(r.totals.costUsd).toBeCloseTo(0.01, 12);
    expect(r.blocks.find((b) => b.blockId === 'j')?.visits).toBeCloseTo(1, 12);
    expect(r.totals.latencyP50Ms).toBeCloseTo(500 + 100, 9);
    expect(r.totals.latencyP95Ms).toBeCloseTo(900 + 150, 9);
    expect(r.totals.criticalPath).toEqual(['input', 'b', 'j', 'output']);
    expect(r.totals.criticalPathP95).toEqual(['input', 'c', 'j', 'output']);
  });

  it('a composite counts its inner graph, and its inner blocks appear with scoped ids', () => {
    const inner = {
      blocks: [input, llm('x'), llm('y'), output],
      transitions: [tr('c1', 'input', 'x'), tr('c2', 'x', 'y'), tr('c3', 'y', 'output')],
    };
    const g = build(
      [input, llm('pre'), { id: 'comp', name: 'Comp', type: 'composite', graph: inner } as Block, output],
      [tr('t1', 'input', 'pre'), tr('t2', 'pre', 'comp'), tr('t3', 'comp', 'output')],
    );
    const r = estimateGraph(
      g,
      lookups({
        pre: est(50, 40, 80, 0.0005),
        'comp/x': est(200, 150, 400, 0.002),
        'comp/y': est(300, 250, 500, 0.003),
      }),
    );
    expect(r.totals.costUsd).toBeCloseTo(0.0055, 12);
    expect(r.totals.latencyMeanMs).toBeCloseTo(550, 9);
    expect(r.totals.latencyP95Ms).toBeCloseTo(80 + 400 + 500, 9);
    expect(r.totals.criticalPath).toEqual([
      'input',
      'pre',
      'comp',
      'comp/input',
      'comp/x',
      'comp/y',
      'comp/output',
      'output',
    ]);
    const comp = r.blocks.find((b) => b.scopedId === 'comp');
    expect(comp?.costPerVisitUsd).toBeCloseTo(0.005, 12);
    expect(r.blocks.find((b) => b.scopedId === 'comp/x')?.visits).toBeCloseTo(1, 12);
  });

  it('a loop that averages 2.5 iterations multiplies what it contains', () => {
    const g = build(
      [input, llm('draft'), llm('check'), output],
      [
        tr('t1', 'input', 'draft'),
        tr('t2', 'draft', 'check'),
        tr('again', 'check', 'draft', { when: 'out.check == "no"' }),
        tr('done', 'check', 'output', { else: true }),
      ],
    );
    // 100 runs, 250 checks: 150 went round again, 100 left.
    const r = estimateGraph(
      g,
      lookups(
        { draft: est(100, 80, 200, 0.01), check: est(50, 40, 90, 0.001) },
        counts(g, { again: 150, done: 100 }, { check: 250 }),
      ),
    );
    const by = new Map(r.blocks.map((b) => [b.blockId, b]));
    expect(by.get('draft')?.visits).toBeCloseTo(2.5, 9);
    expect(by.get('check')?.visits).toBeCloseTo(2.5, 9);
    expect(by.get('output')?.visits).toBeCloseTo(1, 9);
    expect(r.totals.costUsd).toBeCloseTo(2.5 * 0.011, 12);
    expect(r.totals.latencyMeanMs).toBeCloseTo(2.5 * 150, 9);
    expect(r.totals.latencyP95Ms).toBeCloseTo(2.5 * 290, 9);
    expect(r.totals.criticalPath).toEqual(['input', 'draft', 'check', 'output']);
  });

  it('a composite in a self-loop (the composite-refine example) at 2.5 rounds scales its inside', () => {
    const doc = JSON.parse(
      readFileSync(new URL('../../../examples/composite-refine.json', import.meta.url), 'utf8'),
    );
    const g = compile(doc);
    const r = estimateGraph(
      g,
      lookups(
        { 'refine/draft': est(400, 400, 800, 0.004), 'refine/critique': est(100, 100, 200, 0.001) },
        counts(g, { t_done: 100, t_again: 150 }, { refine: 250 }),
      ),
    );
    const by = new Map(r.blocks.map((b) => [b.scopedId, b]));
    expect(by.get('refine')?.visits).toBeCloseTo(2.5, 9);
    expect(by.get('refine/draft')?.visits).toBeCloseTo(2.5, 9);
    expect(by.get('refine/draft')?.costUsd).toBeCloseTo(0.01, 12);
    expect(r.totals.costUsd).toBeCloseTo(2.5 * 0.005, 12);
    expect(r.totals.latencyMeanMs).toBeCloseTo(2.5 * 500, 9);
  });

  it('a 20% failure rate costs retries and backoff (retry-aware cost and latency)', () => {
    const g = build(
      [
        input,
        llm('ask', { recovery: { retry: { maxAttempts: 3, baseDelayMs: 500, multiplier: 2 } } }),
        output,
      ],
      [tr('t1', 'input', 'ask'), tr('t2', 'ask', 'output')],
    );
    const r = estimateGraph(g, lookups({ ask: est(1_000, 900, 2_000, 0.01, 0.8) }));
    const ask = r.blocks.find((b) => b.blockId === 'ask');
    // Attempts: 1 + 0.2 + 0.04; waits: 0.2·500 + 0.04·1000.
    expect(ask?.attemptsPerVisit).toBeCloseTo(1.24, 12);
    expect(ask?.costPerVisitUsd).toBeCloseTo(0.0124, 12);
    expect(ask?.latencyMeanMs).toBeCloseTo(1_240 + 140, 9);
    expect(ask?.latencyP50Ms).toBeCloseTo(1_116 + 140, 9);
    expect(ask?.success).toBeCloseTo(1 - 0.2 ** 3, 12);
    expect(r.totals.costUsd).toBeCloseTo(0.0124, 12);
    expect(r.totals.successRate).toBeCloseTo(0.992, 12);
    expect(r.blocks.find((b) => b.blockId === 'output')?.visits).toBeCloseTo(0.992, 12);
  });

  it('without history: the prior splits branches evenly and the totals say what is missing', () => {
    const g = build(
      [input, llm('classify'), llm('a'), llm('b'), output],
      [
        tr('t0', 'input', 'classify'),
        tr('ta', 'classify', 'a', { when: 'out.classify == "a"' }),
        tr('tb', 'classify', 'b', { else: true }),
        tr('ao', 'a', 'output'),
        tr('bo', 'b', 'output'),
      ],
    );
    const r = estimateGraph(g, lookups({ classify: est(100, 100, 100, 0.001), a: est(100, 100, 100, null) }));
    const by = new Map(r.blocks.map((b) => [b.blockId, b]));
    expect(by.get('a')?.visits).toBeCloseTo(0.5, 12);
    expect(by.get('a')?.branchSamples).toBe(0);
    expect(r.totals.blocksWithoutHistory).toEqual(['b']);
    expect(r.totals.costComplete).toBe(false);
    expect(r.totals.samples).toBe(0);
  });

  it('a loop that history says never exits stops at maxVisits', () => {
    const g = build(
      [input, llm('spin', { maxVisits: 7 }), output],
      [
        tr('t1', 'input', 'spin'),
        tr('again', 'spin', 'spin', { when: 'true' }),
        tr('out', 'spin', 'output', { else: true }),
      ],
    );
    const r = estimateGraph(
      g,
      lookups({ spin: est(10, 10, 10, 0.001) }, counts(g, { again: 100 }, { spin: 100 })),
    );
    expect(r.blocks.find((b) => b.blockId === 'spin')?.visits).toBeCloseTo(7, 6);
    expect(Number.isFinite(r.totals.latencyMeanMs)).toBe(true);
  });

  it('editing a condition keeps its branch: unexplained finishes go to the transitions with no history', () => {
    const g = build(
      [input, llm('classify'), llm('a'), llm('b'), output],
      [
        tr('t0', 'input', 'classify'),
        tr('ta', 'classify', 'a', { when: 'out.classify == "A"' }),
        tr('tb', 'classify', 'b', { else: true }),
        tr('ao', 'a', 'output'),
        tr('bo', 'b', 'output'),
      ],
    );
    // 100 finishes: 70 took the else; the 30 others went through the condition before its edit
    // (the counts under the old hash do not match the current transition).
    const r = estimateGraph(
      g,
      lookups(
        { classify: est(1, 1, 1, 0), a: est(1, 1, 1, 0.01), b: est(1, 1, 1, 0.001) },
        counts(g, { tb: 70 }, { classify: 100 }),
      ),
    );
    expect(r.blocks.find((b) => b.blockId === 'a')?.visits).toBeCloseTo(0.3, 12);
    expect(r.totals.costUsd).toBeCloseTo(0.3 * 0.01 + 0.7 * 0.001, 12);
  });
});
