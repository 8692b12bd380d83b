import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/open';
import { createStatsStore } from '../../src/db/stats/store';
import { attempt, tempDir } from './helpers';

const DAY = 86_400_000;
const T0 = 1_800_000_000_000;
const open: { db: Database; cleanup: () => void }[] = [];
function fresh(): Database {
  const { dir, cleanup } = tempDir();
  const db = openDatabase({ dataDir: dir });
  open.push({ db, cleanup });
  return db;
}
afterEach(() => {
  for (const o of open.splice(0)) {
    o.db.close();
    o.cleanup();
  }
});
const rows = (db: Database) =>
  (db.sqlite.prepare('SELECT count(*) AS n FROM attempts').get() as { n: number }).n;

describe('retention', () => {
  it('prunes attempts recorded longer ago than the configured age; aggregates keep their figures', () => {
    const db = fresh();
    let now = T0;
    const s = createStatsStore(db, {
      flushIntervalMs: 60_000,
      now: () => now,
      retention: { maxAgeMs: 30 * DAY, chunk: 7 },
    });
    for (let i = 0; i < 40; i++) s.recordAttempt(attempt({ startedAt: now + i, latencyMs: 100 + i }));
    s.flush();
    now += 10 * DAY;
    for (let i = 0; i < 5; i++) s.recordAttempt(attempt({ startedAt: now, latencyMs: 300 }));
    s.flush();
    now += 30 * DAY;
    for (let i = 0; i < 10; i++) s.recordAttempt(attempt({ startedAt: now + i, latencyMs: 500 }));
    s.flush();
    const before = s.estimateBlock({ name: 'Ask', type: 'llm', version: 'v1' });
    expect(before?.samples).toBe(55);
    // Only the first batch is older than 30 days.
    expect(s.prune()).toBe(40);
    expect(rows(db)).toBe(15);
    expect(s.estimateBlock({ name: 'Ask', type: 'llm', version: 'v1' })).toEqual(before);
    expect(s.prune(5 * DAY)).toBe(5);
    expect(rows(db)).toBe(10);
    expect(db.sqlite.prepare('SELECT count(*) AS n FROM attempt_batches').get()).toEqual({ n: 1 });
    // And after a restart, from the stored aggregates.
    s.close();
    const again = createStatsStore(db, { now: () => now });
    expect(again.estimateBlock({ name: 'Ask', type: 'llm', version: 'v1' })).toEqual(before);
    again.close();
  });

  it('keeps the newest row, so attempts after a prune of everything still fold in after a crash', async () => {
    const { dir, cleanup } = tempDir();
    const db = openDatabase({ dataDir: dir });
    open.push({ db, cleanup });
    let now = T0;
    const s = createStatsStore(db, {
      now: () => now,
      retention: { maxAgeMs: DAY },
      flushIntervalMs: 1,
      aggregateSaveIntervalMs: 60_000,
      onError: () => {},
    });
    for (let i = 0; i < 20; i++) s.recordAttempt(attempt({ latencyMs: 100 }));
    s.flush();
    now += 2 * DAY;
    // Every row is older than a day and counted by the saved aggregates: all but the newest go.
    expect(s.prune()).toBe(19);
    // New attempts are committed by the store's own timer (aggregate rows stay behind), then a crash.
    for (let i = 0; i < 5; i++) s.recordAttempt(attempt({ latencyMs: 900 }));
    while (s.counters().attemptsWritten < 25) await new Promise((w) => setTimeout(w, 2));
    const db2 = openDatabase({ dataDir: dir });
    const again = createStatsStore(db2, { now: () => now });
    expect(again.estimateBlock({ name: 'Ask', type: 'llm', version: 'v1' })?.samples).toBe(25);
    again.close();
    db2.close();
  });

  it('runs in the background, a chunk per event-loop turn', async () => {
    const db = fresh();
    let now = T0;
    const s = createStatsStore(db, {
      flushIntervalMs: 60_000,
      now: () => now,
      retention: { maxAgeMs: DAY, intervalMs: 10, chunk: 3 },
    });
    for (let i = 0; i < 20; i++) s.recordAttempt(attempt());
    s.flush();
    now += 2 * DAY;
    s.recordAttempt(attempt());
    s.flush();
    for (let i = 0; i < 50 && rows(db) > 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(rows(db)).toBe(1);
    expect(s.counters().pruned).toBe(20);
    s.close();
  });
});
