import type { APIRequestContext } from '@playwright/test';
import { topicInput, trpc } from './run-helpers';

/** The same units the web app shows (mirrors web/src/run/format.ts, which the browser bundles). */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return '<1 ms';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

export function fmtUsd(usd: number | null): string {
  if (usd === null) return 'unknown';
  if (usd === 0) return '$0';
  if (usd < 0.000001) return '<$0.000001';
  if (usd < 0.01) return `$${usd.toFixed(6)}`;
  return `$${usd.toFixed(4)}`;
}

export interface EstimateBlock {
  blockId: string;
  scopedId: string;
  latencyP50Ms: number;
  latencyP95Ms: number;
  costPerVisitUsd: number | null;
  samples: number;
  success: number;
  hasHistory: boolean;
}

export interface Estimate {
  version: number;
  estimate: {
    blocks: EstimateBlock[];
    totals: {
      costUsd: number;
      costComplete: boolean;
      latencyP50Ms: number;
      latencyP95Ms: number;
      criticalPath: string[];
      samples: number;
    };
  };
}

export function graphEstimate(request: APIRequestContext, graphId: string): Promise<Estimate> {
  return trpc<Estimate>(request, 'estimate.graph', { graphId }, { kind: 'query' });
}

/** Runs the latest saved version through the REST endpoint, which answers once the run is stored. */
export async function recordRun(
  request: APIRequestContext,
  graphId: string,
  input: unknown,
): Promise<string> {
  const res = await request.post(`/api/graphs/${graphId}/runs`, { data: { input }, timeout: 60_000 });
  const body = (await res.json()) as { runId: string; status: string };
  if (body.status !== 'finished') throw new Error(`run ${body.runId} ended ${body.status}`);
  return body.runId;
}

/** input fans out (routing all) to a fast and a slow model; the output waits for both (join all). */
export function fanOutGraph(name: string): Record<string, unknown> {
  const llm = (id: string, model: string, y: number) => ({
    id,
    name: id === 'fast' ? 'Quick take' : 'Deep dive',
    type: 'llm',
    position: { x: 320, y },
    provider: 'simulated',
    model,
    messages: [{ role: 'user', content: `Write about {{input.topic}} (${id}, for ${name}).` }],
  });
  return {
    schemaVersion: 1,
    name,
    blocks: [
      topicInput(140, { routing: 'all' }),
      llm('fast', 'sim-fast', 0),
      llm('slow', 'sim-smart', 280),
      {
        id: 'output',
        name: 'Both',
        type: 'output',
        join: 'all',
        position: { x: 660, y: 140 },
        value: '{"fast": out.fast, "slow": out.slow}',
      },
    ],
    transitions: [
      { id: 't_fast', from: 'input', to: 'fast' },
      { id: 't_slow', from: 'input', to: 'slow' },
      { id: 't_fast_out', from: 'fast', to: 'output' },
      { id: 't_slow_out', from: 'slow', to: 'output' },
    ],
  };
}
