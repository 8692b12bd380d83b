import type { RunError, RunTotals } from '@graphwright/shared';
import type BetterSqlite3 from 'better-sqlite3';

export type RunStatus = 'queued' | 'running' | 'interrupted' | 'finished' | 'failed' | 'cancelled';

export interface RunRow {
  readonly id: string;
  readonly graphId: string;
  readonly graphVersionId: string;
  readonly graphVersion: number;
  readonly status: RunStatus;
  readonly input: unknown;
  readonly options: unknown;
  readonly outputs: unknown;
  readonly totals: RunTotals | null;
  readonly error: RunError | null;
  readonly costUsd: number | null;
  readonly durationMs: number | null;
  readonly parentRunId: string | null;
  readonly parentCheckpointId: string | null;
  readonly lastSeq: number;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

interface RawRun {
  id: string;
  graph_id: string;
  graph_version_id: string;
  status: RunStatus;
  input: string;
  options: string;
  totals: string | null;
  error: string | null;
  cost_usd: number | null;
  duration_ms: number | null;
  parent_run_id: string | null;
  parent_checkpoint_id: string | null;
  last_seq: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s));

function toRow(r: RawRun): RunRow {
  const options = parse(r.options);
  const stored = parse(r.totals) as (RunTotals & { outputs?: unknown }) | null;
  const { outputs, ...totals } = stored ?? { outputs: null };
  return {
    id: r.id,
    graphId: r.graph_id,
    graphVersionId: r.graph_version_id,
    graphVersion: Number(r.graph_version_id.slice(r.graph_version_id.lastIndexOf(':') + 1)),
    status: r.status,
    input: parse(r.input),
    options,
    outputs: outputs ?? null,
    totals: stored ? (totals as RunTotals) : null,
    error: parse(r.error) as RunError | null,
    costUsd: r.cost_usd,
    durationMs: r.duration_ms,
    parentRunId: r.parent_run_id,
    parentCheckpointId: r.parent_checkpoint_id,
    lastSeq: r.last_seq,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/** Run rows: created when a run starts, updated when its status changes. */
export class RunStore {
  private readonly insertStmt: BetterSqlite3.Statement;
  private readonly statusStmt: BetterSqlite3.Statement;
  private readonly endStmt: BetterSqlite3.Statement;
  private readonly getStmt: BetterSqlite3.Statement;
  private readonly listStmt: BetterSqlite3.Statement;
  private readonly inFlightStmt: BetterSqlite3.Statement;

  /** Rows created but not yet written (they go in with the run's first batch of events). */
  private readonly pending = new Map<string, RunRow>();
  private deferWrite: ((write: () => void) => void) | undefined;

  /** New run rows are then written in the event log's next batch instead of a transaction each. */
  batchCreatesWith(defer: (write: () => void) => void): void {
    this.deferWrite = defer;
  }

  constructor(sqlite: BetterSqlite3.Database) {
    this.insertStmt = sqlite.prepare(
      `INSERT INTO runs (id, graph_id, graph_version_id, status, input, options, parent_run_id, parent_checkpoint_id, last_seq, created_at, started_at, updated_at)
       VALUES (@id, @graphId, @graphVersionId, @status, @input, @options, @parentRunId, @parentCheckpointId, -1, @now, @now, @now)`,
    );
    this.statusStmt = sqlite.prepare('UPDATE runs SET status = ?, updated_at = ? WHERE id = ?');
    this.endStmt = sqlite.prepare(
      'UPDATE runs SET status = ?, totals = ?, error = ?, cost_usd = ?, duration_ms = ?, finished_at = ?, updated_at = ? WHERE id = ?',
    );
    this.getStmt = sqlite.prepare('SELECT * FROM runs WHERE id = ?');
    this.listStmt = sqlite.prepare('SELECT * FROM runs WHERE graph_id = ? ORDER BY created_at DESC LIMIT ?');
    this.inFlightStmt = sqlite.prepare(
      "SELECT * FROM runs WHERE status IN ('queued', 'running') ORDER BY created_at",
    );
  }

  create(r: {
    id: string;
    graphId: string;
    graphVersion: number;
    input: unknown;
    options: unknown;
    parentRunId?: string | undefined;
    parentCheckpointId?: string | undefined;
  }): void {
    const params = {
      id: r.id,
      graphId: r.graphId,
      graphVersionId: `${r.graphId}:${r.graphVersion}`,
      status: 'running',
      input: JSON.stringify(r.input ?? null),
      options: JSON.stringify(r.options ?? {}),
      parentRunId: r.parentRunId ?? null,
      parentCheckpointId: r.parentCheckpointId ?? null,
      now: Date.now(),
    };
    if (!this.deferWrite) {
      this.insertStmt.run(params);
      return;
    }
    this.pending.set(r.id, {
      id: r.id,
      graphId: r.graphId,
      graphVersionId: params.graphVersionId,
      graphVersion: r.graphVersion,
      status: 'running',
      input: r.input ?? null,
      options: r.options ?? {},
      outputs: null,
      totals: null,
      error: null,
      costUsd: null,
      durationMs: null,
      parentRunId: params.parentRunId,
      parentCheckpointId: params.parentCheckpointId,
      lastSeq: -1,
      createdAt: params.now,
      startedAt: params.now,
      finishedAt: null,
    });
    this.deferWrite(() => {
      this.insertStmt.run(params);
      this.pending.delete(r.id);
    });
  }

  setStatus(id: string, status: RunStatus): void {
    this.statusStmt.run(status, Date.now(), id);
  }

  end(
    id: string,
    status: RunStatus,
    totals: (RunTotals & { outputs?: unknown }) | null,
    error: RunError | null,
  ): void {
    const now = Date.now();
    this.endStmt.run(
      status,
      totals ? JSON.stringify(totals) : null,
      error ? JSON.stringify(error) : null,
      totals?.costUsd ?? null,
      totals?.durationMs ?? null,
      now,
      now,
      id,
    );
  }

  get(id: string): RunRow | undefined {
    const p = this.pending.get(id);
    if (p) return p;
    const r = this.getStmt.get(id) as RawRun | undefined;
    return r ? toRow(r) : undefined;
  }

  list(graphId: string, limit = 100): RunRow[] {
    return (this.listStmt.all(graphId, limit) as RawRun[]).map(toRow);
  }

  /** Runs that were queued or running: after a crash, these are the ones to recover. */
  inFlight(): RunRow[] {
    return (this.inFlightStmt.all() as RawRun[]).map(toRow);
  }
}
