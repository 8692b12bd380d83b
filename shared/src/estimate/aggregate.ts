import type { ResponseStatus } from '../engine/status';
import { type RecencyOptions, RecentLatency, type RecentLatencyJSON } from './recency';
import type { LogSketch } from './sketch';
import type { BlockEstimate } from './types';
import { type MomentsState, Welford } from './welford';

/**
 * The running aggregate of every attempt of one block identity (optionally for one model): what an
 * estimate reads in O(1), maintained in a single pass and never rebuilt from history. Lifetime
 * figures (count, counts by status, Welford moments of latency, cost and tokens) are exact; the
 * latency figures an estimate reports (mean, spread, p50/p95/p99) and the success rate come from the
 * recency state, so they follow a provider that changes.
 */

/** What the aggregate reads from an attempt (an `AttemptRecord` satisfies it). */
export interface AggregateSample {
  readonly status: ResponseStatus;
  readonly latencyMs: number;
  readonly ttftMs?: number | undefined;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly costUsd: number | null;
  /** 1-based attempt number within a visit: 1 marks a new visit of the block. */
  readonly attempt: number;
  readonly startedAt: number;
}

export interface AggregateJSON {
  readonly count: number;
  readonly visits: number;
  readonly statusCounts: Readonly<Partial<Record<ResponseStatus, number>>>;
  readonly latency: MomentsState;
  readonly cost: MomentsState;
  readonly tokensIn: MomentsState;
  readonly tokensOut: MomentsState;
  readonly ttft: MomentsState;
  readonly recentWeight: number;
  readonly recentOk: number;
  readonly firstAt: number;
  readonly lastAt: number;
  /** Absent only when the caller restores recency itself (see fromStored). */
  readonly recent: RecentLatencyJSON | undefined;
}

/**
 * Attempts that say nothing about the model: a user cancelled them, or the budget stopped them
 * before or while they ran. They are counted, but kept out of latency and success figures.
 */
function isInformative(status: ResponseStatus): boolean {
  return status !== 'cancelled' && status !== 'budget_exceeded';
}

export class AttemptAggregate {
  count = 0;
  visits = 0;
  statusCounts: Partial<Record<ResponseStatus, number>> = {};
  readonly latency = new Welford();
  /** Over attempts with a known price only. */
  readonly cost = new Welford();
  readonly tokensIn = new Welford();
  readonly tokensOut = new Welford();
  readonly ttft = new Welford();
  readonly recent: RecentLatency;
  /** Decayed count of informative attempts and of those that were ok (the recent success rate). */
  recentWeight = 0;
  recentOk = 0;
  firstAt = 0;
  lastAt = 0;
  private readonly decay: number;
  private cached: BlockEstimate | undefined;

  constructor(opts: Partial<RecencyOptions> = {}, recent?: RecentLatency) {
    this.recent = recent ?? new RecentLatency(opts);
    this.decay = 2 ** (-1 / this.recent.opts.halfLife);
  }

  add(a: AggregateSample): void {
    this.cached = undefined;
    this.count++;
    if (a.attempt <= 1) this.visits++;
    this.statusCounts[a.status] = (this.statusCounts[a.status] ?? 0) + 1;
    if (this.count === 1 || a.startedAt < this.firstAt) this.firstAt = a.startedAt;
    if (a.startedAt > this.lastAt) this.lastAt = a.startedAt;
    this.tokensIn.add(a.tokensIn);
    this.tokensOut.add(a.tokensOut);
    if (a.costUsd !== null && Number.isFinite(a.costUsd)) this.cost.add(a.costUsd);
    if (!isInformative(a.status)) return;
    this.latency.add(a.latencyMs);
    if (a.ttftMs !== undefined) this.ttft.add(a.ttftMs);
    this.recent.add(a.latencyMs);
    this.recentWeight = this.recentWeight * this.decay + 1;
    this.recentOk = this.recentOk * this.decay + (a.status === 'ok' ? 1 : 0);
  }

