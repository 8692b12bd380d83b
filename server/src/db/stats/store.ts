import {
  type AttemptRecord,
  type BlockEstimate,
  type BlockIdentity,
  type CompiledGraph,
  type EventSink,
  estimateGraph,
  type GraphEstimate,
  type GraphEstimateOptions,
  type ModelEstimates,
  type RunEvent,
  scopedId,
} from '@graphwright/shared';
import type BetterSqlite3 from 'better-sqlite3';
import type { LineageEntry } from '../lineage';
import type { Database } from '../open';
import { AggregateCache } from './cache';
import { PendingBatch } from './pending';
import {
  LineageCache,
  readTransitionCounts,
  readVisitCounts,
  type TransitionCount,
  type VisitCount,
} from './reads';
import { type RecentAttempt, type RecentQuery, readRecentAttempts } from './recent';
import { foldAttemptsAfter, readAggregatesThrough } from './replay';
import { branchCounts, type ResolvedAggregate, resolveAggregate } from './resolve';
import { Retention } from './retention';
import {
  ATTEMPT_PARAMS,
  INSERT_CHUNK,
  INSERT_TAIL_CHUNK,
  prepareStatements,
  pushAttemptParams,
  type Statements,
  type StoredAggregate,
  saveAggregate,
} from './rows';
import type { BlockHistory, EstimateContext, StatsCounters, StatsStore, StatsStoreOptions } from './types';

/**
 * The stats store: attempts appended in batched transactions off the engine's hot path, running
 * aggregates updated in the same transaction, estimates read from the aggregates in O(1).
 *
 * - `record` only queues (an array push). A flush runs on the next turn of the event loop once
 *   `batchSize` events wait, or `flushIntervalMs` after the first one; past `maxQueue` the caller
 *   flushes synchronously, which bounds memory whatever the load (back-pressure).
 * - Aggregates live in a bounded in-memory cache, loaded from their row on first use; estimates
 *   read the cache, which counts every committed attempt. The rows are written behind the attempts:
 *   at most every `aggregateSaveIntervalMs`, in the same transaction as a batch of attempts, with
 *   how far they count (`stats_state`). Rewriting ~1 KB rows with every batch cost more than the
 *   appends themselves. After a crash (or a failed commit) the attempts after that point are folded
 *   in again, so nothing committed is ever missing from an estimate.
 * - Memory does not grow with history: attempts leave memory when committed, aggregates are
 *   fixed-size, and the caches are bounded.
 * - One process writes a database's stats (the cache assumes no other writer of aggregates).
 */

export type { BlockHistory, EstimateContext, StatsCounters, StatsStore, StatsStoreOptions } from './types';
export type { RecentAttempt, RecentQuery, TransitionCount, VisitCount };

const MAX_RUNS_REMEMBERED = 10_000;
/** Event types the store counts (everything else, token deltas included, is ignored at once). */
const COUNTED = new Set<RunEvent['type']>([
  'attempt_finished',
  'transition_taken',
  'block_started',
  'block_finished',
  'run_finished',
  'run_failed',
]);

export function createStatsStore(database: Database, opts: StatsStoreOptions = {}): StatsStore {
  return new SqliteStatsStore(database.sqlite, opts);
}

