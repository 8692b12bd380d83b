import type {
  AttemptRecord,
  BlockEstimate,
  BlockIdentity,
  CompiledGraph,
  EventSink,
  GraphEstimate,
  GraphEstimateOptions,
  ModelEstimates,
  RecencyOptions,
  RunEvent,
  SketchJSON,
} from '@graphwright/shared';
import type { LineageEntry } from '../lineage';
import type { TransitionCount, VisitCount } from './reads';
import type { RecentAttempt, RecentQuery } from './recent';
import type { RetentionOptions } from './retention';

/** The stats store's contract, options and counters (the SQLite implementation is in store.ts). */

export interface StatsStoreOptions {
  /** Queued events that trigger a flush on the next event-loop turn. */
  readonly batchSize?: number;
  /** Queued events past which `record` flushes synchronously. */
  readonly maxQueue?: number;
  /** Longest time an accepted event waits before its flush starts. */
  readonly flushIntervalMs?: number;
  /** Longest time a changed aggregate waits before its row is saved (0: with every flush). */
  readonly aggregateSaveIntervalMs?: number;
  /** Fewer samples than this on a block version: the estimate falls back to the previous version. */
  readonly minSamples?: number;
  /** Retention of attempt rows; aggregates keep their figures. Off when absent. */
  readonly retention?: RetentionOptions;
  readonly recency?: Partial<RecencyOptions>;
  /** Most aggregates kept in memory. */
  readonly cacheSize?: number;
  readonly now?: () => number;
  /** Background flush and prune failures (the store keeps going). */
  readonly onError?: (error: unknown) => void;
}

export interface EstimateContext {
  /** With blockId (scoped: "composite/inner"), lets the fallback follow this graph's lineage. */
  readonly graphId?: string | undefined;
  readonly blockId?: string | undefined;
  /** With model: the per-model aggregate instead of the identity-wide one. */
  readonly provider?: string | undefined;
  readonly model?: string | undefined;
}

export interface StatsCounters {
  readonly pending: number;
  readonly recorded: number;
  readonly attemptsWritten: number;
  readonly flushes: number;
  readonly failedFlushes: number;
  readonly dropped: number;
  readonly cachedAggregates: number;
  /** Aggregates whose rows are behind (saved within aggregateSaveIntervalMs). */
  readonly unsavedAggregates: number;
  readonly lastFlushMs: number;
  readonly pruned: number;
}

export interface StatsStore {
  /** Accepts any run event; counts what stats need and ignores the rest. Never throws. */
  record(event: RunEvent, graphId?: string): void;
  recordAttempt(record: AttemptRecord, graphId?: string): void;
  /** An event sink bound to a graph id (the engine's EventSink). */
  sink(graphId?: string): EventSink;
  /** Commits everything queued and saves the aggregates' rows, now. */
  flush(): void;
  /** Flushes, stops the timers; later events are dropped (and counted). */
  close(): void;
  estimateBlock(identity: BlockIdentity, ctx?: EstimateContext): BlockEstimate | undefined;
  /** The estimate with the latency sketch behind it (for a histogram); undefined without history. */
  blockHistory(identity: BlockIdentity, ctx?: EstimateContext): BlockHistory | undefined;
  estimateGraph(
    compiled: CompiledGraph,
    ctx: { graphId: string },
    opts?: GraphEstimateOptions,
  ): GraphEstimate;
  /** The newest attempts of one block, newest first (a bounded read). */
  recentAttempts(q: RecentQuery): RecentAttempt[];
  transitionCounts(graphId: string): TransitionCount[];
  visitCounts(graphId: string): VisitCount[];
  /** What the LLM service's model selection reads. */
  readonly modelEstimates: ModelEstimates;
  /** Records which block version replaced which (for writers other than the graph store). */
  recordLineage(graphId: string, entries: readonly LineageEntry[], graphVersionId?: string): void;
  /** Deletes attempt rows recorded more than maxAgeMs ago (default: the retention age); returns how many. */
  prune(maxAgeMs?: number): number;
  counters(): StatsCounters;
}

export interface BlockHistory {
  readonly estimate: BlockEstimate;
  readonly sketch: SketchJSON;
  /** The block version whose history this is (the previous one when the estimate falls back). */
  readonly version: string;
}
