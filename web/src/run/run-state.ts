import type { AttemptRecord, BlockPath, BlockType, RunError, RunEvent, RunTotals } from '@graphwright/shared';
import type { BlockStatus } from '../store/types';

/**
 * A run as the browser sees it: the fold of its `RunEvent`s. `applyRunEvent` is pure and returns
 * the same object for an event it has already seen (by `seq`), so replaying a stored log after a
 * reconnect, or receiving one event twice, changes nothing.
 */

export type LiveBlockStatus = Exclude<BlockStatus, 'idle'>;
export type RunPhase = 'pending' | 'running' | 'interrupted' | 'finished' | 'failed' | 'cancelled';

/** Longest streamed text kept per attempt (the finished record carries the full response). */
export const MAX_STREAM_CHARS = 100_000;

export interface AttemptView {
  readonly attempt: number;
  /** Which visit of the block (loops) this attempt belongs to. */
  readonly visit: number;
  readonly kind: AttemptRecord['kind'];
  readonly provider: string;
  readonly model: string;
  readonly startedAt: number;
  /** Tokens streamed so far. */
  readonly text: string;
  /** Set when the attempt finished. */
  readonly record?: AttemptRecord | undefined;
}

export interface VisitView {
  readonly visit: number;
  readonly startedAt: number;
  readonly endedAt?: number | undefined;
  /** As the engine measured it, when the visit ended. */
  readonly durationMs?: number | undefined;
  readonly status: LiveBlockStatus;
}

export interface BlockRunView {
  /** path and id joined with "/" (unique across nested graphs). */
  readonly key: string;
  readonly blockId: string;
  readonly path: BlockPath;
  readonly name: string;
  readonly type?: BlockType | undefined;
  readonly status: LiveBlockStatus;
  readonly queuedAt?: number | undefined;
  readonly visits: readonly VisitView[];
  readonly attempts: readonly AttemptView[];
  readonly hasOutput: boolean;
  readonly output?: unknown;
  readonly error?: RunError | undefined;
  readonly skipReason?: string | undefined;
}

export interface CheckpointView {
  readonly id: string;
  readonly step: number;
  readonly kind: 'delta' | 'snapshot';
  readonly bytes: number;
  readonly at: number;
}

export interface RunState {
  readonly runId: string;
  /** Highest event seq applied; -1 before any. */
  readonly lastSeq: number;
  /** How many distinct events were applied (equals lastSeq + 1 when none was lost). */
  readonly applied: number;
  readonly phase: RunPhase;
  readonly graphName?: string | undefined;
  readonly input?: unknown;
  readonly resumedFrom?: { readonly runId: string; readonly checkpointId: string } | undefined;
  readonly startedAt?: number | undefined;
  readonly endedAt?: number | undefined;
  readonly lastEventAt?: number | undefined;
  readonly blocks: ReadonlyMap<string, BlockRunView>;
  /** Block keys in the order they first appeared. */
  readonly order: readonly string[];
  /** Scoped transition id → times taken. */
  readonly taken: ReadonlyMap<string, number>;
  readonly outputs?: Readonly<Record<string, unknown>> | undefined;
  readonly totals?: RunTotals | undefined;
  readonly error?: RunError | undefined;
  readonly interrupt?:
    | { readonly blockId: string; readonly when: 'before' | 'after' | 'step'; readonly checkpointId: string }
    | undefined;
  readonly checkpoints: readonly CheckpointView[];
}

export function scopedKey(path: BlockPath, id: string): string {
  return path.length === 0 ? id : `${path.join('/')}/${id}`;
}

export function initialRunState(runId: string): RunState {
  return {
    runId,
    lastSeq: -1,
    applied: 0,
    phase: 'pending',
    blocks: new Map(),
    order: [],
    taken: new Map(),
    checkpoints: [],
  };
}

export function isTerminalPhase(phase: RunPhase): boolean {
  return phase === 'finished' || phase === 'failed' || phase === 'cancelled';
}

type BlockEvent = Exclude<
  Extract<RunEvent, { blockId: string; path: BlockPath }>,
  { type: 'run_interrupted' }
>;

function emptyBlock(key: string, blockId: string, path: BlockPath): BlockRunView {
  return { key, blockId, path, name: blockId, status: 'queued', visits: [], attempts: [], hasOutput: false };
}

/** Replaces one block view, adding it to the order when it is new. */
function withBlock(state: RunState, key: string, next: BlockRunView): Pick<RunState, 'blocks' | 'order'> {
  const blocks = new Map(state.blocks);
  const isNew = !blocks.has(key);
  blocks.set(key, next);
  return { blocks, order: isNew ? [...state.order, key] : state.order };
}

function closeVisit(
  b: BlockRunView,
  at: number,
  status: LiveBlockStatus,
  durationMs?: number,
): readonly VisitView[] {
  const last = b.visits[b.visits.length - 1];
  if (!last || last.endedAt !== undefined) return b.visits;
  return [...b.visits.slice(0, -1), { ...last, endedAt: at, durationMs, status }];
}

