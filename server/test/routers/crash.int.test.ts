import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { example } from './helpers';

const root = new URL('../../../', import.meta.url).pathname;

function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  // node itself with tsx as a loader (not the tsx CLI, which would put a wrapper process between
  // the test and the server: SIGKILL must reach the server).
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/src/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      GW_DATA_DIR: dataDir,
      GW_PORT: String(port),
      GW_LOG_LEVEL: 'warn',
      GW_SIM_LATENCY_SCALE: '0.3',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error('server did not start')), 30_000);
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
    const poll = async (): Promise<void> => {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/trpc/system.health`);
        if (r.ok) {
          clearTimeout(deadline);
          resolve(child);
          return;
        }
      } catch {}
      setTimeout(() => void poll(), 100);
    };
    void poll();
  });
}

async function trpc(port: number, path: string, input: unknown): Promise<unknown> {
  const r = await fetch(`http://127.0.0.1:${port}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: input }),
  });
  const body = (await r.json()) as { result?: { data: { json: unknown } } };
  return body.result?.data.json;
}

describe('crash recovery', () => {
  it('after SIGKILL mid-run, every run completes or is failed with a reason; no stored event is lost; integrity ok', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-crash-'));
    const port = 4500 + Math.floor(Math.random() * 400);
    let server = await startServer(dataDir, port);
    const g = (await trpc(port, 'graph.import', { doc: example('parallel-fanout') })) as { id: string };
    const runIds: string[] = [];
    for (let kill = 0; kill < 3; kill++) {
      for (let i = 0; i < 5; i++)
        runIds.push(
          ((await trpc(port, 'run.start', { graphId: g.id, input: {} })) as { runId: string }).runId,
        );
      await new Promise((r) => setTimeout(r, 150 + kill * 120));
      server.kill('SIGKILL');
      await new Promise((r) => server.once('exit', r));
      server = await startServer(dataDir, port);
    }
    // Let recovered runs finish.
    const deadline = Date.now() + 60_000;
    let statuses: string[] = [];
    while (Date.now() < deadline) {
      statuses = await Promise.all(
        runIds.map(async (runId) => ((await fetchRun(port, runId)) as { status: string }).status),
      );
      if (statuses.every((s) => s !== 'running' && s !== 'queued')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));

    const db = new Database(join(dataDir, 'graphwright.sqlite'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    for (const runId of runIds) {
      const run = db.prepare('SELECT status, error FROM runs WHERE id = ?').get(runId) as {
        status: string;
        error: string | null;
      };
      expect(['finished', 'failed'], runId).toContain(run.status);
      if (run.status === 'failed') expect(JSON.parse(run.error ?? '{}').message).toMatch(/\w/);
      const seqs = (
        db.prepare('SELECT seq FROM run_events WHERE run_id = ? ORDER BY seq').all(runId) as { seq: number }[]
      ).map((r) => r.seq);
      expect(seqs, runId).toEqual(seqs.map((_, i) => i));
      const lastType = (
        db.prepare('SELECT type FROM run_events WHERE run_id = ? ORDER BY seq DESC LIMIT 1').get(runId) as
          | { type: string }
          | undefined
      )?.type;
      if (run.status === 'finished') expect(lastType).toBe('run_finished');
    }
    // Some runs really were cut off and resumed from a checkpoint (a second run_started with resumedFrom).
    const resumed = runIds.filter(
      (id) =>
        (
          db
            .prepare("SELECT count(*) AS n FROM run_events WHERE run_id = ? AND type = 'run_started'")
            .get(id) as { n: number }
        ).n > 1,
    );
    expect(resumed.length).toBeGreaterThan(0);
    const finished = runIds.filter(
      (id) =>
        (db.prepare('SELECT status FROM runs WHERE id = ?').get(id) as { status: string }).status ===
        'finished',
    );
    expect(finished.length).toBeGreaterThan(runIds.length / 2);
    db.close();
  }, 180_000);
});

async function fetchRun(port: number, runId: string): Promise<unknown> {
  const input = encodeURIComponent(JSON.stringify({ json: { runId } }));
  const r = await fetch(`http://127.0.0.1:${port}/trpc/run.get?input=${input}`);
  return ((await r.json()) as { result: { data: { json: unknown } } }).result.data.json;
}
