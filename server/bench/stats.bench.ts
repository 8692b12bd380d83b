/**
 * The stats store as history grows: append throughput (record → committed), estimate latency and
 * resident memory at 10k and 1M attempts, next to the predecessor's design in the same invocation:
 * a JSON file rewritten on every attempt and scanned on every estimate (up to 10k attempts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AttemptRecord, BlockIdentity } from '@graphwright/shared';
import { openDatabase } from '../src/db/open';
import { createStatsStore, type StatsStore } from '../src/db/stats/store';
import { type BenchSuite, round } from './harness';

const IDENTITIES = 200;
const MODELS = ['sim-fast', 'sim-smart', 'sim-cheap'] as const;

const identities: BlockIdentity[] = Array.from({ length: IDENTITIES }, (_, i) => ({
  name: `Block ${i % 50}`,
  type: 'llm',
  version: `v${i}`,
}));

/** Deterministic, varied attempts: 200 identities, 3 models, ~5% failures, log-ish latencies. */
function makeAttempt(i: number): AttemptRecord {
  const id = identities[i % IDENTITIES] as BlockIdentity;
  const h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  const fail = h % 20 === 0;
  return {
    runId: `run-${(i / 7) | 0}`,
    blockId: `b${i % IDENTITIES}`,
    path: [],
    blockName: id.name,
    blockType: 'llm',
    blockVersion: id.version,
    attempt: fail ? 2 : 1,
    retry: fail ? 1 : 0,
    kind: fail ? 'retry' : 'first',
    provider: 'simulated',
    model: MODELS[h % 3] as string,
    startedAt: 1_700_000_000_000 + i * 10,
    latencyMs: 200 * Math.exp(((h >>> 8) % 1000) / 1000),
    ttftMs: 50,
    tokensIn: 100 + (h % 400),
    tokensOut: 50 + ((h >>> 4) % 300),
    costUsd: 0.0001 * (1 + (h % 10)),
    status: fail ? 'rate_limited' : 'ok',
  };
}

async function fill(store: StatsStore, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    store.recordAttempt(makeAttempt(i), 'bench-graph');
    // Let the store's scheduled flushes run, as they would between engine steps.
    if (i % 5_000 === 4_999) await new Promise((r) => setImmediate(r));
  }
  store.flush();
}

/** Mean µs per estimateBlock over `calls` calls cycling through every identity (warm cache). */
function estimateUs(store: StatsStore, calls: number): number {
  let sink = 0;
  for (let i = 0; i < IDENTITIES; i++)
    sink += store.estimateBlock(identities[i] as BlockIdentity)?.samples ?? 0;
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    const e = store.estimateBlock(identities[i % IDENTITIES] as BlockIdentity);
    sink += e ? e.latencyP95Ms : 0;
  }
  const us = ((performance.now() - t0) * 1_000) / calls;
  if (sink === -1) console.log(sink);
  return us;
}

/** The same estimates from a fresh store: each first read loads one aggregate row (cold cache). */
function coldEstimateUs(dataDir: string): number {
  const db = openDatabase({ dataDir });
  const store = createStatsStore(db);
  const t0 = performance.now();
  for (const id of identities) store.estimateBlock(id);
  const us = ((performance.now() - t0) * 1_000) / IDENTITIES;
  store.close();
  db.close();
  return us;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** RSS after full collections (the child runs with --expose-gc): memory held, not garbage pending. */
async function rssMb(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 20));
  }
  return process.memoryUsage().rss / 2 ** 20;
}

/** The predecessor: every attempt rewrites the whole JSON file; every estimate scans all attempts. */
class NaiveJsonStore {
  private readonly attempts: AttemptRecord[] = [];
  constructor(private readonly file: string) {}
  preload(rs: AttemptRecord[]): void {
    this.attempts.push(...rs);
    writeFileSync(this.file, JSON.stringify(this.attempts));
  }
  record(r: AttemptRecord): void {
    this.attempts.push(r);
    writeFileSync(this.file, JSON.stringify(this.attempts));
  }
  estimate(id: BlockIdentity): { mean: number; p95: number } | undefined {
    const lat: number[] = [];
    for (const a of this.attempts)
      if (a.blockName === id.name && a.blockType === id.type && a.blockVersion === id.version)
        lat.push(a.latencyMs);
    if (lat.length === 0) return undefined;
    lat.sort((x, y) => x - y);
    return {
      mean: lat.reduce((s, x) => s + x, 0) / lat.length,
      p95: lat[Math.floor(0.95 * (lat.length - 1))] as number,
    };
  }
}