/** Index of the attempt with this number in the block's latest visit, searching from the end. */
function attemptIndex(b: BlockRunView, attempt: number): number {
  const visit = b.visits.length;
  for (let i = b.attempts.length - 1; i >= 0; i--) {
    const a = b.attempts[i] as AttemptView;
    if (a.attempt === attempt && a.visit === visit) return i;
    if (a.visit < visit) break;
  }
  return -1;
}

function replaceAt<T>(list: readonly T[], i: number, item: T): readonly T[] {
  const next = list.slice();
  next[i] = item;
  return next;
}

function applyBlockEvent(state: RunState, e: BlockEvent): Partial<RunState> | undefined {
  const key = scopedKey(e.path, e.blockId);
  const b = state.blocks.get(key) ?? emptyBlock(key, e.blockId, e.path);
  switch (e.type) {
    case 'block_started':
      return withBlock(state, key, {
        ...b,
        name: e.blockName || e.blockId,
        type: e.blockType,
        status: 'running',
        queuedAt: undefined,
        visits: [...b.visits, { visit: b.visits.length + 1, startedAt: e.at, status: 'running' }],
        error: undefined,
        skipReason: undefined,
      });
    case 'block_finished':
      return withBlock(state, key, {
        ...b,
        status: 'done',
        visits: closeVisit(b, e.at, 'done', e.durationMs),
        hasOutput: true,
        output: e.output,
      });
    case 'block_failed':
      return withBlock(state, key, {
        ...b,
        status: 'failed',
        visits: closeVisit(b, e.at, 'failed', e.durationMs),
        error: e.error,
      });
    case 'block_skipped':
      return withBlock(state, key, {
        ...b,
        status: 'skipped',
        visits: closeVisit(b, e.at, 'skipped'),
        skipReason: e.reason,
      });
    case 'attempt_started': {
      const a: AttemptView = {
        attempt: e.attempt,
        visit: Math.max(1, b.visits.length),
        kind: e.kind,
        provider: e.provider,
        model: e.model,
        startedAt: e.at,
        text: '',
      };
      return withBlock(state, key, { ...b, attempts: [...b.attempts, a] });
    }
    case 'token_delta': {
      const i = attemptIndex(b, e.attempt);
      const a = b.attempts[i];
      if (!a || a.text.length >= MAX_STREAM_CHARS) return undefined;
      const text = (a.text + e.text).slice(0, MAX_STREAM_CHARS);
      return withBlock(state, key, { ...b, attempts: replaceAt(b.attempts, i, { ...a, text }) });
    }
    case 'attempt_finished': {
      const r = e.record;
      const i = attemptIndex(b, r.attempt);
      const a = b.attempts[i];
      const done: AttemptView = a
        ? { ...a, provider: r.provider, model: r.model, record: r }
        : {
            attempt: r.attempt,
            visit: Math.max(1, b.visits.length),
            kind: r.kind,
            provider: r.provider,
            model: r.model,
            startedAt: r.startedAt,
            text: '',
            record: r,
          };
      const attempts = a ? replaceAt(b.attempts, i, done) : [...b.attempts, done];
      return withBlock(state, key, { ...b, attempts });
    }
  }
}

/** At the end of a run nothing is running any more: what still shows running ended with the run. */
function settleBlocks(state: RunState, at: number): Pick<RunState, 'blocks'> | undefined {
  let blocks: Map<string, BlockRunView> | undefined;
  for (const [key, b] of state.blocks) {
    if (b.status !== 'running' && b.status !== 'queued') continue;
    blocks ??= new Map(state.blocks);
    blocks.set(
      key,
      b.status === 'running'
        ? { ...b, status: 'failed', visits: closeVisit(b, at, 'failed') }
        : { ...b, status: 'skipped', queuedAt: undefined, skipReason: 'the run ended before it started' },
    );
  }
  return blocks ? { blocks } : undefined;
}

function applyRunLevel(state: RunState, e: Exclude<RunEvent, BlockEvent>): Partial<RunState> | undefined {
  switch (e.type) {
    case 'run_started':
      return {
        phase: 'running',
        graphName: e.graphName,
        input: e.input,
        resumedFrom: state.resumedFrom ?? e.resumedFrom,
        startedAt: state.startedAt ?? e.at,
        endedAt: undefined,
        interrupt: undefined,
      };
    case 'run_finished':
      return {
        ...settleBlocks(state, e.at),
        phase: 'finished',
        outputs: e.outputs,
        totals: e.totals,
        endedAt: e.at,
      };
    case 'run_failed':
      return {
        ...settleBlocks(state, e.at),
        phase: e.error.code === 'cancelled' ? 'cancelled' : 'failed',
        error: e.error,
        totals: e.totals,
        endedAt: e.at,
      };
    case 'run_interrupted':
      return {
        phase: 'interrupted',
        interrupt: { blockId: e.blockId, when: e.when, checkpointId: e.checkpointId },
      };
    case 'transition_taken': {
      const tKey = scopedKey(e.path, e.transitionId);
      const taken = new Map(state.taken);
      taken.set(tKey, (taken.get(tKey) ?? 0) + 1);
      const key = scopedKey(e.path, e.to);
      const target = state.blocks.get(key) ?? emptyBlock(key, e.to, e.path);
      if (state.blocks.has(key) && target.status === 'running') return { taken };
      return { taken, ...withBlock(state, key, { ...target, status: 'queued', queuedAt: e.at }) };
    }
    case 'checkpoint_written':
      return {
        checkpoints: [
          ...state.checkpoints,
          { id: e.checkpointId, step: e.step, kind: e.kind, bytes: e.bytes, at: e.at },
        ],
      };
  }
}

