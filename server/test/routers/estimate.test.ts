import type { CompiledBlock } from '@graphwright/shared';
import { describe, expect, it } from 'vitest';
import { attempt } from '../stats/helpers';
import { callerPerTest, example } from './helpers';

const setup = callerPerTest();

describe('estimate router', () => {
  it('gives one block its estimate, a latency histogram and its latest attempts, newest first', async () => {
    const { caller, s } = setup();
    const { id } = await caller.graph.import({ doc: example('parallel-fanout') });
    const compiled = s.graphs.compiled(id).compiled;
    const facts = compiled.blocks.find((b) => b.id === 'facts') as CompiledBlock;
    const latencies = [120, 130, 150, 400, 420, 450, 480, 2_000, 2_100, 2_400];
    latencies.forEach((latencyMs, i) => {
      s.stats.recordAttempt(
        attempt({
          runId: `run-${i}`,
          blockId: 'facts',
          blockName: facts.name,
          blockVersion: facts.version,
          latencyMs,
          startedAt: 1_700_000_000_000 + i * 1_000,
          status: i === 3 ? 'server_error' : 'ok',
        }),
        id,
      );
    });
    const r = await caller.estimate.block({ graphId: id, blockId: 'facts', limit: 4 });
    expect(r.estimate?.samples).toBe(latencies.length);
    expect(r.estimate?.successRate).toBeLessThan(1);
    expect(r.recent.map((a) => a.runId)).toEqual(['run-9', 'run-8', 'run-7', 'run-6']);
    expect(r.recent[0]).toMatchObject({ latencyMs: 2_400, status: 'ok', model: 'sim-fast' });
    const bars = r.histogram?.bars ?? [];
    expect(bars.reduce((a, b) => a + b.count, 0)).toBeCloseTo(r.histogram?.total ?? -1, 6);
    expect(r.histogram?.total).toBeGreaterThan(0);
    // The slowest bar ends at or above the slowest attempt, the first starts below the fastest.
    expect(bars.at(-1)?.toMs).toBeGreaterThanOrEqual(2_400 * 0.99);
    expect(bars[0]?.fromMs).toBeLessThanOrEqual(120);
  });

  it('reports no history for a block nobody ran, and a missing block as not found', async () => {
    const { caller } = setup();
    const { id } = await caller.graph.import({ doc: example('parallel-fanout') });
    const r = await caller.estimate.block({ graphId: id, blockId: 'write' });
    expect(r).toMatchObject({ estimate: null, histogram: null, recent: [] });
    await expect(caller.estimate.block({ graphId: id, blockId: 'nope' })).rejects.toThrow(/No block "nope"/);
  });

  it('finds blocks inside composites by their scoped id after a real run', async () => {
    const { caller, s } = setup();
    const { id } = await caller.graph.import({ doc: example('composite-refine') });
    const { runId } = await caller.run.start({ graphId: id, input: {} });
    await s.runs.waitStored(runId);
    const est = await caller.estimate.graph({ graphId: id });
    const nested = est.estimate.blocks.find((b) => b.path.length > 0 && b.type === 'llm');
    expect(nested).toBeDefined();
    const r = await caller.estimate.block({ graphId: id, blockId: nested?.scopedId as string });
    expect(r.estimate?.samples).toBeGreaterThanOrEqual(1);
    expect(r.recent[0]?.runId).toBe(runId);
  });
});
