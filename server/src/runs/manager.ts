import { randomBytes } from 'node:crypto';
import type { CompiledGraph, EventSink, LlmCaller, RunEvent, RunTotals } from '@graphwright/shared';
import type { GraphService } from '../graphs/service';
import type { SqliteEventLog } from './event-log';
import { isTerminal, type RunHub, streamRunEvents } from './hub';
import type { RunRow, RunStore } from './run-store';

/** What a client may ask of a run (validated by the router). */
export interface RunOptions {
  readonly interruptBefore?: readonly string[] | undefined;
  readonly interruptAfter?: readonly string[] | undefined;
  readonly budgetUsd?: number | undefined;
  readonly deadlineMs?: number | undefined;
  /** Run every llm block on this provider (e.g. "simulated") instead of the one it names. */
  readonly providerOverride?: string | undefined;
  /** Pause after every top-level block. */
  readonly step?: boolean | undefined;
  /** Start from this checkpoint (fork / resume) instead of the input block. */
  readonly fromCheckpoint?: string | undefined;
  /** Edits applied to the checkpoint's state before continuing (validated by the router). */
  readonly stateEdits?: { out?: Record<string, unknown>; vars?: Record<string, unknown> } | undefined;
  /** First event sequence number (a resumed run continues its numbering). */
  readonly startSeq?: number | undefined;
  /** Run this one block alone, with these upstream outputs and vars. */
  readonly only?:
    | { blockId: string; out?: Record<string, unknown>; vars?: Record<string, unknown> }
    | undefined;
}

/** The engine as the run manager drives it (an adapter over shared/src/engine). */
export interface EngineRunner {
  run(
    compiled: CompiledGraph,
    args: {
      runId: string;
      input: unknown;
      options: RunOptions;
      sink: EventSink;
      signal: AbortSignal;
      llm: LlmCaller;
    },
  ): Promise<void>;
  /** Continues a run from its latest stored checkpoint (after a restart), when supported. */
  resume?(
    compiled: CompiledGraph,
    args: {
      runId: string;
      input: unknown;
      sink: EventSink;
      signal: AbortSignal;
      llm: LlmCaller;
      nextSeq: number;
    },
  ): Promise<void>;
}

export class RunBusyError extends Error {}
export class RunStateError extends Error {}

interface ActiveRun {
  readonly controller: AbortController;
  readonly graphId: string;
}

export interface RunManagerDeps {
  readonly graphs: GraphService;
  readonly runs: RunStore;
  readonly events: SqliteEventLog;
  readonly hub: RunHub;
  readonly engine: EngineRunner;
  readonly llm: LlmCaller;
  /** Where every event also goes (the stats writer). */
  readonly statsSink?: ((event: RunEvent, graphId: string) => void) | undefined;
  readonly maxConcurrentRuns: number;
  readonly maxBufferedPerSubscriber?: number | undefined;
  readonly log?: { error(obj: unknown, msg: string): void } | undefined;
}

/** State edits must name blocks and vars the graph has; anything else is refused with the reason. */
function checkEdits(compiled: CompiledGraph, edits: RunOptions['stateEdits']): void {
  if (!edits) return;
  for (const id of Object.keys(edits.out ?? {})) {
    if (!compiled.blockIndex.has(id))
      throw new RunStateError(`The edited state names block "${id}", which this graph does not have.`);
  }
  for (const name of Object.keys(edits.vars ?? {})) {
    if (!compiled.vars.has(name))
      throw new RunStateError(`The edited state sets var "${name}", which this graph does not declare.`);
  }
}

