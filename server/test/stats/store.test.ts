import { AttemptAggregate, type AttemptRecord, type ResponseStatus } from '@graphwright/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/open';
import { createStatsStore, type StatsStoreOptions } from '../../src/db/stats/store';
import { attempt, attemptEvent, seeded, tempDir } from './helpers';

const open: { db: Database; cleanup: () => void }[] = [];
function fresh(): { db: Database; dir: string } {
  const { dir, cleanup } = tempDir();
  const db = openDatabase({ dataDir: dir });
  open.push({ db, cleanup });
  return { db, dir };
}
afterEach(() => {
  for (const o of open.splice(0)) {
    o.db.close();
    o.cleanup();
  }
});
const count = (db: Database, table: string): number =>
  (db.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const tick = () => new Promise((r) => setImmediate(r));
const quiet: StatsStoreOptions = { flushIntervalMs: 60_000, batchSize: 1_000 };

describe('stats store: batching', () => {
  it('queues records and writes nothing until a flush', () => {
    const { db } = fresh();
    const s = createStatsStore(db, quiet);
    for (let i = 0; i < 10; i++) s.record(attemptEvent(attempt({ startedAt: 1_000 + i })));
    expect(count(db, 'attempts')).toBe(0);
    expect(s.counters().pending).toBe(10);
    s.flush();
    expect(count(db, 'attempts')).toBe(10);
    // One identity-wide row and one per (identity, model).
    expect(count(db, 'block_aggregates')).toBe(2);
    expect(s.counters()).toMatchObject({ pending: 0, attemptsWritten: 10, flushes: 1 });
    s.close();
  });

  it('flushes on the next turn once batchSize records wait, and synchronously past maxQueue', async () => {
    const { db } = fresh();
    const s = createStatsStore(db, { flushIntervalMs: 60_000, batchSize: 50, maxQueue: 100 });
    for (let i = 0; i < 50; i++) s.recordAttempt(attempt());
    expect(count(db, 'attempts')).toBe(0);
    await tick();
    expect(count(db, 'attempts')).toBe(50);
    for (let i = 0; i < 100; i++) s.recordAttempt(attempt());
    // Back-pressure: the 100th queued record flushed in the caller, before any event-loop turn.
    expect(count(db, 'attempts')).toBe(150);
    s.close();
  });

  it('flushes after flushIntervalMs when little arrives', async () => {
    const { db } = fresh();
    const s = createStatsStore(db, { flushIntervalMs: 20 });
    s.recordAttempt(attempt());
    expect(count(db, 'attempts')).toBe(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(count(db, 'attempts')).toBe(1);
    s.close();
  });

  it('flushes on close (shutdown) and drops what arrives after', () => {
    const { db } = fresh();
    const s = createStatsStore(db, quiet);
    for (let i = 0; i < 7; i++) s.recordAttempt(attempt());
    s.close();
    expect(count(db, 'attempts')).toBe(7);
    s.recordAttempt(attempt());
    s.flush();
    expect(count(db, 'attempts')).toBe(7);
    expect(s.counters().dropped).toBe(1);
  });

  it('keeps its cache equal to what committed when a flush fails', () => {
    const { db } = fresh();
    const s = createStatsStore(db, { ...quiet, onError: () => {} });
    s.recordAttempt(attempt({ latencyMs: 100 }));
    s.flush();
    db.sqlite.exec(
      "CREATE TRIGGER boom BEFORE INSERT ON attempts WHEN NEW.latency_ms = 901 BEGIN SELECT RAISE(ABORT, 'boom'); END",
    );
    s.recordAttempt(attempt({ latencyMs: 900 }));
    s.recordAttempt(attempt({ runId: 'boom', latencyMs: 901 }));
    expect(() => s.flush()).toThrow(/boom/);
    const e = s.estimateBlock({ name: 'Ask', type: 'llm', version: 'v1' });
    expect(e?.samples).toBe(1);
    expect(e?.latencyMeanMs).toBe(100);
    expect(s.counters()).toMatchObject({ failedFlushes: 1, dropped: 2 });
    s.close();
  });
});

describe('stats store: aggregates', () => {
  it('match a from-scratch pass over the same attempts, after a reopen too', () => {
    const { db, dir } = fresh();
    const s = createStatsStore(db, { ...quiet, minSamples: 1 });
    const r = seeded(11);
    const statuses: ResponseStatus[] = ['ok', 'ok', 'ok', 'ok', 'rate_limited', 'timeout', 'cancelled'];
    const all: AttemptRecord[] = [];
    for (let i = 0; i < 3_000; i++) {
      const a = attempt({
        blockName: `B${i % 3}`,
        blockVersion: `v${i % 3}`,
        model: i % 2 === 0 ? 'sim-fast' : 'sim-smart',
        latencyMs: 50 + 500 * r(),
        tokensIn: Math.floor(100 * r()),
        tokensOut: Math.floor(300 * r()),
        costUsd: r() < 0.1 ? null : r() / 100,
        status: statuses[Math.floor(r() * statuses.length)] as ResponseStatus,
        attempt: r() < 0.2 ? 2 : 1,
        startedAt: 1_000 + i,
      });
      all.push(a);
      s.recordAttempt(a);
      if (i % 700 === 0) s.flush();
    }
    s.close();
    // Batches of 700 go in as one 512-row chunk, 32-row chunks and single rows: every row lands once.
    const rows = db.sqlite
      .prepare(
        'SELECT count(*) AS n, count(DISTINCT started_at) AS d, sum(started_at) AS total FROM attempts',
      )
      .get();
    expect(rows).toEqual({ n: 3_000, d: 3_000, total: 3_000 * 1_000 + (2_999 * 3_000) / 2 });
    const ref = (pred: (a: AttemptRecord) => boolean) => {
      const agg = new AttemptAggregate();
      for (const a of all) if (pred(a)) agg.add(a);
      return agg.estimate();
    };
    const db2 = openDatabase({ dataDir: dir });
    const again = createStatsStore(db2, { minSamples: 1 });
    for (let b = 0; b < 3; b++) {
      const id = { name: `B${b}`, type: 'llm' as const, version: `v${b}` };
      const e = again.estimateBlock(id);
      expect(e).toEqual(ref((a) => a.blockName === id.name));
      const m = again.modelEstimates.forModel(id, 'simulated', 'sim-smart');
      expect(m).toEqual(ref((a) => a.blockName === id.name && a.model === 'sim-smart'));
      // Lifetime figures agree with SQL over the attempt rows.
      const sql = db.sqlite
        .prepare(
          "SELECT count(*) AS n, avg(tokens_out) AS tokens, avg(cost_usd) AS cost, sum(status = 'ok') AS ok FROM attempts_view WHERE block_name = ?",
        )
        .get(id.name) as { n: number; tokens: number; cost: number; ok: number };
      expect(e?.samples).toBe(sql.n);
      expect(e?.tokensOutMean).toBeCloseTo(sql.tokens, 9);
      expect(e?.costMeanUsd).toBeCloseTo(sql.cost, 12);
    }
    expect(again.estimateBlock({ name: 'nope', type: 'llm', version: 'v0' })).toBeUndefined();
    again.close();
    db2.close();
  });

  it('saves aggregate rows behind the attempts, and a store opened after a crash folds the rest in', async () => {
    const { db, dir } = fresh();
    // Commits every few records on its own timers, but saves aggregate rows only once a minute.
    const s = createStatsStore(db, {
      flushIntervalMs: 1,
      batchSize: 50,
      aggregateSaveIntervalMs: 60_000,
      // Its save timer may fire after the test closed the file: it is the crashed process.
      onError: () => {},
    });
    const r = seeded(5);
    const all: AttemptRecord[] = [];
    for (let i = 0; i < 400; i++) {
      const a = attempt({
        model: i % 3 === 0 ? 'sim-smart' : 'sim-fast',
        latencyMs: 40 + 900 * r() * r(),
        tokensIn: Math.floor(500 * r()),
        costUsd: r() / 100,
        status: r() < 0.1 ? 'timeout' : 'ok',
        startedAt: 5_000 + i,
      });
      all.push(a);
      s.recordAttempt(a);
      if (i % 40 === 39) await tick();
    }
    while (s.counters().attemptsWritten < all.length) await new Promise((w) => setTimeout(w, 2));
    expect(count(db, 'attempts')).toBe(400);
    // The rows are behind: nothing saved yet, and the store says so.
    expect(count(db, 'block_aggregates')).toBe(0);
    expect(s.counters().unsavedAggregates).toBe(3);
    const id = { name: 'Ask', type: 'llm' as const, version: 'v1' };
    const ref = (model?: string) => {
      const agg = new AttemptAggregate();
      for (const a of all) if (model === undefined || a.model === model) agg.add(a);
      return agg.estimate();
    };
    expect(s.estimateBlock(id)).toEqual(ref());
    // "Crash": the first store is never closed. A second one on the same file sees every attempt.
    const db2 = openDatabase({ dataDir: dir });
    const again = createStatsStore(db2, { aggregateSaveIntervalMs: 60_000 });
    expect(again.estimateBlock(id)).toEqual(ref());
    expect(again.modelEstimates.forModel(id, 'simulated', 'sim-smart')).toEqual(ref('sim-smart'));
    again.close();
    const saved = db2.sqlite
      .prepare("SELECT count FROM block_aggregates WHERE provider = '' AND model = ''")
      .get() as { count: number };
    expect(saved.count).toBe(400);
    expect(db2.sqlite.prepare('SELECT aggregates_through AS n FROM stats_state').get()).toEqual({ n: 400 });
    db2.close();
  });

  it('counts transitions, visits, finishes and whole runs per graph', () => {
    const { db } = fresh();
    const s = createStatsStore(db, quiet);
    const base = { runId: 'r1', at: 1, path: [] as string[] };
    let seq = 0;
    const sink = s.sink('g1');
    for (let visit = 1; visit <= 3; visit++) {
      sink({
        ...base,
        seq: seq++,
        type: 'block_started',
        blockId: 'loop',
        blockName: 'L',
        blockType: 'llm',
        blockVersion: 'v',
        visit,
      });
      sink({ ...base, seq: seq++, type: 'block_finished', blockId: 'loop', output: null, durationMs: 1 });
      sink({
        ...base,
        seq: seq++,
        type: 'transition_taken',
        transitionId: 't',
        from: 'loop',
        to: visit < 3 ? 'loop' : 'out',
        conditionHash: visit < 3 ? 'else' : 'abc',
      });
    }
    // A later event of the same run finds its graph without being told again.
    s.record({
      ...base,
      seq: seq++,
      type: 'transition_taken',
      path: ['comp'],
      transitionId: 'c',
      from: 'a',
      to: 'b',
      conditionHash: 'always',
    });
    s.record({
      ...base,
      seq: seq++,
      type: 'run_finished',
      outputs: {},
      totals: { durationMs: 500, costUsd: 0.25, tokensIn: 1, tokensOut: 2, attempts: 3, blockExecutions: 3 },
    });
    s.flush();
    const t = s.transitionCounts('g1').map((x) => [x.scope, x.from, x.to, x.conditionHash, x.count]);
    expect(t.sort()).toEqual(
      [
        ['', 'loop', 'loop', 'else', 2],
        ['', 'loop', 'out', 'abc', 1],
        ['comp', 'a', 'b', 'always', 1],
      ].sort(),
    );
    expect(s.visitCounts('g1')).toEqual([
      { scope: '', blockId: 'loop', visits: 3, runs: 1, finishes: 3, maxVisitsInRun: 3, lastAt: 1 },
    ]);
    expect(db.sqlite.prepare('SELECT runs, finished, cost_mean FROM graph_run_stats').get()).toEqual({
      runs: 1,
      finished: 1,
      cost_mean: 0.25,
    });
    // Events of a run with no known graph are not counted against any graph.
    s.record({
      ...base,
      runId: 'unknown',
      seq: 0,
      type: 'transition_taken',
      transitionId: 't',
      from: 'x',
      to: 'y',
      conditionHash: 'always',
    });
    s.flush();
    expect(count(db, 'transition_counts')).toBe(3);
    s.close();
  });
});
