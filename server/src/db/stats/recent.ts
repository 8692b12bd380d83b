import type { AttemptRecord, ResponseStatus } from '@graphwright/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { KIND_CODES, STATUS_CODES } from '../schema';

/**
 * The latest attempts of one block (for its popover on the canvas). Attempts carry no index on
 * their series (appends are what the stats writer lives on), so this walks the table from the
 * newest row backwards and stops at `limit` matches or after `MAX_SCAN` rows, whichever is first:
 * a bounded read, whatever the history's size.
 */

export interface RecentAttempt {
  readonly runId: string;
  readonly attempt: number;
  readonly kind: AttemptRecord['kind'];
  readonly startedAt: number;
  readonly latencyMs: number;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly costUsd: number | null;
  readonly status: ResponseStatus;
  readonly provider: string;
  readonly model: string;
  readonly blockVersion: string;
  readonly error: string | null;
}

export interface RecentQuery {
  readonly name: string;
  readonly type: string;
  /** Versions to include (the current one, and the one an estimate fell back to). */
  readonly versions: readonly string[];
  /** Scoped position of the block: enclosing composite ids joined with "/", and its id. */
  readonly path: string;
  readonly blockId: string;
  readonly graphId?: string | undefined;
  readonly limit: number;
}

/** Newest rows looked at, at most, per query. */
const MAX_SCAN = 200_000;

const STATUS_BY_CODE = new Map(Object.entries(STATUS_CODES).map(([k, v]) => [v, k as ResponseStatus]));
const KIND_BY_CODE = new Map(Object.entries(KIND_CODES).map(([k, v]) => [v, k as AttemptRecord['kind']]));

interface Row {
  run_id: string;
  graph_id: string | null;
  attempt: number;
  kind: number;
  started_at: number;
  latency_ms: number;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number | null;
  status: number;
  error: string | null;
  provider: string;
  model: string;
  block_version: string;
}

const statements = new WeakMap<
  BetterSqlite3.Database,
  { series: BetterSqlite3.Statement; rows: BetterSqlite3.Statement }
>();

function prepare(db: BetterSqlite3.Database) {
  let st = statements.get(db);
  if (!st) {
    st = {
      series: db
        .prepare(
          `SELECT id FROM attempt_series WHERE block_name = ? AND block_type = ? AND block_version = ?
           AND path = ? AND block_id = ?`,
        )
        .pluck(),
      // Series ids arrive as a JSON array so that one statement serves any number of them.
      rows: db.prepare(
        `SELECT r.run_id, r.graph_id, a.attempt, a.kind, a.started_at, a.latency_ms, a.tokens_in,
           a.tokens_out, a.cost_usd, a.status, a.error, s.provider, s.model, s.block_version
         FROM attempts a
         JOIN attempt_series s ON s.id = a.series_ref
         JOIN attempt_runs r ON r.id = a.run_ref
         WHERE a.series_ref IN (SELECT value FROM json_each(?))
           AND a.id > (SELECT coalesce(max(id), 0) FROM attempts) - ?
           AND (? IS NULL OR r.graph_id = ?)
         ORDER BY a.id DESC LIMIT ?`,
      ),
    };
    statements.set(db, st);
  }
  return st;
}

export function readRecentAttempts(db: BetterSqlite3.Database, q: RecentQuery): RecentAttempt[] {
  const st = prepare(db);
  const series: number[] = [];
  for (const v of new Set(q.versions))
    series.push(...(st.series.all(q.name, q.type, v, q.path, q.blockId) as number[]));
  if (series.length === 0) return [];
  const graph = q.graphId ?? null;
  const rows = st.rows.all(JSON.stringify(series), MAX_SCAN, graph, graph, q.limit) as Row[];
  return rows.map((r) => ({
    runId: r.run_id,
    attempt: r.attempt,
    kind: KIND_BY_CODE.get(r.kind) ?? 'first',
    startedAt: r.started_at,
    latencyMs: r.latency_ms,
    tokensIn: r.tokens_in,
    tokensOut: r.tokens_out,
    costUsd: r.cost_usd,
    status: STATUS_BY_CODE.get(r.status) ?? 'server_error',
    provider: r.provider,
    model: r.model,
    blockVersion: r.block_version,
    error: r.error,
  }));
}