/** Totals of a run from its stored events (for a paused run ended without the engine). */
function totalsOf(events: readonly RunEvent[], now: number): RunTotals {
  let costUsd: number | null = 0;
  let tokensIn = 0;
  let tokensOut = 0;
  let attempts = 0;
  let blockExecutions = 0;
  for (const e of events) {
    if (e.type === 'block_finished') blockExecutions++;
    if (e.type !== 'attempt_finished') continue;
    attempts++;
    tokensIn += e.record.tokensIn;
    tokensOut += e.record.tokensOut;
    costUsd = costUsd === null || e.record.costUsd === null ? null : costUsd + e.record.costUsd;
  }
  const start = events[0]?.at ?? now;
  return { durationMs: now - start, costUsd, tokensIn, tokensOut, attempts, blockExecutions };
}

let lastIdMs = 0;
let idSeq = 0;
let pool = Buffer.alloc(0);
let poolAt = 0;

/**
 * Time-ordered ids: a new run's rows (runs, run_events, checkpoints) land at the end of their
 * B-trees instead of on a random page each, which dirtied a page per run per write batch. The
 * random tail (72 bits, from a pooled buffer) keeps ids unguessable.
 */
export function newRunId(): string {
  const now = Date.now();
  idSeq = now === lastIdMs ? idSeq + 1 : 0;
  lastIdMs = now;
  if (poolAt + 9 > pool.length) {
    pool = randomBytes(9 * 512);
    poolAt = 0;
  }
  const tail = pool.toString('base64url', poolAt, poolAt + 9);
  poolAt += 9;
  return `r_${now.toString(36).padStart(9, '0')}${idSeq.toString(36).padStart(3, '0')}${tail}`;
}

/**
 * Starts, tracks and cancels runs. Every event goes, synchronously and without waiting, to the
 * batched event log, the live hub and the stats writer; the run row follows the terminal events
 * once they are stored.
 */
export class RunManager {
  private readonly active = new Map<string, ActiveRun>();
  private closing = false;
  private readonly finishedWaiters = new Map<string, (() => void)[]>();
  private readonly graphListeners = new Set<(graphId: string, runId: string) => void>();

  /** Called after a run's terminal event is stored (estimate subscriptions refresh on it). */
  onRunStored(listener: (graphId: string, runId: string) => void): () => void {
    this.graphListeners.add(listener);
    return () => this.graphListeners.delete(listener);
  }

  constructor(private readonly deps: RunManagerDeps) {}

  /** Writes the run rows of ended runs; called inside the transaction that stores their events. */
  storeRunEnds(events: readonly RunEvent[]): void {
    for (const e of events) {
      if (e.type === 'run_finished')
        this.deps.runs.end(e.runId, 'finished', { ...e.totals, outputs: e.outputs }, null);
      else if (e.type === 'run_failed') {
        this.deps.runs.end(e.runId, e.error.code === 'cancelled' ? 'cancelled' : 'failed', e.totals, e.error);
      } else if (e.type === 'run_interrupted') this.deps.runs.setStatus(e.runId, 'interrupted');
    }
  }

  /** Tells those waiting that runs ended, once their terminal events (and rows) are stored. */
  onEventsStored(events: readonly RunEvent[]): void {
    for (const e of events) {
      if (e.type !== 'run_finished' && e.type !== 'run_failed' && e.type !== 'run_interrupted') continue;
      for (const w of this.finishedWaiters.get(e.runId) ?? []) w();
      this.finishedWaiters.delete(e.runId);
      if (e.type !== 'run_interrupted' && this.graphListeners.size > 0) {
        const graphId = this.deps.runs.get(e.runId)?.graphId;
        if (graphId) for (const l of this.graphListeners) l(graphId, e.runId);
      }
    }
  }

  start(req: {
    graphId: string;
    version?: number | undefined;
    input: unknown;
    options?: RunOptions | undefined;
  }): { runId: string; version: number } {
    if (this.closing)
      throw new RunBusyError('The server is shutting down: start the run again once it is back.');
    if (this.active.size >= this.deps.maxConcurrentRuns) {
      throw new RunBusyError(
        `The server is running ${this.active.size} runs, its limit (GW_MAX_CONCURRENT_RUNS): try again when one finishes.`,
      );
    }
    const { compiled, version } = this.deps.graphs.compiled(req.graphId, req.version);
    const runId = newRunId();
    const options = req.options ?? {};
    this.deps.runs.create({
      id: runId,
      graphId: req.graphId,
      graphVersion: version,
      input: req.input,
      options,
    });
    this.launch(runId, req.graphId, compiled, req.input, options);
    return { runId, version };
  }