  /** The figures an estimate shows; computed once per change, so repeated reads are O(1). */
  estimate(): BlockEstimate {
    if (this.cached) return this.cached;
    this.recent.flushSketchDecay();
    const hasRecent = this.recent.moments.n > 0;
    const informative =
      this.count - (this.statusCounts.cancelled ?? 0) - (this.statusCounts.budget_exceeded ?? 0);
    const q = (p: number): number => {
      const v = this.recent.quantile(p);
      return Number.isNaN(v) ? this.latency.mean : v;
    };
    this.cached = Object.freeze({
      samples: this.count,
      latencyMeanMs: hasRecent ? this.recent.mean() : this.latency.mean,
      latencyStdMs: hasRecent ? this.recent.std() : this.latency.std(),
      latencyP50Ms: q(0.5),
      latencyP95Ms: q(0.95),
      latencyP99Ms: q(0.99),
      costMeanUsd: this.cost.n > 0 ? this.cost.mean : null,
      costStdUsd: this.cost.n > 0 ? this.cost.std() : null,
      tokensInMean: this.tokensIn.mean,
      tokensOutMean: this.tokensOut.mean,
      successRate:
        this.recentWeight > 0
          ? this.recentOk / this.recentWeight
          : informative > 0
            ? (this.statusCounts.ok ?? 0) / informative
            : 1,
      attemptsPerVisit: this.visits > 0 ? this.count / this.visits : 1,
    });
    return this.cached;
  }

  get sketch(): LogSketch {
    return this.recent.sketch;
  }

  /** The whole state; without the sketch when the caller stores `sketch.toBytes()` separately. */
  toJSON(includeSketch = true): AggregateJSON {
    return {
      count: this.count,
      visits: this.visits,
      statusCounts: { ...this.statusCounts },
      latency: this.latency.toJSON(),
      cost: this.cost.toJSON(),
      tokensIn: this.tokensIn.toJSON(),
      tokensOut: this.tokensOut.toJSON(),
      ttft: this.ttft.toJSON(),
      recentWeight: this.recentWeight,
      recentOk: this.recentOk,
      firstAt: this.firstAt,
      lastAt: this.lastAt,
      recent: this.recent.toJSON(includeSketch),
    };
  }

  /** Recency as a flat array for storage: [recentWeight, recentOk, ...RecentLatency.toArray()]. */
  recencyArray(): Float64Array {
    const r = this.recent.toArray();
    const a = new Float64Array(r.length + 2);
    a[0] = this.recentWeight;
    a[1] = this.recentOk;
    a.set(r, 2);
    return a;
  }

  /** Restores an aggregate from its lifetime figures, `recencyArray()` and the sketch (stored apart). */
  static fromStored(
    lifetime: Omit<AggregateJSON, 'recent' | 'recentWeight' | 'recentOk'>,
    recency: Float64Array,
    sketch: LogSketch,
    opts: Partial<RecencyOptions> = {},
  ): AttemptAggregate {
    const a = AttemptAggregate.fromJSON(
      { ...lifetime, recentWeight: 0, recentOk: 0, recent: undefined },
      opts,
      undefined,
      RecentLatency.fromArray(recency.subarray(2), opts, sketch),
    );
    a.recentWeight = recency[0] as number;
    a.recentOk = recency[1] as number;
    return a;
  }

  static fromJSON(
    j: AggregateJSON,
    opts: Partial<RecencyOptions> = {},
    sketch?: LogSketch,
    recent?: RecentLatency,
  ): AttemptAggregate {
    const a = new AttemptAggregate(opts, recent ?? RecentLatency.fromJSON(j.recent, opts, sketch));
    a.count = j.count;
    a.visits = j.visits;
    a.statusCounts = { ...j.statusCounts };
    a.latency.merge(j.latency);
    a.cost.merge(j.cost);
    a.tokensIn.merge(j.tokensIn);
    a.tokensOut.merge(j.tokensOut);
    a.ttft.merge(j.ttft);
    a.recentWeight = j.recentWeight;
    a.recentOk = j.recentOk;
    a.firstAt = j.firstAt;
    a.lastAt = j.lastAt;
    return a;
  }
}
