import { AttemptAggregate, type AttemptRecord, LogSketch, type RecencyOptions } from '@graphwright/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { KIND_CODES, STATUS_CODES } from '../schema';

/**
 * Prepared statements and row mapping for the stats hot path. The schema lives in Drizzle
 * (../schema.ts); these statements use better-sqlite3 directly because a batch of thousands of
 * appends per transaction is where the query builder's per-call overhead would show.
 */

const ATTEMPT_COLUMNS = [
  'run_ref',
  'series_ref',
  'attempt',
  'retry',
  'kind',
  'started_at',
  'latency_ms',
  'ttft_ms',
  'tokens_in',
  'tokens_out',
  'cost_usd',
  'status',
  'waited_ms',
  'selection_reason',
  'error',
] as const;

export const ATTEMPT_PARAMS = ATTEMPT_COLUMNS.length;

/**
 * Rows per multi-row INSERT: amortises the per-statement cost (15 × 512 bound values per call; 512
 * measured ~5% faster than 128 on a 1M-row table). A batch's tail goes in chunks of
 * INSERT_TAIL_CHUNK, then one row at a time.
 */
export const INSERT_CHUNK = 512;
export const INSERT_TAIL_CHUNK = 32;

const AGG_KEY = ['block_name', 'block_type', 'block_version', 'provider', 'model'] as const;
const AGG_VALUES = [
  'count',
  'visits',
  'ok_count',
  'status_counts',
  'latency_n',
  'latency_mean',
  'latency_m2',
  'cost_n',
  'cost_mean',
  'cost_m2',
  'tokens_in_n',
  'tokens_in_mean',
  'tokens_in_m2',
  'tokens_out_n',
  'tokens_out_mean',
  'tokens_out_m2',
  'ttft_n',
  'ttft_mean',
  'ttft_m2',
  'latency_sketch',
  'recency',
  'first_at',
  'last_at',
  'updated_at',
] as const;

function placeholders(n: number): string {
  return `(${new Array(n).fill('?').join(', ')})`;
}

export interface Statements {
  insertAttempt: BetterSqlite3.Statement;
  insertAttempts: BetterSqlite3.Statement;
  insertAttemptsTail: BetterSqlite3.Statement;
  selectAggregate: BetterSqlite3.Statement;
  insertAggregate: BetterSqlite3.Statement;
  updateAggregate: BetterSqlite3.Statement;
  upsertTransition: BetterSqlite3.Statement;
  upsertVisit: BetterSqlite3.Statement;
  selectGraphRuns: BetterSqlite3.Statement;
  upsertGraphRuns: BetterSqlite3.Statement;
  selectTransitions: BetterSqlite3.Statement;
  selectVisits: BetterSqlite3.Statement;
  lineageByBlock: BetterSqlite3.Statement;
  lineageByVersion: BetterSqlite3.Statement;
  insertLineage: BetterSqlite3.Statement;
  runGraph: BetterSqlite3.Statement;
  insertBatch: BetterSqlite3.Statement;
  lastBatchBefore: BetterSqlite3.Statement;
  pruneChunk: BetterSqlite3.Statement;
  pruneBatches: BetterSqlite3.Statement;
  insertRunRef: BetterSqlite3.Statement;
  selectRunRef: BetterSqlite3.Statement;
  selectSeriesRef: BetterSqlite3.Statement;
  insertSeriesRef: BetterSqlite3.Statement;
  selectAggregatesThrough: BetterSqlite3.Statement;
  saveAggregatesThrough: BetterSqlite3.Statement;
  selectAttemptsAfter: BetterSqlite3.Statement;
}