  private launch(
    runId: string,
    graphId: string,
    compiled: CompiledGraph,
    input: unknown,
    options: RunOptions,
  ): void {
    this.launchWith(runId, graphId, (sink, signal) =>
      this.deps.engine.run(compiled, { runId, input, options, sink, signal, llm: this.deps.llm }),
    );
  }

  private launchWith(
    runId: string,
    graphId: string,
    go: (sink: EventSink, signal: AbortSignal) => Promise<void>,
  ): void {
    const controller = new AbortController();
    this.active.set(runId, { controller, graphId });
    const { events, hub, statsSink } = this.deps;
    const sink: EventSink = (e) => {
      // After shutdown began nothing more is stored: the run resumes from its last checkpoint.
      if (this.closing) return;
      events.append(e);
      hub.publish(e);
      statsSink?.(e, graphId);
    };
    go(sink, controller.signal)
      .catch((err: unknown) => this.deps.log?.error({ err, runId }, 'engine run rejected'))
      .finally(() => {
        this.active.delete(runId);
        // Make the terminal events durable promptly so waiting clients and the run row see the end.
        events.flushSoon();
      });
  }

  /**
   * Continues an interrupted run under the same id from its latest checkpoint, optionally with
   * edited state, or one block at a time (`step`).
   */
  resume(runId: string, opts: { stateEdits?: RunOptions['stateEdits']; step?: boolean } = {}): void {
    const row = this.deps.runs.get(runId);
    if (!row) throw new RunStateError(`No run "${runId}".`);
    if (this.active.has(runId) || row.status !== 'interrupted') {
      throw new RunStateError(
        `Run "${runId}" is ${this.active.has(runId) ? 'running' : row.status}: only a paused run can be resumed.`,
      );
    }
    const cps = this.deps.events.list(runId);
    const last = cps[cps.length - 1];
    if (!last) throw new RunStateError(`Run "${runId}" has no checkpoint to resume from.`);
    const { compiled } = this.deps.graphs.compiled(row.graphId, row.graphVersion);
    checkEdits(compiled, opts.stateEdits);
    const prev = (row.options ?? {}) as RunOptions;
    const options: RunOptions = {
      ...prev,
      step: opts.step ?? false,
      fromCheckpoint: last.id,
      stateEdits: opts.stateEdits,
      startSeq: row.lastSeq + 1,
    };
    this.deps.runs.setStatus(runId, 'running');
    this.launch(runId, row.graphId, compiled, row.input, options);
  }

  /** A new run from any checkpoint of an earlier run, optionally with edited state. */
  fork(runId: string, checkpointId: string, stateEdits?: RunOptions['stateEdits']): { runId: string } {
    const row = this.deps.runs.get(runId);
    if (!row) throw new RunStateError(`No run "${runId}".`);
    const cp = this.deps.events.get(checkpointId);
    if (!cp || cp.runId !== runId)
      throw new RunStateError(`Run "${runId}" has no checkpoint "${checkpointId}".`);
    const { compiled } = this.deps.graphs.compiled(row.graphId, row.graphVersion);
    checkEdits(compiled, stateEdits);
    const id = newRunId();
    const options: RunOptions = { fromCheckpoint: checkpointId, stateEdits };
    this.deps.runs.create({
      id,
      graphId: row.graphId,
      graphVersion: row.graphVersion,
      input: row.input,
      options,
      parentRunId: runId,
      parentCheckpointId: checkpointId,
    });
    this.launch(id, row.graphId, compiled, row.input, options);
    return { runId: id };
  }

