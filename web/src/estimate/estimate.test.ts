import type { BlockGraphEstimate, GraphEstimate } from '@graphwright/shared';
import { describe, expect, it } from 'vitest';
import { budgetProblems } from './budget';
import { createEstimateStore, criticalSteps, stepKey } from './estimate-store';
import { levelOf } from './levels';

function entry(over: Partial<BlockGraphEstimate>): BlockGraphEstimate {
  return {
    blockId: 'a',
    path: [],
    scopedId: 'a',
    type: 'llm',
    visits: 1,
    attemptsPerVisit: 1,
    latencyMeanMs: 500,
    latencyP50Ms: 400,
    latencyP95Ms: 900,
    costPerVisitUsd: 0.001,
    costUsd: 0.001,
    success: 1,
    samples: 5,
    hasHistory: true,
    branchSamples: 0,
    ...over,
  };
}

describe('critical path steps', () => {
  it('links blocks of the same graph, stepping over the inside of a composite', () => {
    const steps = criticalSteps(['input', 'c', 'c/in', 'c/x', 'c/out', 'output']);
    expect(steps).toEqual(
      new Set([
        stepKey('input', 'c'),
        stepKey('c', 'output'),
        stepKey('c/in', 'c/x'),
        stepKey('c/x', 'c/out'),
      ]),
    );
  });

  it('marks nothing critical before any block has history', () => {
    const store = createEstimateStore();
    const estimate = (hasHistory: boolean): GraphEstimate => ({
      blocks: [entry({ hasHistory })],
      totals: {
        costUsd: 0,
        costComplete: false,
        latencyMeanMs: 0,
        latencyP50Ms: 0,
        latencyP95Ms: 0,
        successRate: 1,
        criticalPath: ['input', 'a', 'output'],
        criticalPathP95: ['input', 'a', 'output'],
        samples: 0,
        blocksWithoutHistory: ['a'],
      },
    });
    store.getState().actions.receive(1, estimate(false));
    expect(store.getState().critical.size).toBe(0);
    store.getState().actions.receive(1, estimate(true));
    expect([...store.getState().critical]).toEqual(['input', 'a', 'output']);
    expect(store.getState().updates).toBe(2);
  });
});

describe('levels and budget', () => {
  it('colours by p95 and marks unreliable blocks whatever their speed', () => {
    expect(levelOf(undefined)).toBe('none');
    expect(levelOf(entry({ hasHistory: false }))).toBe('none');
    expect(levelOf(entry({ latencyP95Ms: 900 }))).toBe('fast');
    expect(levelOf(entry({ latencyP95Ms: 2_000 }))).toBe('medium');
    expect(levelOf(entry({ latencyP95Ms: 9_000 }))).toBe('slow');
    expect(levelOf(entry({ latencyP95Ms: 100, success: 0.5 }))).toBe('unreliable');
  });

  it('warns when the p95 latency or the expected cost exceeds the budget', () => {
    const totals = { costUsd: 0.02, latencyP95Ms: 4_000 };
    expect(budgetProblems(totals, undefined)).toEqual([]);
    expect(budgetProblems(totals, { maxLatencyMs: 5_000, maxCostUsd: 0.05 })).toEqual([]);
    expect(budgetProblems(totals, { maxLatencyMs: 3_000 })).toEqual([
      'p95 4.00 s exceeds the 3.00 s latency budget',
    ]);
    expect(budgetProblems(totals, { maxCostUsd: 0.01 })).toEqual([
      'expected cost $0.0200 exceeds the $0.0100 budget',
    ]);
  });
});
