import type { AttemptRecord, ResponseStatus } from '@graphwright/shared';
import { eq, sql } from 'drizzle-orm';
import {
  type AnySQLiteColumn,
  blob,
  check,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  sqliteView,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

/**
 * The one database of the app. Conventions: times are integer milliseconds since the epoch; JSON
 * columns hold what the API already validated; ids are text (random, or content hashes). Stats
 * tables (attempts, aggregates, counts) have no foreign keys: they are appended on the hot path,
 * they outlive pruned runs, and graphs run from a file by the CLI have ids no `graphs` row holds.
 * A change here needs `pnpm --filter @graphwright/server db:generate` and the committed migration.
 */

const createdAt = () => integer('created_at').notNull();

// ─── Graphs and their immutable versions ─────────────────────────────────────────────────────────

export const graphs = sqliteTable('graphs', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Number of the newest version (0 before the first save). */
  latestVersion: integer('latest_version').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: integer('updated_at').notNull(),
});

/** Each save of changed content is a new row; rows are never updated. */
export const graphVersions = sqliteTable(
  'graph_versions',
  {
    id: text('id').primaryKey(),
    graphId: text('graph_id')
      .notNull()
      .references(() => graphs.id, { onDelete: 'cascade' }),
    /** 1, 2, 3… per graph. */
    version: integer('version').notNull(),
    /** The compiled graph's content hash (the compile cache key). */
    contentHash: text('content_hash').notNull(),
    document: text('document', { mode: 'json' }).notNull(),
    /** Diagnostics found when it was saved (a draft that does not compile keeps its errors). */
    diagnostics: text('diagnostics', { mode: 'json' }),
    blockCount: integer('block_count').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('graph_versions_graph_version_uq').on(t.graphId, t.version),
    index('graph_versions_hash_idx').on(t.contentHash),
  ],
);

/**
 * Which block version replaced which, per graph and block: an estimate for a new version with too
 * little history falls back to its predecessor's (labelled). `block_id` is scoped: nested blocks
 * are "composite/inner". The first time a version appears in a graph wins (A → B → A keeps A's
 * original predecessor). Names and types are optional: without them the predecessor is looked up
 * under the current block's name and type.
 */
export const blockLineage = sqliteTable(
  'block_lineage',
  {
    graphId: text('graph_id').notNull(),
    blockId: text('block_id').notNull(),
    version: text('version').notNull(),
    blockName: text('block_name'),
    blockType: text('block_type'),
    previousVersion: text('previous_version'),
    previousName: text('previous_name'),
    previousType: text('previous_type'),
    graphVersionId: text('graph_version_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.graphId, t.blockId, t.version] }),
    index('block_lineage_version_idx').on(t.version, t.createdAt),
  ],
);

// ─── Runs, their events and checkpoints ──────────────────────────────────────────────────────────

export const RUN_STATUSES = ['queued', 'running', 'interrupted', 'finished', 'failed', 'cancelled'] as const;

export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    graphId: text('graph_id')
      .notNull()
      .references(() => graphs.id, { onDelete: 'cascade' }),
    graphVersionId: text('graph_version_id')
      .notNull()
      .references(() => graphVersions.id, { onDelete: 'cascade' }),
    status: text('status', { enum: RUN_STATUSES }).notNull(),
    input: text('input', { mode: 'json' }).notNull(),
    /** Interrupts, budget, deadline, provider overrides. */
    options: text('options', { mode: 'json' }).notNull(),
    /** RunTotals once finished or failed. */
    totals: text('totals', { mode: 'json' }),
    costUsd: real('cost_usd'),
    durationMs: real('duration_ms'),
    /** RunError when failed, or the reason recovery could not resume it. */
    error: text('error', { mode: 'json' }),
    /** Set when this run resumes or forks another, from one of its checkpoints. */
    parentRunId: text('parent_run_id'),
    parentCheckpointId: text('parent_checkpoint_id'),
    /** Highest stored event seq (−1 before the first): where a catching-up subscriber stops. */
    lastSeq: integer('last_seq').notNull().default(-1),
    createdAt: createdAt(),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('runs_graph_created_idx').on(t.graphId, t.createdAt), index('runs_status_idx').on(t.status)],
);