export function prepareStatements(db: BetterSqlite3.Database): Statements {
  const attemptCols = ATTEMPT_COLUMNS.join(', ');
  const one = placeholders(ATTEMPT_COLUMNS.length);
  return {
    insertAttempt: db.prepare(`INSERT INTO attempts (${attemptCols}) VALUES ${one}`),
    insertAttempts: db.prepare(
      `INSERT INTO attempts (${attemptCols}) VALUES ${new Array(INSERT_CHUNK).fill(one).join(', ')}`,
    ),
    insertAttemptsTail: db.prepare(
      `INSERT INTO attempts (${attemptCols}) VALUES ${new Array(INSERT_TAIL_CHUNK).fill(one).join(', ')}`,
    ),
    selectAggregate: db.prepare(
      `SELECT * FROM block_aggregates WHERE ${AGG_KEY.map((c) => `${c} = ?`).join(' AND ')}`,
    ),
    insertAggregate: db
      .prepare(
        `INSERT INTO block_aggregates (${[...AGG_VALUES, ...AGG_KEY].join(', ')})
         VALUES ${placeholders(AGG_VALUES.length + AGG_KEY.length)} RETURNING id`,
      )
      .pluck(),
    updateAggregate: db.prepare(
      `UPDATE block_aggregates SET ${AGG_VALUES.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`,
    ),
    upsertTransition: db.prepare(
      `INSERT INTO transition_counts (graph_id, scope, from_block, to_block, condition_hash, count, last_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (graph_id, scope, from_block, to_block, condition_hash)
       DO UPDATE SET count = count + excluded.count, last_at = max(last_at, excluded.last_at)`,
    ),
    upsertVisit: db.prepare(
      `INSERT INTO visit_counts (graph_id, scope, block_id, visits, runs, finishes, max_visits_in_run, last_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (graph_id, scope, block_id) DO UPDATE SET visits = visits + excluded.visits,
         runs = runs + excluded.runs, finishes = finishes + excluded.finishes,
         max_visits_in_run = max(max_visits_in_run, excluded.max_visits_in_run),
         last_at = max(last_at, excluded.last_at)`,
    ),
    selectGraphRuns: db.prepare('SELECT * FROM graph_run_stats WHERE graph_id = ?'),
    upsertGraphRuns: db.prepare(
      `INSERT OR REPLACE INTO graph_run_stats (graph_id, runs, finished, failed, duration_n, duration_mean,
         duration_m2, cost_n, cost_mean, cost_m2, last_at) VALUES ${placeholders(11)}`,
    ),
    selectTransitions: db.prepare(
      'SELECT scope, from_block, to_block, condition_hash, count, last_at FROM transition_counts WHERE graph_id = ?',
    ),
    selectVisits: db.prepare(
      'SELECT scope, block_id, visits, runs, finishes, max_visits_in_run, last_at FROM visit_counts WHERE graph_id = ?',
    ),
    lineageByBlock: db.prepare(
      `SELECT previous_version, previous_name, previous_type FROM block_lineage
       WHERE graph_id = ? AND block_id = ? AND version = ?`,
    ),
    lineageByVersion: db.prepare(
      `SELECT previous_version, previous_name, previous_type FROM block_lineage
       WHERE version = ? AND previous_version IS NOT NULL ORDER BY created_at DESC LIMIT 1`,
    ),
    insertLineage: db.prepare(
      `INSERT OR IGNORE INTO block_lineage (graph_id, block_id, version, block_name, block_type,
         previous_version, previous_name, previous_type, graph_version_id, created_at)
       VALUES ${placeholders(10)}`,
    ),
    runGraph: db.prepare('SELECT graph_id FROM runs WHERE id = ?'),
    insertBatch: db.prepare(
      'INSERT INTO attempt_batches (last_attempt_id, attempts, recorded_at) VALUES (?, ?, ?)',
    ),
    lastBatchBefore: db
      .prepare('SELECT max(last_attempt_id) FROM attempt_batches WHERE recorded_at < ?')
      .pluck(),
    // Oldest rows first, by rowid: a range at the start of the table, no index needed.
    pruneChunk: db.prepare(
      'DELETE FROM attempts WHERE id IN (SELECT id FROM attempts WHERE id <= ? LIMIT ?)',
    ),
    pruneBatches: db.prepare('DELETE FROM attempt_batches WHERE last_attempt_id <= ?'),
    // New runs (the usual case) cost one plain insert; a run seen before (resumed) one more lookup.
    insertRunRef: db.prepare(
      'INSERT OR IGNORE INTO attempt_runs (run_id, graph_id, created_at) VALUES (?, ?, ?)',
    ),
    selectRunRef: db.prepare('SELECT id FROM attempt_runs WHERE run_id = ?').pluck(),
    selectSeriesRef: db
      .prepare(
        `SELECT id FROM attempt_series WHERE block_name = ? AND block_type = ? AND block_version = ?
         AND provider = ? AND model = ? AND path = ? AND block_id = ?`,
      )
      .pluck(),
    insertSeriesRef: db
      .prepare(
        `INSERT INTO attempt_series (block_name, block_type, block_version, provider, model, path, block_id)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .pluck(),
    selectAggregatesThrough: db.prepare('SELECT aggregates_through FROM stats_state WHERE id = 1').pluck(),
    saveAggregatesThrough: db.prepare(
      `INSERT INTO stats_state (id, aggregates_through) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET aggregates_through = excluded.aggregates_through`,
    ),
    // What an aggregate folds in, for the attempts the saved aggregates do not count yet.
    selectAttemptsAfter: db.prepare(
      `SELECT a.id, a.attempt, a.status, a.started_at AS startedAt, a.latency_ms AS latencyMs,
         a.ttft_ms AS ttftMs, a.tokens_in AS tokensIn, a.tokens_out AS tokensOut, a.cost_usd AS costUsd,
         s.block_name AS blockName, s.block_type AS blockType, s.block_version AS blockVersion,
         s.provider, s.model
       FROM attempts a JOIN attempt_series s ON s.id = a.series_ref WHERE a.id > ? ORDER BY a.id`,
    ),
  };
}

/** Appends one attempt's bound values to `out` (in ATTEMPT_COLUMNS order). */
export function pushAttemptParams(out: unknown[], r: AttemptRecord, runRef: number, seriesRef: number): void {
  out.push(
    runRef,
    seriesRef,
    r.attempt,
    r.retry,
    KIND_CODES[r.kind] ?? 0,
    Math.round(r.startedAt),
    r.latencyMs,
    r.ttftMs ?? null,
    Math.round(r.tokensIn),
    Math.round(r.tokensOut),
    r.costUsd,
    STATUS_CODES[r.status] ?? STATUS_CODES.server_error,
    r.waitedMs ?? null,
    r.selectionReason ?? null,
    r.error === undefined ? null : r.error.slice(0, 2_000),
  );
}

/** Identity (and optionally model) of one aggregate row. */
export interface AggregateKey {
  readonly name: string;
  readonly type: string;
  readonly version: string;
  /** '' in both for the identity-wide aggregate. */
  readonly provider: string;
  readonly model: string;
}

interface AggregateRow {
  id: number;
  count: number;
  visits: number;
  status_counts: string;
  latency_n: number;
  latency_mean: number;
  latency_m2: number;
  cost_n: number;
  cost_mean: number;
  cost_m2: number;
  tokens_in_n: number;
  tokens_in_mean: number;
  tokens_in_m2: number;
  tokens_out_n: number;
  tokens_out_mean: number;
  tokens_out_m2: number;
  ttft_n: number;
  ttft_mean: number;
  ttft_m2: number;
  latency_sketch: Buffer;
  recency: Buffer;
  first_at: number;
  last_at: number;
}

/** An aggregate with the id of its row (undefined until first saved). */
export interface StoredAggregate {
  id: number | undefined;
  readonly key: AggregateKey;
  readonly agg: AttemptAggregate;
}

export function loadAggregate(
  st: Statements,
  key: AggregateKey,
  recency: Partial<RecencyOptions>,
): StoredAggregate | undefined {
  const row = st.selectAggregate.get(key.name, key.type, key.version, key.provider, key.model) as
    | AggregateRow
    | undefined;
  if (!row) return undefined;
  const m = (n: number, mean: number, m2: number) => ({ n, mean, m2 });
  // Copy out of the row's buffer: Float64Array needs 8-byte alignment.
  const rec = new Float64Array(new Uint8Array(row.recency).buffer);
  const agg = AttemptAggregate.fromStored(
    {
      count: row.count,
      visits: row.visits,
      statusCounts: JSON.parse(row.status_counts),
      latency: m(row.latency_n, row.latency_mean, row.latency_m2),
      cost: m(row.cost_n, row.cost_mean, row.cost_m2),
      tokensIn: m(row.tokens_in_n, row.tokens_in_mean, row.tokens_in_m2),
      tokensOut: m(row.tokens_out_n, row.tokens_out_mean, row.tokens_out_m2),
      ttft: m(row.ttft_n, row.ttft_mean, row.ttft_m2),
      firstAt: row.first_at,
      lastAt: row.last_at,
    },
    rec,
    LogSketch.fromBytes(row.latency_sketch),
    recency,
  );
  return { id: row.id, key, agg };
}

/** Writes the aggregate's row: an UPDATE by rowid, or an INSERT the first time. */
export function saveAggregate(st: Statements, s: StoredAggregate, now: number): void {
  const a = s.agg;
  const rec = a.recencyArray();
  const values = [
    a.count,
    a.visits,
    a.statusCounts.ok ?? 0,
    JSON.stringify(a.statusCounts),
    a.latency.n,
    a.latency.mean,
    a.latency.m2,
    a.cost.n,
    a.cost.mean,
    a.cost.m2,
    a.tokensIn.n,
    a.tokensIn.mean,
    a.tokensIn.m2,
    a.tokensOut.n,
    a.tokensOut.mean,
    a.tokensOut.m2,
    a.ttft.n,
    a.ttft.mean,
    a.ttft.m2,
    bufferOf(a.sketch.toBytes()),
    Buffer.from(rec.buffer, rec.byteOffset, rec.byteLength),
    a.firstAt,
    a.lastAt,
    now,
  ];
  if (s.id === undefined) {
    const k = s.key;
    s.id = st.insertAggregate.get(...values, k.name, k.type, k.version, k.provider, k.model) as number;
  } else st.updateAggregate.run(...values, s.id);
}

function bufferOf(u: Uint8Array): Buffer {
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}
