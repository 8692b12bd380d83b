import type { BlockEstimate, BlockIdentity, LlmRequest, ModelEstimates } from '@graphwright/shared';
import { describe, expect, it } from 'vitest';
import { formatMs, selectModel } from '../../src/llm/select';
import { createLlmService } from '../../src/llm/service';

const identity: BlockIdentity = { name: 'Summarise', type: 'llm', version: 'v1' };

function est(
  p95: number,
  successRate: number,
  samples = 50,
  costMeanUsd: number | null = null,
): BlockEstimate {
  return {
    samples,
    latencyMeanMs: p95 / 2,
    latencyStdMs: p95 / 4,
    latencyP50Ms: p95 / 2,
    latencyP95Ms: p95,
    latencyP99Ms: p95 * 1.2,
    costMeanUsd,
    costStdUsd: null,
    tokensInMean: 100,
    tokensOutMean: 100,
    successRate,
    attemptsPerVisit: 1,
  };
}

/** A fixed fake of the stats store's read side. */
function fakeEstimates(table: Record<string, BlockEstimate>): ModelEstimates & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    forModel(id, provider, model) {
      asked.push(`${id.name}@${id.version}:${provider}/${model}`);
      return table[`${provider}/${model}`];
    },
  };
}

const sim = (model: string) => ({ provider: 'simulated', model });
// Per-1M prices as the simulator has them: fast 0.15/0.6, flaky 0.5/1.5, smart 2.5/10.
const price = (ref: { provider: string; model: string }) =>
  ({
    'sim-fast': { inputPer1M: 0.15, outputPer1M: 0.6 },
    'sim-flaky': { inputPer1M: 0.5, outputPer1M: 1.5 },
    'sim-smart': { inputPer1M: 2.5, outputPer1M: 10 },
  })[ref.model] ?? 'unavailable';
const base = { identity, priceOf: price, promptTokens: 100, outputTokens: 100 } as const;
const models = [sim('sim-smart'), sim('sim-flaky'), sim('sim-fast')];

describe('selectModel', () => {
  it('chooses the cheapest model meeting the p95 target and says why', () => {
    const estimates = fakeEstimates({
      'simulated/sim-fast': est(3400, 0.99),
      'simulated/sim-flaky': est(1200, 0.99),
      'simulated/sim-smart': est(900, 0.99),
    });
    const s = selectModel({ models, maxP95Ms: 2000 }, { ...base, estimates });
    expect(s?.model).toBe('sim-flaky');
    expect(s?.reason).toMatch(/^chose sim-flaky: cheapest with p95 1\.2 s ≤ 2 s/);
    expect(estimates.asked).toContain('Summarise@v1:simulated/sim-fast');
  });

  it('applies the success-rate target too', () => {
    const estimates = fakeEstimates({
      'simulated/sim-fast': est(500, 0.99),
      'simulated/sim-flaky': est(500, 0.7),
      'simulated/sim-smart': est(900, 0.995),
    });
    const s = selectModel({ models, maxP95Ms: 2000, minSuccessRate: 0.95 }, { ...base, estimates });
    expect(s?.model).toBe('sim-fast');
    expect(s?.reason).toContain('p95 500 ms ≤ 2 s and success 99% ≥ 95%');
    const strict = selectModel({ models, minSuccessRate: 0.995 }, { ...base, estimates });
    expect(strict?.model).toBe('sim-smart');
  });

  it('ranks by the historical mean cost when there is one', () => {
    const estimates = fakeEstimates({
      'simulated/sim-fast': est(500, 1, 50, 0.01),
      'simulated/sim-smart': est(500, 1, 50, 0.002),
    });
    const s = selectModel(
      { models: [sim('sim-fast'), sim('sim-smart')], maxP95Ms: 1000 },
      { ...base, estimates },
    );
    expect(s?.model).toBe('sim-smart');
    expect(s?.reason).toContain('$0.0020 per call');
  });

  it('tries a model without history when no known model meets the targets', () => {
    const estimates = fakeEstimates({
      'simulated/sim-fast': est(3400, 0.99),
      'simulated/sim-flaky': est(2500, 0.99, 3),
    });
    const s = selectModel({ models, maxP95Ms: 2000 }, { ...base, estimates });
    expect(s?.model).toBe('sim-flaky');
    expect(s?.reason).toContain('no history yet (3 samples)');
  });

  it('picks the nearest miss when every model is known and none meets the targets', () => {
    const estimates = fakeEstimates({
      'simulated/sim-fast': est(3400, 0.99),
      'simulated/sim-flaky': est(4000, 0.99),
      'simulated/sim-smart': est(2600, 0.99),
    });
    const s = selectModel({ models, maxP95Ms: 2000 }, { ...base, estimates });
    expect(s?.model).toBe('sim-smart');
    expect(s?.reason).toContain('no model meets the targets; lowest p95 (p95 2.6 s > 2 s)');
  });

  it('without targets or history, ranks by price; unavailable models are skipped and named', () => {
    const s = selectModel(
      { models: [sim('sim-smart'), { provider: 'openai', model: 'gpt-4o' }, sim('sim-fast')] },
      base,
    );
    expect(s?.model).toBe('sim-fast');
    expect(s?.reason).toContain('cheapest of 2 (no latency or success target)');
    expect(s?.reason).toContain('skipped, not available: openai/gpt-4o');
    expect(selectModel({ models: [{ provider: 'openai', model: 'gpt-4o' }] }, base)).toBeUndefined();
  });

  it('formats durations for people', () => {
    expect(formatMs(850)).toBe('850 ms');
    expect(formatMs(1200)).toBe('1.2 s');
    expect(formatMs(2000)).toBe('2 s');
    expect(formatMs(42_000)).toBe('42 s');
  });

  it('runs inside the service: the response names the chosen model and the reason', async () => {
    const estimates = fakeEstimates({
      'simulated/sim-fast': est(3400, 0.99),
      'simulated/sim-smart': est(1200, 0.99),
    });
    const svc = createLlmService({ env: {}, estimates, simulated: { latencyScale: 0 } });
    const request: LlmRequest = {
      runId: 'r',
      blockId: 'b',
      path: [],
      provider: 'simulated',
      model: 'sim-fast',
      identity,
      selection: {
        models: [sim('sim-fast'), sim('sim-smart'), { provider: 'openai', model: 'gpt-4o-mini' }],
        maxP95Ms: 2000,
      },
      messages: [{ role: 'user', content: 'hi' }],
      attempt: 1,
      signal: new AbortController().signal,
    };
    const r = await svc.call(request);
    expect(r).toMatchObject({ status: 'ok', provider: 'simulated', model: 'sim-smart' });
    expect(r.selectionReason).toMatch(/^chose sim-smart: cheapest with p95 1\.2 s ≤ 2 s/);
    expect(r.selectionReason).toContain('openai/gpt-4o-mini');
    await svc.close();
  });
});