/** Every RunEvent of a run, in order; a reconnecting subscriber reads from here. */
export const runEvents = sqliteTable(
  'run_events',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    at: integer('at').notNull(),
    /** The whole event as JSON. */
    data: text('data', { mode: 'json' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] })],
);

/** A delta holds what changed since the previous checkpoint; a snapshot the whole state. */
export const checkpoints = sqliteTable(
  'checkpoints',
  {
    id: text('id').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    step: integer('step').notNull(),
    kind: text('kind', { enum: ['delta', 'snapshot'] }).notNull(),
    /** For a delta: the snapshot it applies on top of (with the deltas between). */
    baseId: text('base_id'),
    json: text('json', { mode: 'json' }),
    bytes: blob('bytes', { mode: 'buffer' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('checkpoints_run_step_uq').on(t.runId, t.step),
    check('checkpoints_one_payload', sql`(${t.json} is null) <> (${t.bytes} is null)`),
  ],
);

// ─── Share links ─────────────────────────────────────────────────────────────────────────────────

export const shareLinks = sqliteTable(
  'share_links',
  {
    /** At least 128 random bits, base64url (22+ characters). */
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['graph_version', 'run'] }).notNull(),
    graphVersionId: text('graph_version_id').references(() => graphVersions.id, { onDelete: 'cascade' }),
    runId: text('run_id').references(() => runs.id, { onDelete: 'cascade' }),
    /** What the viewer sees that is not stored elsewhere (the estimate overlay as it was). */
    snapshot: text('snapshot', { mode: 'json' }),
    createdAt: createdAt(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [
    check('share_links_id_entropy', sql`length(${t.id}) >= 22`),
    check(
      'share_links_target',
      sql`(${t.kind} = 'graph_version' and ${t.graphVersionId} is not null and ${t.runId} is null) or (${t.kind} = 'run' and ${t.runId} is not null)`,
    ),
  ],
);

// ─── Stats: attempts (append-only) and what estimates read ───────────────────────────────────────

/** Statuses and kinds are stored as small integers; these codes are fixed: append, never reorder. */
export const STATUS_CODES: Readonly<Record<ResponseStatus, number>> = {
  ok: 0,
  rate_limited: 1,
  timeout: 2,
  server_error: 3,
  connection_error: 4,
  invalid_request: 5,
  auth_error: 6,
  content_filter: 7,
  context_length: 8,
  invalid_output: 9,
  budget_exceeded: 10,
  cancelled: 11,
};
export const KIND_CODES: Readonly<Record<AttemptRecord['kind'], number>> = {
  first: 0,
  retry: 1,
  fallback: 2,
  repair: 3,
};

/**
 * One row per attempt, retries included. Appended in batches; pruned by age; never updated. The row
 * is kept narrow because append throughput is what the stats writer lives on (measured here, per
 * row: eight repeated strings ~120k rows/s; integer references ~230k; integer codes and one index
 * ~330k): what an attempt was of (run, block, identity, model) is stored once in `attempt_runs` /
 * `attempt_series` and referenced by integer, status and kind are codes, and the only index is the
 * run (age-based pruning goes by rowid through `attempt_batches`). `attempts_view` joins and decodes
 * everything back for people and ad-hoc queries. No foreign keys: a check per appended row would
 * cost more than it protects, and only the stats store writes these tables.
 */
export const attempts = sqliteTable(
  'attempts',
  {
    id: integer('id').primaryKey(),
    runRef: integer('run_ref').notNull(),
    seriesRef: integer('series_ref').notNull(),
    /** 1-based within a visit of the block. */
    attempt: integer('attempt').notNull(),
    /** Retries of the same model before this attempt. */
    retry: integer('retry').notNull(),
    /** KIND_CODES. */
    kind: integer('kind').notNull(),
    startedAt: integer('started_at').notNull(),
    latencyMs: real('latency_ms').notNull(),
    ttftMs: real('ttft_ms'),
    tokensIn: integer('tokens_in').notNull(),
    tokensOut: integer('tokens_out').notNull(),
    /** Null when the model's price is unknown (never a made-up zero). */
    costUsd: real('cost_usd'),
    /** STATUS_CODES. */
    status: integer('status').notNull(),
    waitedMs: real('waited_ms'),
    selectionReason: text('selection_reason'),
    error: text('error'),
  },
  (t) => [index('attempts_run_idx').on(t.runRef)],
);

/** One row per committed batch: attempts with id ≤ lastAttemptId were recorded by recordedAt. */
export const attemptBatches = sqliteTable(
  'attempt_batches',
  {
    id: integer('id').primaryKey(),
    lastAttemptId: integer('last_attempt_id').notNull(),
    attempts: integer('attempts').notNull(),
    recordedAt: integer('recorded_at').notNull(),
  },
  (t) => [index('attempt_batches_recorded_idx').on(t.recordedAt)],
);

/**
 * Stats bookkeeping, one row (id 1). The aggregates are saved behind the attempts (every second or
 * so, not with every batch), so this records how far they have got: the saved aggregate rows count
 * exactly the attempts with id ≤ aggregatesThrough. On start the store folds the attempts after it
 * back in, so a crash loses nothing the attempts table holds.
 */
export const statsState = sqliteTable('stats_state', {
  id: integer('id').primaryKey(),
  aggregatesThrough: integer('aggregates_through').notNull(),
});

/** The runs attempts belong to (with the graph, for per-graph history). */
export const attemptRuns = sqliteTable('attempt_runs', {
  id: integer('id').primaryKey(),
  runId: text('run_id').notNull().unique(),
  graphId: text('graph_id'),
  createdAt: createdAt(),
});

/** What attempts were of: where the block sits, its identity and the model asked. */
export const attemptSeries = sqliteTable(
  'attempt_series',
  {
    id: integer('id').primaryKey(),
    /** Enclosing composite ids joined with "/" ('' at the top). */
    path: text('path').notNull(),
    blockId: text('block_id').notNull(),
    blockName: text('block_name').notNull(),
    blockType: text('block_type').notNull(),
    blockVersion: text('block_version').notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
  },
  (t) => [
    uniqueIndex('attempt_series_uq').on(
      t.blockName,
      t.blockType,
      t.blockVersion,
      t.provider,
      t.model,
      t.path,
      t.blockId,
    ),
  ],
);

function decode(column: AnySQLiteColumn, codes: Readonly<Record<string, number>>) {
  const whens = Object.entries(codes).map(([name, code]) => `WHEN ${code} THEN '${name}'`);
  return sql<string>`CASE ${column} ${sql.raw(whens.join(' '))} END`;
}

/** Attempts with their run and series joined back in: the row as people think of it. */
export const attemptsView = sqliteView('attempts_view').as((qb) =>
  qb
    .select({
      id: attempts.id,
      runId: attemptRuns.runId,
      graphId: attemptRuns.graphId,
      path: attemptSeries.path,
      blockId: attemptSeries.blockId,
      blockName: attemptSeries.blockName,
      blockType: attemptSeries.blockType,
      blockVersion: attemptSeries.blockVersion,
      provider: attemptSeries.provider,
      model: attemptSeries.model,
      attempt: attempts.attempt,
      retry: attempts.retry,
      kind: decode(attempts.kind, KIND_CODES).as('kind'),
      startedAt: attempts.startedAt,
      latencyMs: attempts.latencyMs,
      ttftMs: attempts.ttftMs,
      tokensIn: attempts.tokensIn,
      tokensOut: attempts.tokensOut,
      costUsd: attempts.costUsd,
      status: decode(attempts.status, STATUS_CODES).as('status'),
      waitedMs: attempts.waitedMs,
      selectionReason: attempts.selectionReason,
      error: attempts.error,
    })
    .from(attempts)
    .innerJoin(attemptRuns, eq(attemptRuns.id, attempts.runRef))
    .innerJoin(attemptSeries, eq(attemptSeries.id, attempts.seriesRef)),
);

/**
 * Running aggregates per block identity (provider = model = '') and per (identity, provider,
 * model). Lifetime Welford moments as columns; the latency sketch as bytes; the recency state
 * (decayed moments, change detector, last latencies) as bytes. Saved behind the attempts they count
 * (see `stats_state`); only the attempts after the saved point are ever folded in again.
 */
export const blockAggregates = sqliteTable(
  'block_aggregates',
  {
    /** Rows are rewritten by rowid at every flush that changes them (the cheapest update). */
    id: integer('id').primaryKey(),
    blockName: text('block_name').notNull(),
    blockType: text('block_type').notNull(),
    blockVersion: text('block_version').notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    count: integer('count').notNull(),
    visits: integer('visits').notNull(),
    okCount: integer('ok_count').notNull(),
    statusCounts: text('status_counts', { mode: 'json' }).notNull(),
    latencyN: real('latency_n').notNull(),
    latencyMean: real('latency_mean').notNull(),
    latencyM2: real('latency_m2').notNull(),
    costN: real('cost_n').notNull(),
    costMean: real('cost_mean').notNull(),
    costM2: real('cost_m2').notNull(),
    tokensInN: real('tokens_in_n').notNull(),
    tokensInMean: real('tokens_in_mean').notNull(),
    tokensInM2: real('tokens_in_m2').notNull(),
    tokensOutN: real('tokens_out_n').notNull(),
    tokensOutMean: real('tokens_out_mean').notNull(),
    tokensOutM2: real('tokens_out_m2').notNull(),
    ttftN: real('ttft_n').notNull(),
    ttftMean: real('ttft_mean').notNull(),
    ttftM2: real('ttft_m2').notNull(),
    /** LogSketch.toBytes(): the (decayed) latency quantile sketch. */
    latencySketch: blob('latency_sketch', { mode: 'buffer' }).notNull(),
    /** Float64 little-endian: AttemptAggregate.recencyArray() (decayed moments, detector, ring). */
    recency: blob('recency', { mode: 'buffer' }).notNull(),
    firstAt: integer('first_at').notNull(),
    lastAt: integer('last_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('block_aggregates_key_uq').on(t.blockName, t.blockType, t.blockVersion, t.provider, t.model),
  ],
);

/**
 * How often each transition was taken, keyed by graph (not version) and condition hash, so that
 * saving an unrelated change keeps branch probabilities. `scope`: enclosing composite ids, "/".
 */
export const transitionCounts = sqliteTable(
  'transition_counts',
  {
    graphId: text('graph_id').notNull(),
    scope: text('scope').notNull(),
    fromBlock: text('from_block').notNull(),
    toBlock: text('to_block').notNull(),
    conditionHash: text('condition_hash').notNull(),
    count: integer('count').notNull(),
    lastAt: integer('last_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.graphId, t.scope, t.fromBlock, t.toBlock, t.conditionHash] })],
);

/** Visits (loop iterations) and finishes per block of a graph: the denominators of branch odds. */
export const visitCounts = sqliteTable(
  'visit_counts',
  {
    graphId: text('graph_id').notNull(),
    scope: text('scope').notNull(),
    blockId: text('block_id').notNull(),
    visits: integer('visits').notNull(),
    /** Runs in which the block started at least once: visits / runs = iterations per run. */
    runs: integer('runs').notNull(),
    finishes: integer('finishes').notNull(),
    maxVisitsInRun: integer('max_visits_in_run').notNull(),
    lastAt: integer('last_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.graphId, t.scope, t.blockId] })],
);

/** Whole-run figures per graph: what history says a run cost and took, next to the estimate. */
export const graphRunStats = sqliteTable('graph_run_stats', {
  graphId: text('graph_id').primaryKey(),
  runs: integer('runs').notNull(),
  finished: integer('finished').notNull(),
  failed: integer('failed').notNull(),
  durationN: real('duration_n').notNull(),
  durationMean: real('duration_mean').notNull(),
  durationM2: real('duration_m2').notNull(),
  costN: real('cost_n').notNull(),
  costMean: real('cost_mean').notNull(),
  costM2: real('cost_m2').notNull(),
  lastAt: integer('last_at').notNull(),
});
