import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open';
import { createStatsStore } from '../../src/db/stats/store';
import { tempDir } from './helpers';

const SERVER_DIR = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

/** Runs the child until it reports `atLeast` committed attempts, then SIGKILLs it mid-stream. */
function runAndKill(dataDir: string, start: number, atLeast: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, String(start)], {
      cwd: SERVER_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let committed = start;
    let buf = '';
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    child.stdout?.on('data', (d) => {
      buf += String(d);
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const m = /^committed (\d+)$/.exec(buf.slice(0, nl));
        if (m) committed = Math.max(committed, Number(m[1]));
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
      }
      if (committed - start >= atLeast && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(committed);
      else reject(new Error(`child exited by itself (${code}): ${stderr}`));
    });
    setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
  });
}

describe('crash safety', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  it('keeps every attempt reported committed across SIGKILLs, with aggregates consistent and integrity ok', async () => {
    const { dir, cleanup } = tempDir('gw-crash-');
    cleanups.push(cleanup);
    let start = 0;
    // Several kills at different points, each child continuing where the last one's commits ended.
    for (const atLeast of [1_000, 7_000, 3_000]) {
      const committed = await runAndKill(dir, start, atLeast);
      expect(committed - start).toBeGreaterThanOrEqual(atLeast);
      const d = openDatabase({ dataDir: dir });
      expect(d.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      const found = d.sqlite
        .prepare('SELECT count(DISTINCT tokens_in) AS n FROM attempts WHERE tokens_in >= ? AND tokens_in < ?')
        .get(start, committed) as { n: number };
      expect(found.n).toBe(committed - start);
      // The aggregate rows are saved behind the attempts and may lag; the restarted store folds
      // every committed attempt back in, and its estimate counts each exactly once.
      const rows = (d.sqlite.prepare('SELECT count(*) AS n FROM attempts').get() as { n: number }).n;
      const stats = createStatsStore(d);
      expect(stats.estimateBlock({ name: 'Ask', type: 'llm', version: 'v1' })?.samples).toBe(rows);
      stats.close();
      const agg = d.sqlite
        .prepare("SELECT count FROM block_aggregates WHERE provider = '' AND model = ''")
        .get() as { count: number };
      expect(agg.count).toBe(rows);
      // Rows beyond the last report may exist (committed just before the kill); none is duplicated.
      const dup = d.sqlite
        .prepare(
          'SELECT count(*) AS n FROM (SELECT tokens_in FROM attempts GROUP BY tokens_in HAVING count(*) > 1)',
        )
        .get() as { n: number };
      expect(dup.n).toBe(0);
      start = (d.sqlite.prepare('SELECT max(tokens_in) + 1 AS n FROM attempts').get() as { n: number }).n;
      d.close();
    }
  });
});
