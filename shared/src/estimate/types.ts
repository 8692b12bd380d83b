import type { BlockType } from '../graph/schema';

/** A block's stats identity: history from an old prompt never stands for a new one. */
export interface BlockIdentity {
  readonly name: string;
  readonly type: BlockType;
  readonly version: string;
}

/** What history says about one block identity (optionally for one model). */
export interface BlockEstimate {
  readonly samples: number;
  readonly latencyMeanMs: number;
  readonly latencyStdMs: number;
  readonly latencyP50Ms: number;
  readonly latencyP95Ms: number;
  readonly latencyP99Ms: number;
  /** Mean cost of one attempt in USD; null when no attempt had a known price. */
  readonly costMeanUsd: number | null;
  readonly costStdUsd: number | null;
  readonly tokensInMean: number;
  readonly tokensOutMean: number;
  /** Share of attempts with status ok. */
  readonly successRate: number;
  /** Mean attempts per block visit (1 = never retried). */
  readonly attemptsPerVisit: number;
  /** Set when too few samples exist for this version and the figures come from the previous one. */
  readonly fromPreviousVersion?: string | undefined;
}

/**
 * Read side of the stats store as the LLM service's model selection sees it. Implemented over the
 * SQLite aggregates on the server and by a fixed fake in tests.
 */
export interface ModelEstimates {
  forModel(identity: BlockIdentity, provider: string, model: string): BlockEstimate | undefined;
}
