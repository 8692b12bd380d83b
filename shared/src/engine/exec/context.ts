import type { EventSink, RunError, RunTotals } from '../events';
import type { LlmCaller } from '../llm';

/**
 * Everything the engine needs from the outside comes in here: no timers, I/O or globals of its
 * own. The server passes real ones; tests pass fakes (an instant sleep, a fixed clock).
 */
export interface EngineContext {
  readonly llm: LlmCaller;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** Resolves after `ms`, or early (without rejecting) when `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Receives every event, synchronously; it must not block. */
  readonly sink: EventSink;
  /** In [0, 1): jitter for retries. Seed it in tests. */
  readonly random?: (() => number) | undefined;
  /** Deep-freeze every value put into the run state, so a mutation throws (on in tests). */
  readonly freeze?: boolean | undefined;
  /** Where checkpoints go when the run asks for them (interrupts, resume, fork). */
  readonly checkpoints?: CheckpointStore | undefined;
}

/** What one run is asked to do. */
export interface RunRequest {
  readonly runId: string;
  readonly input: unknown;
  /** Aborting it cancels the run; the signal is handed to every LLM call. */
  readonly signal?: AbortSignal | undefined;
  /** Pause before / after these top-level blocks (by id). */
  readonly interruptBefore?: readonly string[] | undefined;
  readonly interruptAfter?: readonly string[] | undefined;
  /** Stop with budget_exceeded once recorded cost passes this many USD. */
  readonly budgetUsd?: number | undefined;
  /** The whole run's time limit in ms (overrides the graph's limits.deadlineMs). */
  readonly deadlineMs?: number | undefined;
  /** Every llm block calls this provider instead of its own (e.g. "simulated"). */
  readonly providerOverride?: string | undefined;
  /** First sequence number (a resumed run continues its numbering). */
  readonly startSeq?: number | undefined;
  /** Step number of this run's first checkpoint (a resumed run continues after its last one). */
  readonly firstCheckpointStep?: number | undefined;
  /** Continue from a checkpoint instead of starting at the input block. */
  readonly resumeFrom?: ResumePoint | undefined;
  /** Run one block at a time: pause after each top-level block. */
  readonly step?: boolean | undefined;
}

export interface RunResult {
  readonly status: 'finished' | 'failed' | 'interrupted';
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly error?: RunError | undefined;
  readonly totals: RunTotals;
  /** Set when interrupted: the checkpoint to resume from. */
  readonly checkpointId?: string | undefined;
}

/** A pending activation of a top-level block: what the run does next. */
export interface FrontierItem {
  readonly block: string;
  /** The block whose transition activated it ('' for the start). */
  readonly from: string;
}

/** The full top-level state at a checkpoint. */
export interface StateSnapshot {
  readonly out: Readonly<Record<string, unknown>>;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly visits: Readonly<Record<string, number>>;
  readonly iterations: number;
  readonly costUsd: number | null;
}

/** What changed since the previous checkpoint of the run. */
export interface StateDelta {
  readonly out: Readonly<Record<string, unknown>>;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly visits: Readonly<Record<string, number>>;
  readonly iterations: number;
  readonly costUsd: number | null;
}

export interface CheckpointRecord {
  readonly id: string;
  readonly runId: string;
  readonly step: number;
  readonly kind: 'delta' | 'snapshot';
  /** StateSnapshot or StateDelta as JSON: serialised once, by the engine, and stored as is. */
  readonly json: string;
  readonly frontier: readonly FrontierItem[];
  /** Next event sequence number at the time of the checkpoint. */
  readonly nextSeq: number;
  /** Interrupt that this checkpoint was written for ("before:<id>" / "after:<id>"), if any. */
  readonly pausedAt?: string | undefined;
}

/** Checkpoints of runs: the server stores them in SQLite, tests in memory. */
export interface CheckpointStore {
  put(record: CheckpointRecord): void;
  /** Records of a run in step order. */
  list(runId: string): readonly CheckpointRecord[];
  get(id: string): CheckpointRecord | undefined;
}

/** Where a resumed or forked run starts: a materialised state and its frontier. */
export interface ResumePoint {
  readonly state: StateSnapshot;
  readonly frontier: readonly FrontierItem[];
  /** Interrupts already honoured at this point (so resuming does not pause again at once). */
  readonly skipInterrupt?: string | undefined;
  readonly resumedFrom?: { readonly runId: string; readonly checkpointId: string } | undefined;
}