function naive(dir: string, size: number, timed: number): { recordPerS: number; estimateUs: number } {
  const store = new NaiveJsonStore(join(dir, 'attempts.json'));
  store.preload(Array.from({ length: size - timed }, (_, i) => makeAttempt(i)));
  const t0 = performance.now();
  for (let i = size - timed; i < size; i++) store.record(makeAttempt(i));
  const recordPerS = timed / ((performance.now() - t0) / 1_000);
  const calls = 200;
  const t1 = performance.now();
  let sink = 0;
  for (let i = 0; i < calls; i++)
    sink += store.estimate(identities[i % IDENTITIES] as BlockIdentity)?.p95 ?? 0;
  const estimateUs = ((performance.now() - t1) * 1_000) / calls;
  if (sink === -1) console.log(sink);
  return { recordPerS, estimateUs };
}

async function measure(smoke: boolean): Promise<Record<string, number>> {
  const small = smoke ? 2_000 : 10_000;
  const large = smoke ? 20_000 : 1_000_000;
  const calls = smoke ? 20_000 : 500_000;
  const root = mkdtempSync(join(tmpdir(), 'gw-bench-stats-'));
  const dataDir = join(root, 'data');
  try {
    // Warm up on a scratch database first: the JIT and V8's heap sizing settle under this load,
    // so the 10k and 1M figures below differ by history size only, not by process warm-up.
    const scratch = openDatabase({ dataDir: join(root, 'scratch') });
    const warm = createStatsStore(scratch);
    await fill(warm, 0, smoke ? 5_000 : 200_000);
    warm.close();
    scratch.close();
    // Two stores, one kept at 10k attempts and one grown to 1M, so their estimates can be timed in
    // alternating rounds (the median of each): drift in the machine's speed then hits both alike.
    const small10k = openDatabase({ dataDir: join(root, 'small') });
    const store10k = createStatsStore(small10k);
    await fill(store10k, 0, small);
    estimateUs(store10k, calls);
    const rss10k = await rssMb();
    const db = openDatabase({ dataDir });
    const store = createStatsStore(db);
    await fill(store, 0, small);
    const t0 = performance.now();
    await fill(store, small, large);
    const recordPerS = (large - small) / ((performance.now() - t0) / 1_000);
    const rss1m = await rssMb();
    const rounds = 9;
    const at10k: number[] = [];
    const at1m: number[] = [];
    for (let i = 0; i < rounds; i++) {
      at10k.push(estimateUs(store10k, Math.ceil(calls / rounds)));
      at1m.push(estimateUs(store, Math.ceil(calls / rounds)));
    }
    const est10k = median(at10k);
    const est1m = median(at1m);
    store10k.close();
    small10k.close();
    store.close();
    db.close();
    const cold1m = coldEstimateUs(dataDir);
    const n = naive(root, small, smoke ? 50 : 100);
    return {
      stats_record_per_s: Math.round(recordPerS),
      estimate_us_at_10k: round(est10k),
      estimate_us_at_1m: round(est1m),
      estimate_ratio_1m_10k: round(est1m / est10k),
      estimate_cold_us_at_1m: round(cold1m),
      rss_mb_at_10k: round(rss10k, 1),
      rss_mb_at_1m: round(rss1m, 1),
      rss_ratio_1m_10k: round(rss1m / rss10k),
      naive_record_per_s: round(n.recordPerS, 1),
      naive_estimate_us_at_10k: round(n.estimateUs),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Runs in a child process of its own: memory figures then belong to this suite alone (not to the
 * suites before it), and --expose-gc lets them be taken after full collections.
 */
export const statsSuite: BenchSuite = {
  name: 'stats',
  run({ smoke }) {
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), smoke ? '--smoke' : ''],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      child.stdout.on('data', (d) => {
        out += String(d);
      });
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code !== 0) return reject(new Error(`stats benchmark child exited with ${code}`));
        try {
          resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}'));
        } catch (e) {
          reject(e);
        }
      });
    });
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  measure(process.argv.includes('--smoke')).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
