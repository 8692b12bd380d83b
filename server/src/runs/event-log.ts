import type { CheckpointRecord, CheckpointStore, RunEvent } from '@graphwright/shared';
import type BetterSqlite3 from 'better-sqlite3';
import type { EventLog } from './hub';

/**
 * The stored event log: events are queued and written in batched transactions (one per flush),
 * never one transaction per event. `flush` is synchronous, so a subscriber that calls it before
 * reading sees every event published so far. `onFlushed` reports stored terminal events (a run
 * counts as done when its run_finished is stored).
 */
export class SqliteEventLog implements EventLog, CheckpointStore {
  private queue: RunEvent[] = [];
  private checkpointQueue: CheckpointRecord[] = [];
  /** Writes that must precede this batch's events in the same transaction (new run rows). */
  private firstQueue: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private readonly insert: BetterSqlite3.Statement;
  private readonly bumpSeq: BetterSqlite3.Statement;
  private readonly read: BetterSqlite3.Statement;
  private readonly insertCheckpoint: BetterSqlite3.Statement;
  private readonly listCheckpoints: BetterSqlite3.Statement;
  private readonly getCheckpoint: BetterSqlite3.Statement;
  private readonly writeBatch: (
    events: RunEvent[],
    checkpoints: CheckpointRecord[],
    first: (() => void)[],
  ) => void;
  stored = 0;

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly opts: {
      maxBatch?: number;
      flushMs?: number;
      /** Runs inside the batch's transaction (run rows follow their terminal events atomically). */
      inTransaction?: (events: readonly RunEvent[]) => void;
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
    this.insertCheckpoint = sqlite.prepare(
      'INSERT OR IGNORE INTO checkpoints (id, run_id, step, kind, json, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.listCheckpoints = sqlite.prepare('SELECT json FROM checkpoints WHERE run_id = ? ORDER BY step');
    this.getCheckpoint = sqlite.prepare('SELECT json FROM checkpoints WHERE id = ?');
    this.writeBatch = sqlite.transaction(
      (events: RunEvent[], checkpoints: CheckpointRecord[], first: (() => void)[]) => {
        for (const w of first) w();
        for (const c of checkpoints)
          this.insertCheckpoint.run(c.id, c.runId, c.step, c.kind, encodeCheckpoint(c), Date.now());
        const last = new Map<string, number>();
        for (const e of events) {
          this.insert.run(e.runId, e.seq, e.type, e.at, JSON.stringify(e));
          last.set(e.runId, e.seq);
        }
        const now = Date.now();
        for (const [runId, seq] of last) this.bumpSeq.run(seq, now, runId);
        this.opts.inTransaction?.(events);
      },
    );
  }

  append(event: RunEvent): void {
    this.queue.push(event);
    if (this.queue.length >= (this.opts.maxBatch ?? 1_000)) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.opts.flushMs ?? 10);
  }

  /**
   * Flushes at the end of this turn of the event loop: every run that ends in the same turn shares
   * one transaction (a flush per ended run cost a commit each and capped throughput).
   */
  flushSoon(): void {
    this.immediate ??= setImmediate(() => {
      this.immediate = undefined;
      this.flush();
    });
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.immediate) {
      clearImmediate(this.immediate);
      this.immediate = undefined;
    }
    if (this.queue.length === 0 && this.checkpointQueue.length === 0 && this.firstQueue.length === 0) return;
    const batch = this.queue;
    const cps = this.checkpointQueue;
    const first = this.firstQueue;
    this.queue = [];
    this.checkpointQueue = [];
    this.firstQueue = [];
    this.writeBatch(batch, cps, first);
    this.stored += batch.length;
    this.opts.onFlushed?.(batch);
  }

  readAfter(runId: string, afterSeq: number, limit: number): RunEvent[] {
    const rows = this.read.all(runId, afterSeq, limit) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as RunEvent);
  }

  /** Queues a write to run at the start of the next batch's transaction. */
  before(write: () => void): void {
    this.firstQueue.push(write);
    this.timer ??= setTimeout(() => this.flush(), this.opts.flushMs ?? 10);
  }

  /** Checkpoints are written in the same batched transactions as events. */
  put(record: CheckpointRecord): void {
    this.checkpointQueue.push(record);
    this.timer ??= setTimeout(() => this.flush(), this.opts.flushMs ?? 10);
  }

  list(runId: string): readonly CheckpointRecord[] {
    this.flush();
    return (this.listCheckpoints.all(runId) as { json: string }[]).map((r) => decodeCheckpoint(r.json));
  }

  get(id: string): CheckpointRecord | undefined {
    this.flush();
    const r = this.getCheckpoint.get(id) as { json: string } | undefined;
    return r ? decodeCheckpoint(r.json) : undefined;
  }

  pending(): number {
    return this.queue.length;
  }

  close(): void {
    this.flush();
  }
}

/** The record's metadata around its already-serialised state (which is not serialised again). */
function encodeCheckpoint(c: CheckpointRecord): string {
  const meta = {
    id: c.id,
    runId: c.runId,
    step: c.step,
    kind: c.kind,
    frontier: c.frontier,
    nextSeq: c.nextSeq,
    pausedAt: c.pausedAt,
  };
  return `{"meta":${JSON.stringify(meta)},"data":${c.json}}`;
}

function decodeCheckpoint(text: string): CheckpointRecord {
  const { meta, data } = JSON.parse(text) as { meta: Omit<CheckpointRecord, 'json'>; data: unknown };
  return { ...meta, json: JSON.stringify(data) };
}