  checkpoints(runId: string): {
    id: string;
    step: number;
    kind: string;
    frontier: readonly { block: string }[];
    pausedAt?: string | undefined;
  }[] {
    return this.deps.events
      .list(runId)
      .map((c) => ({ id: c.id, step: c.step, kind: c.kind, frontier: c.frontier, pausedAt: c.pausedAt }));
  }

  /** Cancels a running run, or ends a paused one (no engine is running it) as cancelled. */
  cancel(runId: string): boolean {
    const a = this.active.get(runId);
    if (a) {
      a.controller.abort(new Error('cancelled by the user'));
      return true;
    }
    const row = this.deps.runs.get(runId);
    if (row?.status !== 'interrupted') return false;
    // The run's own stream says how it ended, like any other run; storing it writes the row.
    const events = this.deps.events.readAfter(runId, -1, 100_000);
    const event: RunEvent = {
      type: 'run_failed',
      runId,
      seq: row.lastSeq + 1,
      at: Date.now(),
      error: { code: 'cancelled', message: 'The run was cancelled while paused.', status: 'cancelled' },
      totals: totalsOf(events, Date.now()),
    };
    this.deps.events.append(event);
    this.deps.hub.publish(event);
    // Stored at once (with the row, in one transaction), so no resume can slip in between.
    this.deps.events.flush();
    return true;
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  activeCount(): number {
    return this.active.size;
  }

  get(runId: string): RunRow | undefined {
    return this.deps.runs.get(runId);
  }

  list(graphId: string, limit?: number): RunRow[] {
    return this.deps.runs.list(graphId, limit);
  }

  /** Resolves once the run's terminal (or interrupt) event is stored. */
  waitStored(runId: string): Promise<void> {
    const row = this.deps.runs.get(runId);
    if (row && row.status !== 'running' && row.status !== 'queued') return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.finishedWaiters.get(runId) ?? [];
      list.push(resolve);
      this.finishedWaiters.set(runId, list);
    });
  }

  events(runId: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<RunEvent> {
    return streamRunEvents(this.deps.hub, this.deps.events, runId, afterSeq, {
      maxBuffered: this.deps.maxBufferedPerSubscriber ?? 2_000,
      signal,
      isLive: () => this.active.has(runId),
    });
  }

  /**
   * After a restart: runs that were in flight when the process died are resumed from their latest
   * checkpoint when the engine can, else marked failed with the reason. Returns what was done.
   */
  recover(): { resumed: string[]; failed: string[] } {
    const resumed: string[] = [];
    const failed: string[] = [];
    for (const row of this.deps.runs.inFlight()) {
      if (this.active.has(row.id)) continue;
      const engine = this.deps.engine;
      if (engine.resume && this.deps.events.list(row.id).length > 0) {
        try {
          const { compiled } = this.deps.graphs.compiled(row.graphId, row.graphVersion);
          this.launchWith(row.id, row.graphId, (sink, signal) =>
            (engine.resume as NonNullable<EngineRunner['resume']>).call(engine, compiled, {
              runId: row.id,
              input: row.input,
              sink,
              signal,
              llm: this.deps.llm,
              nextSeq: row.lastSeq + 1,
            }),
          );
          resumed.push(row.id);
          continue;
        } catch (e) {
          this.deps.log?.error({ err: e, runId: row.id }, 'could not resume run');
        }
      }
      this.deps.runs.end(row.id, 'failed', null, {
        code: 'internal',
        message:
          'The server stopped while this run was in flight and it could not be resumed from a checkpoint. Start it again.',
      });
      failed.push(row.id);
    }
    return { resumed, failed };
  }

  /**
   * Stops accepting runs and makes what in-flight runs have done durable (events and checkpoints).
   * Their rows stay "running": the next start resumes them from those checkpoints.
   */
  async shutdown(): Promise<void> {
    this.closing = true;
    this.deps.events.flush();
  }
}

export { isTerminal };
