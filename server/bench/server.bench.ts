/**
 * The server: compile-cache look-ups, validations per 1,000 runs of one graph, and runs started
 * over HTTP with 20 runs in flight on the simulated provider at zero latency, each counted when its
 * run_finished event is stored: through tRPC's run.start (what the web app calls; the client starts
 * the next run when one is stored) and through the plain REST endpoint (which answers when the run
 * is stored). Each is timed after a warm-up, as on a server that has been up a while.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildApp } from '../src/app';
import { loadEnv } from '../src/env';
import { createServices } from '../src/services';
import { type BenchSuite, round } from './harness';

const fiveBlocks = {
  schemaVersion: 1,
  name: 'Five blocks',
  blocks: [
    { id: 'input', name: 'In', type: 'input', fields: [{ name: 'q', type: 'string', default: 'hello' }] },
    {
      id: 'draft',
      name: 'Draft',
      type: 'llm',
      provider: 'simulated',
      model: 'sim-fast',
      messages: [{ role: 'user', content: 'Answer {{input.q}}' }],
    },
    {
      id: 'check',
      name: 'Check',
      type: 'transform',
      expr: '{"length": size(out.draft), "ok": size(out.draft) > 3}',
    },
    {
      id: 'polish',
      name: 'Polish',
      type: 'llm',
      provider: 'simulated',
      model: 'sim-fast',
      messages: [{ role: 'user', content: 'Polish: {{out.draft}}' }],
    },
    { id: 'output', name: 'Out', type: 'output' },
  ],
  transitions: [
    { id: 't1', from: 'input', to: 'draft' },
    { id: 't2', from: 'draft', to: 'check' },
    { id: 't3', from: 'check', to: 'polish', when: 'out.check.ok' },
    { id: 't4', from: 'check', to: 'output', else: true },
    { id: 't5', from: 'polish', to: 'output' },
  ],
};

export const serverSuite: BenchSuite = {
  name: 'server',
  async run({ smoke }) {
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-bench-'));
    const env = loadEnv({ GW_LOG_LEVEL: 'silent', GW_DATA_DIR: dataDir, GW_MAX_CONCURRENT_RUNS: '1000' });
    const services = createServices(env, { llm: { env: {}, simulated: { latencyScale: 0, seed: 7 } } });
    const app = await buildApp(services);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      // Compile cache: hits by content hash, and validations across 1,000 runs of one graph.
      const big = JSON.parse(
        readFileSync(new URL('../../examples/generated/graph-1000.json', import.meta.url), 'utf8'),
      );
      const { id: bigId } = services.graphs.create('big', big);
      const hash = services.graphs.get(bigId).hash;
      const lookups = smoke ? 1_000 : 200_000;
      for (let i = 0; i < 1_000; i++) services.compileCache.get(hash);
      const t0 = performance.now();
      for (let i = 0; i < lookups; i++) services.compileCache.get(hash);
      const hitUs = ((performance.now() - t0) * 1000) / lookups;

      // Validations from the save through every run: the save validates once, every run is a cache hit.
      const before = services.compileCache.stats().validations;
      const { id } = services.graphs.create('five', fiveBlocks);
      const concurrency = 20;
      // The HTTP client runs in its own thread: on one event loop it would take half the CPU.
      const load = async (total: number, rest = false): Promise<number> => {
        let finished = 0;
        let client: Worker | undefined;
        const done = new Promise<void>((resolve) => {
          const off = services.runs.onRunStored((_graphId, runId) => {
            client?.postMessage(runId);
            finished++;
            if (finished === total) {
              off();
              resolve();
            }
          });
        });
        const started = performance.now();
        client = new Worker(new URL('./load-client.mjs', import.meta.url), {
          workerData: { base, graphId: id, total, concurrency, rest },
        });
        const { failed } = await new Promise<{ failed: number }>((resolve, reject) => {
          client.once('message', resolve);
          client.once('error', reject);
        });
        await done;
        await client.terminate();
        if (failed > 0) throw new Error(`${failed} run.start requests failed`);
        return (performance.now() - started) / 1000;
      };
      // A server that has been up a while: the run path is warm (JIT) before it is timed.
      await load(smoke ? 20 : 500);
      const total = smoke ? 40 : 2_000;
      const seconds = await load(total);
      // The same through the plain REST endpoint (no tRPC layer), for scripts and webhooks.
      await load(smoke ? 20 : 300, true);
      const restSeconds = await load(total, true);
      const validations = services.compileCache.stats().validations - before;
      return {
        compile_cache_hit_us: round(hitUs, 4),
        // One graph saved once and run 4,800 times (warm-ups included): every validation it went through.
        compile_cache_validations_per_1000_runs: validations,
        runs_per_s_5_blocks: round(total / seconds, 1),
        runs_per_s_5_blocks_rest: round(total / restSeconds, 1),
        runs_measured: total,
      };
    } finally {
      await app.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