class SqliteStatsStore implements StatsStore {
  private readonly st: Statements;
  private readonly batchSize: number;
  private readonly maxQueue: number;
  private readonly flushIntervalMs: number;
  private readonly minSamples: number;
  private readonly now: () => number;
  private readonly onError: (e: unknown) => void;
  private batch = new PendingBatch();
  private readonly aggs: AggregateCache;
  private readonly lineage: LineageCache;
  private readonly retention: Retention;
  private readonly runGraphs = new Map<string, string>();
  /** Integer references of runs in the attempt rows (committed rows only). */
  private readonly runRefs = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private readonly aggregateSaveIntervalMs: number;
  /** Aggregates changed since their rows were saved. */
  private readonly dirty = new Set<StoredAggregate>();
  /** The saved aggregate rows count exactly the attempts with id ≤ this. */
  private savedThrough = 0;
  /** The last committed attempt id. */
  private lastAttemptId = 0;
  /** When the aggregates were last saved (performance.now(), so an injected clock cannot stall it). */
  private lastSaveAt = 0;
  /** A fold after a failed commit failed too: the cache holds saved rows only until it is redone. */
  private needsCatchUp = false;
  private closed = false;
  private readonly c = {
    recorded: 0,
    attemptsWritten: 0,
    flushes: 0,
    failedFlushes: 0,
    dropped: 0,
    lastFlushMs: 0,
  };
  private readonly params: unknown[] = [];
  readonly modelEstimates: ModelEstimates;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    opts: StatsStoreOptions,
  ) {
    this.st = prepareStatements(sqlite);
    this.batchSize = opts.batchSize ?? 2_000;
    this.maxQueue = Math.max(this.batchSize, opts.maxQueue ?? 50_000);
    this.flushIntervalMs = opts.flushIntervalMs ?? 200;
    this.aggregateSaveIntervalMs = opts.aggregateSaveIntervalMs ?? 1_000;
    this.minSamples = opts.minSamples ?? 20;
    this.now = opts.now ?? Date.now;
    this.onError = opts.onError ?? ((e) => console.error('stats store:', e));
    const cacheSize = opts.cacheSize ?? 50_000;
    this.aggs = new AggregateCache(this.st, opts.recency ?? {}, cacheSize);
    this.lineage = new LineageCache(this.st, this.now, cacheSize);
    this.retention = new Retention(
      this.st,
      opts.retention,
      this.now,
      this.onError,
      // Attempts the saved aggregates do not count yet are kept, whatever their age, and so is the
      // newest row: rowids are max + 1, so an emptied table would hand out ids at or below the
      // saved point again, and a fold after a crash would skip those attempts.
      () => Math.min(this.savedThrough, this.lastAttemptId - 1),
    );
    this.modelEstimates = {
      forModel: (identity, provider, model) => this.estimateBlock(identity, { provider, model }),
    };
    this.lastSaveAt = performance.now();
    this.catchUp();
  }

  /** Folds the committed attempts the saved aggregates do not count yet into the cache. */
  private catchUp(): void {
    this.savedThrough = readAggregatesThrough(this.st);
    this.lastAttemptId = foldAttemptsAfter(this.st, this.aggs, this.savedThrough, this.dirty);
    this.scheduleSave();
  }

  // ─── Write side ──────────────────────────────────────────────────────────────────────────────

  record(event: RunEvent, graphId?: string): void {
    if (!COUNTED.has(event.type)) return;
    if (event.type === 'attempt_finished') {
      this.recordAttempt(event.record, graphId);
      return;
    }
    if (this.closed) {
      this.c.dropped++;
      return;
    }
    const g = this.graphOf(event.runId, graphId);
    if (event.type === 'run_finished' || event.type === 'run_failed') this.runGraphs.delete(event.runId);
    // Per-graph counters need the graph: a run nobody registered is counted in attempts only.
    if (g === '' || !this.batch.addEvent(event, g)) return;
    this.accepted();
  }

  recordAttempt(record: AttemptRecord, graphId?: string): void {
    if (this.closed) {
      this.c.dropped++;
      return;
    }
    this.batch.addAttempt(record, this.graphOf(record.runId, graphId));
    this.accepted();
  }

  sink(graphId?: string): EventSink {
    return (e) => this.record(e, graphId);
  }

  private accepted(): void {
    this.c.recorded++;
    const n = this.batch.size;
    if (n >= this.maxQueue) this.flushGuarded();
    else if (n >= this.batchSize) {
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        this.flushGuarded();
      });
    } else
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.flushGuarded();
      }, this.flushIntervalMs);
  }

  /** The run's graph id: given, remembered from an earlier event, or read from the runs table. */
  private graphOf(runId: string, given: string | undefined): string {
    if (given !== undefined) {
      if (this.runGraphs.get(runId) !== given) this.remember(runId, given);
      return given;
    }
    let g = this.runGraphs.get(runId);
    if (g === undefined) {
      const row = this.st.runGraph.get(runId) as { graph_id: string } | undefined;
      g = row?.graph_id ?? '';
      this.remember(runId, g);
    }
    return g;
  }

  private remember(runId: string, graphId: string): void {
    // Forgetting everything at the cap is O(1) amortised (evicting one by one from the front of a
    // Map is not); a run forgotten while still active is found again in the runs table.
    if (this.runGraphs.size >= MAX_RUNS_REMEMBERED) this.runGraphs.clear();
    this.runGraphs.set(runId, graphId);
  }

  private flushGuarded(save = false): void {
    try {
      this.commit(save);
    } catch (e) {
      this.onError(e);
    }
  }

  flush(): void {
    this.commit(true);
  }

  /** Commits the queued batch; saves the changed aggregates too when `save` or when they are due. */
  private commit(save: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    if (this.needsCatchUp) {
      // Throws (and keeps the queue) while the database still cannot be read.
      this.catchUp();
      this.needsCatchUp = false;
    }
    const b = this.batch;
    const savingAll =
      save ||
      this.aggregateSaveIntervalMs === 0 ||
      performance.now() - this.lastSaveAt >= this.aggregateSaveIntervalMs;
    if (b.size === 0 && (!savingAll || this.dirty.size === 0)) return;
    if (savingAll && this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    this.batch = new PendingBatch();
    const t0 = performance.now();
    const now = this.now();
    let lastId = this.lastAttemptId;
    try {
      this.sqlite.transaction(() => {
        const appended = this.appendAttempts(b);
        if (appended !== undefined) {
          lastId = appended;
          this.st.insertBatch.run(appended, b.attempts.length, now);
        }
        b.writeCounters(this.st);
        if (savingAll) {
          for (const a of this.dirty) saveAggregate(this.st, a, now);
          this.st.saveAggregatesThrough.run(lastId);
        }
      })();
    } catch (e) {
      this.c.failedFlushes++;
      this.c.dropped += b.size;
      this.recover();
      throw e;
    }
    this.lastAttemptId = lastId;
    if (savingAll) {
      this.dirty.clear();
      this.savedThrough = lastId;
      this.lastSaveAt = performance.now();
    } else this.scheduleSave();
    this.c.flushes++;
    this.c.attemptsWritten += b.attempts.length;
    this.c.lastFlushMs = performance.now() - t0;
    this.aggs.trim(this.dirty);
  }

  /** Saves the changed aggregates when they fall due, even if no attempt comes to carry them. */
  private scheduleSave(): void {
    if (this.dirty.size === 0 || this.saveTimer || this.closed) return;
    const wait = Math.max(0, this.lastSaveAt + this.aggregateSaveIntervalMs - performance.now());
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.flushGuarded(true);
    }, wait);
    // A process that exits without close() loses nothing: the next start folds the attempts in.
    this.saveTimer.unref();
  }

  /**
   * After a failed commit the cache may count attempts that were rolled back: rebuild it from the
   * saved rows and the committed attempts after them.
   */
  private recover(): void {
    this.aggs.clear();
    this.dirty.clear();
    this.runRefs.clear();
    try {
      this.catchUp();
    } catch (e) {
      // The database cannot be read either: forget the half-done fold (a save of it would move the
      // saved point past attempts it never counted) and fold again before the next commit.
      this.aggs.clear();
      this.dirty.clear();
      this.needsCatchUp = true;
      this.onError(e);
    }
  }

  /** Appends the batch's attempts (multi-row INSERTs) and folds each into its two aggregates. */
  private appendAttempts(b: PendingBatch): number | undefined {
    const touched = this.dirty;
    const rs = b.attempts;
    const p = this.params;
    p.length = 0;
    let inChunk = 0;
    let lastId: number | bigint | undefined;
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i] as AttemptRecord;
      const { all, model } = this.aggs.slotsFor(r);
      all.agg.add(r);
      model.stored.agg.add(r);
      touched.add(all);
      touched.add(model.stored);
      const scoped = r.path.length === 0 ? r.blockId : `${r.path.join('/')}/${r.blockId}`;
      let series = model.series.get(scoped);
      if (series === undefined) {
        series = this.seriesRef(r, scoped);
        model.series.set(scoped, series);
      }
      pushAttemptParams(p, r, this.runRef(r.runId, b.attemptGraphs[i] as string), series);
      if (++inChunk === INSERT_CHUNK) {
        lastId = this.st.insertAttempts.run(p).lastInsertRowid;
        p.length = 0;
        inChunk = 0;
      }
    }
    // The tail (at most INSERT_CHUNK − 1 rows): in chunks of INSERT_TAIL_CHUNK, then one at a time.
    let j = 0;
    for (; j + INSERT_TAIL_CHUNK <= inChunk; j += INSERT_TAIL_CHUNK)
      lastId = this.st.insertAttemptsTail.run(
        p.slice(j * ATTEMPT_PARAMS, (j + INSERT_TAIL_CHUNK) * ATTEMPT_PARAMS),
      ).lastInsertRowid;
    for (; j < inChunk; j++)
      lastId = this.st.insertAttempt.run(
        p.slice(j * ATTEMPT_PARAMS, (j + 1) * ATTEMPT_PARAMS),
      ).lastInsertRowid;
    p.length = 0;
    return lastId === undefined ? undefined : Number(lastId);
  }

  private runRef(runId: string, graphId: string): number {
    let ref = this.runRefs.get(runId);
    if (ref === undefined) {
      const ins = this.st.insertRunRef.run(runId, graphId || null, this.now());
      ref = ins.changes === 1 ? Number(ins.lastInsertRowid) : (this.st.selectRunRef.get(runId) as number);
      if (this.runRefs.size >= MAX_RUNS_REMEMBERED) this.runRefs.clear();
      this.runRefs.set(runId, ref);
    }
    return ref;
  }

  private seriesRef(r: AttemptRecord, scoped: string): number {
    const slash = scoped.lastIndexOf('/');
    const path = slash < 0 ? '' : scoped.slice(0, slash);
    const k = [r.blockName, r.blockType, r.blockVersion, r.provider, r.model, path, r.blockId];
    return (this.st.selectSeriesRef.get(...k) ?? this.st.insertSeriesRef.get(...k)) as number;
  }

  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      if (this.saveTimer) clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      this.retention.stop();
    }
  }

  // ─── Read side ───────────────────────────────────────────────────────────────────────────────

  estimateBlock(identity: BlockIdentity, ctx: EstimateContext = {}): BlockEstimate | undefined {
    const r = this.resolve(identity, ctx);
    if (!r) return undefined;
    return r.version === undefined
      ? r.agg.estimate()
      : { ...r.agg.estimate(), fromPreviousVersion: r.version };
  }

  blockHistory(identity: BlockIdentity, ctx: EstimateContext = {}): BlockHistory | undefined {
    const r = this.resolve(identity, ctx);
    if (!r) return undefined;
    return {
      estimate:
        r.version === undefined ? r.agg.estimate() : { ...r.agg.estimate(), fromPreviousVersion: r.version },
      sketch: r.agg.sketch.toJSON(),
      version: r.version ?? identity.version,
    };
  }

  /** The aggregate an estimate reads; `version` is set when it is a previous version's. */
  private resolve(identity: BlockIdentity, ctx: EstimateContext): ResolvedAggregate | undefined {
    return resolveAggregate(this.aggs, this.lineage, this.minSamples, identity, ctx);
  }

  estimateGraph(
    compiled: CompiledGraph,
    ctx: { graphId: string },
    opts?: GraphEstimateOptions,
  ): GraphEstimate {
    const graphId = ctx.graphId;
    const branches = branchCounts(this.transitionCounts(graphId), this.visitCounts(graphId));
    return estimateGraph(
      compiled,
      {
        // Only blocks that call out have attempts (input, output and transform run in-process).
        block: (b, path) =>
          b.type === 'input' || b.type === 'output' || b.type === 'transform'
            ? undefined
            : this.estimateBlock(
                { name: b.name, type: b.type, version: b.version },
                { graphId, blockId: scopedId(path, b.id) },
              ),
        branches,
      },
      opts,
    );
  }

  recentAttempts(q: RecentQuery): RecentAttempt[] {
    return readRecentAttempts(this.sqlite, q);
  }

  transitionCounts(graphId: string): TransitionCount[] {
    return readTransitionCounts(this.st, graphId);
  }

  visitCounts(graphId: string): VisitCount[] {
    return readVisitCounts(this.st, graphId);
  }

  recordLineage(graphId: string, entries: readonly LineageEntry[], graphVersionId?: string): void {
    this.lineage.record(this.sqlite, graphId, entries, graphVersionId);
  }

  prune(maxAgeMs?: number): number {
    return this.retention.prune(maxAgeMs);
  }

  counters(): StatsCounters {
    return {
      ...this.c,
      pending: this.batch.size,
      cachedAggregates: this.aggs.size,
      unsavedAggregates: this.dirty.size,
      pruned: this.retention.pruned,
    };
  }
}
