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

/** Seeded random numbers and log-normal samples, for reproducible tests. */
export { logNormal, mulberry32 as seeded } from '@graphwright/shared';