function isBlockEvent(e: RunEvent): e is BlockEvent {
  return 'blockId' in e && e.type !== 'run_interrupted';
}

/** Folds one event into a run's state. Events of another run, or already applied (by seq), change nothing. */
export function applyRunEvent(state: RunState, e: RunEvent): RunState {
  if (e.runId !== state.runId || e.seq <= state.lastSeq) return state;
  const patch = isBlockEvent(e) ? applyBlockEvent(state, e) : applyRunLevel(state, e);
  return { ...state, ...patch, lastSeq: e.seq, applied: state.applied + 1, lastEventAt: e.at };
}

export function applyRunEvents(state: RunState, events: Iterable<RunEvent>): RunState {
  let s = state;
  for (const e of events) s = applyRunEvent(s, e);
  return s;
}

/** The run's state from scratch, from every event. */
export function foldRun(runId: string, events: Iterable<RunEvent>): RunState {
  return applyRunEvents(initialRunState(runId), events);
}

/** Statuses of the top-level blocks, for the canvas. */
export function topLevelStatuses(state: RunState): Map<string, BlockStatus> {
  const m = new Map<string, BlockStatus>();
  for (const b of state.blocks.values()) if (b.path.length === 0) m.set(b.blockId, b.status);
  return m;
}

/** The attempt running now (streaming), if any. */
export function currentAttempt(b: BlockRunView): AttemptView | undefined {
  const a = b.attempts[b.attempts.length - 1];
  return a && !a.record && b.status === 'running' ? a : undefined;
}

/** Sum of the block's attempt costs; null when any attempt's cost is unknown, undefined with no attempts. */
export function blockCost(b: BlockRunView): number | null | undefined {
  let sum = 0;
  let any = false;
  for (const a of b.attempts) {
    if (!a.record) continue;
    any = true;
    if (a.record.costUsd === null) return null;
    sum += a.record.costUsd;
  }
  return any ? sum : undefined;
}

/** Time spent in the block over all its visits (a running visit counts up to `now`). */
export function blockDuration(b: BlockRunView, now?: number): number | undefined {
  if (b.visits.length === 0) return undefined;
  let sum = 0;
  for (const v of b.visits) {
    const end = v.endedAt ?? now;
    if (v.durationMs !== undefined) sum += v.durationMs;
    else if (end !== undefined) sum += Math.max(0, end - v.startedAt);
  }
  return sum;
}

/** Why an attempt was made: the previous attempt's failure and the wait before it. */
export function retryReason(b: BlockRunView, a: AttemptView): string | undefined {
  if (a.kind === 'first') return undefined;
  const i = b.attempts.indexOf(a);
  const prev = i > 0 ? b.attempts[i - 1] : undefined;
  const prevRecord = prev?.visit === a.visit ? prev.record : undefined;
  const what =
    a.kind === 'retry'
      ? 'retried'
      : a.kind === 'fallback'
        ? 'fell back to another model'
        : 'asked again to repair the output';
  const because = prevRecord
    ? ` because attempt ${prevRecord.attempt} ended ${prevRecord.status}${prevRecord.error ? `: ${prevRecord.error}` : ''}`
    : '';
  const waited = a.record?.waitedMs ? ` (waited ${Math.round(a.record.waitedMs)} ms)` : '';
  return `${what[0]?.toUpperCase()}${what.slice(1)}${because}${waited}`;
}

/** What the block is doing, in a few words, for the canvas. */
export function liveLabel(b: BlockRunView): string {
  if (b.status !== 'running') return b.status;
  const last = b.attempts[b.attempts.length - 1];
  if (!last) return 'running';
  if (last.record && last.record.status !== 'ok')
    return `attempt ${last.attempt} ${last.record.status}: waiting`;
  if (last.record) return 'running';
  if (last.kind === 'retry') return `retrying · attempt ${last.attempt}`;
  if (last.kind === 'fallback') return `fallback · attempt ${last.attempt}`;
  if (last.kind === 'repair') return `repairing · attempt ${last.attempt}`;
  return 'running';
}
