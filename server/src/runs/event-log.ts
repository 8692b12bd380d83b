import type { RunEvent } from '@graphwright/shared';
import type BetterSqlite3 from 'better-sqlite3';
import type { EventLog } from './hub';

/**
 * The stored event log: events are queued and written in batched transactions (one per flush),
 * never one transaction per event. `flush` is synchronous, so a subscriber that calls it before
 * reading sees every event published so far. `onFlushed` reports stored terminal events (a run
 * counts as done when its run_finished is stored).
 */
export class SqliteEventLog implements EventLog {
  private queue: RunEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly insert: BetterSqlite3.Statement;
  private readonly bumpSeq: BetterSqlite3.Statement;
  private readonly read: BetterSqlite3.Statement;
  private readonly writeBatch: (events: RunEvent[]) => void;
  stored = 0;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly opts: {
      maxBatch?: number;
      flushMs?: number;
      onFlushed?: (events: readonly RunEvent[]) => void;
    } = {},
  ) {
    this.insert = sqlite.prepare(
      'INSERT OR IGNORE INTO run_events (run_id, seq, type, at, data) VALUES (?, ?, ?, ?, ?)',
    );
    this.bumpSeq = sqlite.prepare('UPDATE runs SET last_seq = max(last_seq, ?), updated_at = ? WHERE id = ?');
    this.read = sqlite.prepare(
      'SELECT data FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.writeBatch = sqlite.transaction((events: RunEvent[]) => {
      const last = new Map<string, number>();
      for (const e of events) {
        this.insert.run(e.runId, e.seq, e.type, e.at, JSON.stringify(e));
        last.set(e.runId, e.seq);
      }
      const now = Date.now();
      for (const [runId, seq] of last) this.bumpSeq.run(seq, now, runId);
    });
  }

  append(event: RunEvent): void {
    this.queue.push(event);
    if (this.queue.length >= (this.opts.maxBatch ?? 1_000)) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.opts.flushMs ?? 10);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.writeBatch(batch);
    this.stored += batch.length;
    this.opts.onFlushed?.(batch);
  }

  readAfter(runId: string, afterSeq: number, limit: number): RunEvent[] {
    const rows = this.read.all(runId, afterSeq, limit) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as RunEvent);
  }

  pending(): number {
    return this.queue.length;
  }

  close(): void {
    this.flush();
  }
}
