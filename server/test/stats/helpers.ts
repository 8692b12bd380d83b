import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttemptRecord, RunEvent } from '@graphwright/shared';

/** A fresh temporary folder (not yet holding a database); remove it with `cleanup`. */
export function tempDir(prefix = 'gw-stats-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir: join(dir, 'data'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function attempt(over: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    runId: 'run-1',
    blockId: 'ask',
    path: [],
    blockName: 'Ask',
    blockType: 'llm',
    blockVersion: 'v1',
    attempt: 1,
    retry: 0,
    kind: 'first',
    provider: 'simulated',
    model: 'sim-fast',
    startedAt: 1_700_000_000_000,
    latencyMs: 100,
    tokensIn: 10,
    tokensOut: 20,
    costUsd: 0.001,
    status: 'ok',
    ...over,
  };
}

let seq = 0;
export function attemptEvent(record: AttemptRecord): RunEvent {
  return {
    type: 'attempt_finished',
    runId: record.runId,
    seq: seq++,
    at: record.startedAt + record.latencyMs,
    blockId: record.blockId,
    path: record.path,
    record,
  };
}

/** Seeded random numbers (mulberry32) and log-normal samples, for reproducible tests. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function logNormal(rand: () => number, median: number, sigma: number): number {
  const u = Math.max(rand(), 1e-12);
  return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand()));
}
