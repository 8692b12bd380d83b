import type { BlockType } from '../graph/schema';
import type { ResponseStatus } from './status';

/**
 * The engine's only output. The server stores and streams these; the web folds them into its
 * store; stats and checkpoints consume them. `seq` is contiguous per run, starting at 0.
 */

/** Where a block sits: ids of the enclosing composite blocks, outermost first ([] at the top). */
export type BlockPath = readonly string[];

export type RunErrorCode =
  | 'block_failed'
  | 'max_iterations'
  | 'max_visits'
  | 'timeout'
  | 'deadline'
  | 'cancelled'
  | 'budget_exceeded'
  | 'expression_error'
  | 'invalid_input'
  | 'internal';

export interface RunError {
  readonly code: RunErrorCode;
  readonly message: string;
  readonly blockId?: string | undefined;
  readonly path?: BlockPath | undefined;
  readonly status?: ResponseStatus | undefined;
}

/** One row per attempt of one block in one run (retries, fallbacks and repairs included). */
export interface AttemptRecord {
  readonly runId: string;
  readonly blockId: string;
  readonly path: BlockPath;
  readonly blockName: string;
  readonly blockType: BlockType;
  readonly blockVersion: string;
  /** 1-based within this visit of the block. */
  readonly attempt: number;
  /** How many retries of the same model preceded this attempt. */
  readonly retry: number;
  readonly kind: 'first' | 'retry' | 'fallback' | 'repair';
  readonly provider: string;
  readonly model: string;
  readonly startedAt: number;
  readonly latencyMs: number;
  readonly ttftMs?: number | undefined;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly costUsd: number | null;
  readonly status: ResponseStatus;
  readonly error?: string | undefined;
  readonly retryAfterMs?: number | undefined;
  /** How long the engine waited before this attempt (backoff or Retry-After). */
  readonly waitedMs?: number | undefined;
  readonly selectionReason?: string | undefined;
  /** Rendered messages, response text and parsed output, for the inspector. */
  readonly request?: { readonly messages: readonly { role: string; content: string }[] } | undefined;
  readonly responseText?: string | undefined;
  readonly output?: unknown;
}

export interface RunTotals {
  readonly durationMs: number;
  /** null when any attempt's cost was unknown. */
  readonly costUsd: number | null;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly attempts: number;
  readonly blockExecutions: number;
}

interface Base {
  readonly runId: string;
  readonly seq: number;
  /** Milliseconds since the epoch, from the injected clock. */
  readonly at: number;
}

interface BlockBase extends Base {
  readonly blockId: string;
  readonly path: BlockPath;
}

export type RunEvent =
  | (Base & {
      readonly type: 'run_started';
      readonly graphHash: string;
      readonly graphName: string;
      readonly input: unknown;
      /** Set when this run resumes or forks an earlier one. */
      readonly resumedFrom?: { readonly runId: string; readonly checkpointId: string } | undefined;
    })
  | (Base & {
      readonly type: 'run_finished';
      readonly outputs: Readonly<Record<string, unknown>>;
      readonly totals: RunTotals;
    })
  | (Base & { readonly type: 'run_failed'; readonly error: RunError; readonly totals: RunTotals })
  | (Base & {
      readonly type: 'run_interrupted';
      readonly blockId: string;
      readonly path: BlockPath;
      readonly when: 'before' | 'after' | 'step';
      readonly checkpointId: string;
    })
  | (BlockBase & {
      readonly type: 'block_started';
      readonly blockName: string;
      readonly blockType: BlockType;
      readonly blockVersion: string;
      /** 1-based: how many times this block has started in this run (loops). */
      readonly visit: number;
    })
  | (BlockBase & { readonly type: 'block_finished'; readonly output: unknown; readonly durationMs: number })
  | (BlockBase & { readonly type: 'block_failed'; readonly error: RunError; readonly durationMs: number })
  | (BlockBase & { readonly type: 'block_skipped'; readonly reason: string })
  | (BlockBase & {
      readonly type: 'attempt_started';
      readonly attempt: number;
      readonly kind: AttemptRecord['kind'];
      readonly provider: string;
      readonly model: string;
    })
  | (BlockBase & { readonly type: 'attempt_finished'; readonly record: AttemptRecord })
  | (BlockBase & { readonly type: 'token_delta'; readonly attempt: number; readonly text: string })
  | (Base & {
      readonly type: 'transition_taken';
      readonly path: BlockPath;
      readonly transitionId: string;
      readonly from: string;
      readonly to: string;
      readonly conditionHash: string;
    })
  | (Base & {
      readonly type: 'checkpoint_written';
      readonly checkpointId: string;
      readonly step: number;
      readonly kind: 'delta' | 'snapshot';
      readonly bytes: number;
    });

export type RunEventType = RunEvent['type'];
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;

/** Where events go. Called synchronously; it must not block (the server queues and batches). */
export type EventSink = (event: RunEvent) => void;
