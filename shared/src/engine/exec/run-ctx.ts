import type { AttemptRecord, BlockPath, RunError, RunEvent, RunTotals } from '../events';
import type { EngineContext, RunRequest } from './context';

/** The reason a finished timer is aborted with: a given reason spares building a DOMException. */
export const TIMER_DONE: unique symbol = Symbol('timer done');

/** Distributes Omit over the RunEvent union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EventBody = DistributiveOmit<RunEvent, 'runId' | 'seq' | 'at'>;

/**
 * What is shared by every level of one run: the event sequence, totals, limits counted across
 * composites, the budget and the run-wide abort (cancel, deadline, first fatal error).
 */
export class RunCtx {
  seq: number;
  iterations = 0;
  blockExecutions = 0;
  attempts = 0;
  tokensIn = 0;
  tokensOut = 0;
  cost = 0;
  costKnown = true;
  failure: RunError | undefined;
  readonly startedAt: number;
  readonly abort = new AbortController();
  readonly maxIterations: number;

  constructor(
    readonly ctx: EngineContext,
    readonly req: RunRequest,
    maxIterations: number,
  ) {
    this.seq = req.startSeq ?? 0;
    this.startedAt = ctx.now();
    this.maxIterations = maxIterations;
  }

  /**
   * Stamps and sends an event. The body is always a fresh literal made for this call, so the
   * stamps are written onto it rather than copied into a new object (a spread per event was the
   * engine's largest cost per step).
   */
  emit(body: EventBody): void {
    const e = body as EventBody & { runId: string; seq: number; at: number };
    e.runId = this.req.runId;
    e.seq = this.seq++;
    e.at = this.ctx.now();
    this.ctx.sink(e as RunEvent);
  }

  recordAttempt(r: AttemptRecord): void {
    this.attempts++;
    this.tokensIn += r.tokensIn;
    this.tokensOut += r.tokensOut;
    if (r.costUsd === null) this.costKnown = false;
    else this.cost += r.costUsd;
  }

  overBudget(): boolean {
    return this.req.budgetUsd !== undefined && this.cost > this.req.budgetUsd;
  }

  /** Ends the run with an error (the first one wins) and stops everything still running. */
  fail(error: RunError): void {
    if (this.failure) return;
    this.failure = error;
    this.abort.abort(error);
  }

  /** The error for work stopped by the run-wide abort. */
  abortError(blockId: string, path: BlockPath): RunError {
    return (
      this.failure ?? {
        code: 'cancelled',
        message: 'The run was cancelled.',
        blockId,
        path,
        status: 'cancelled',
      }
    );
  }

  totals(): RunTotals {
    return {
      durationMs: this.ctx.now() - this.startedAt,
      costUsd: this.costKnown ? this.cost : null,
      tokensIn: this.tokensIn,
      tokensOut: this.tokensOut,
      attempts: this.attempts,
      blockExecutions: this.blockExecutions,
    };
  }
}

/** Freezes a value and everything in it (development and tests: a mutation then throws). */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value as object)) deepFreeze(v);
  return value;
}
