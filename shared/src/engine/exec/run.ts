import type { CompiledBlock, CompiledGraph } from '../../graph/compiled';
import { CheckpointWriter } from './checkpoint';
import type { EngineContext, RunRequest, RunResult } from './context';
import { RunCtx, TIMER_DONE } from './run-ctx';
import { type Activation, Scope, type ScopeHooks } from './scope';

/** Ids follow the run's step, which a resumed run continues: unique per run, even after a restart. */
const checkpointId = (runId: string) => (step: number) => `${runId}:cp:${step.toString(36)}`;

/**
 * Executes a compiled graph: one run, start to end (or to an interrupt). Its only output is the
 * events sent to `ctx.sink`; the returned result repeats the ending for callers that await it.
 * Never rejects: every failure is a typed run error.
 */
export async function executeRun(g: CompiledGraph, req: RunRequest, ctx: EngineContext): Promise<RunResult> {
  const run = new RunCtx(ctx, req, g.limits.maxIterations);
  const onCancel = (): void =>
    run.fail({ code: 'cancelled', message: 'The run was cancelled.', status: 'cancelled' });
  if (req.signal?.aborted) onCancel();
  req.signal?.addEventListener('abort', onCancel, { once: true });
  const deadlineMs = req.deadlineMs ?? g.limits.deadlineMs;
  // Only a run with a deadline pays for a timer (aborting one builds a DOMException, ~60 µs).
  const deadlineTimer = deadlineMs !== undefined ? new AbortController() : undefined;
  if (deadlineTimer && deadlineMs !== undefined) {
    void ctx.sleep(deadlineMs, deadlineTimer.signal).then(() => {
      if (!deadlineTimer.signal.aborted)
        run.fail({ code: 'deadline', message: `The run passed its deadline of ${deadlineMs} ms.` });
    });
  }

  const before = new Set(req.interruptBefore ?? []);
  const after = new Set(req.interruptAfter ?? []);
  let skip = req.resumeFrom?.skipInterrupt;
  let pausedAt: string | undefined;
  const writer = ctx.checkpoints
    ? new CheckpointWriter(ctx.checkpoints, run, checkpointId(req.runId), req.firstCheckpointStep)
    : undefined;
  const hooks: ScopeHooks = {
    holdBefore(b: CompiledBlock) {
      if (!before.has(b.id)) return false;
      if (skip === `before:${b.id}`) {
        skip = undefined;
        return false;
      }
      pausedAt ??= `before:${b.id}`;
      return true;
    },
    holdAfter(b: CompiledBlock) {
      if (req.step || after.has(b.id)) {
        pausedAt ??= req.step ? `step:${b.id}` : `after:${b.id}`;
        return true;
      }
      return false;
    },
    afterBlock(scope, b) {
      // Checkpoint after the blocks that cost something (llm, composite). A transform or an
      // output left in the frontier is simply run again on resume: cheap and deterministic.
      if (b.type === 'llm' || b.type === 'composite') writer?.write(scope);
    },
  };

  run.emit({
    type: 'run_started',
    graphHash: g.hash,
    graphName: g.name,
    input: req.input,
    resumedFrom: req.resumeFrom?.resumedFrom,
  });
  const scope = new Scope(run, g, [], req.input, hooks);
  let start: Activation[] = [{ block: g.inputIndex, from: -1 }];
  if (req.resumeFrom) {
    const { state, frontier } = req.resumeFrom;
    for (const [id, v] of Object.entries(state.out)) {
      const i = g.blockIndex.get(id);
      if (i !== undefined) scope.out = scope.out.set(i, v);
    }
    scope.out = scope.out.set(g.inputIndex, req.input);
    scope.vars = { ...scope.vars, ...state.vars };
    for (const [id, n] of Object.entries(state.visits)) {
      const i = g.blockIndex.get(id);
      if (i !== undefined) scope.visits[i] = n;
    }
    run.iterations = state.iterations;
    if (state.costUsd !== null) run.cost = state.costUsd;
    start = frontier.flatMap((f) => {
      const i = g.blockIndex.get(f.block);
      return i === undefined ? [] : [{ block: i, from: f.from ? (g.blockIndex.get(f.from) ?? -1) : -1 }];
    });
  }

  try {
    await scope.execute(start);
  } catch (e) {
    run.fail({
      code: 'internal',
      message: `Internal engine error: ${e instanceof Error ? e.message : String(e)}`,
    });
  } finally {
    deadlineTimer?.abort(TIMER_DONE);
    req.signal?.removeEventListener('abort', onCancel);
  }

  const totals = run.totals();
  if (run.failure) {
    run.emit({ type: 'run_failed', error: run.failure, totals });
    return { status: 'failed', outputs: scope.outputs, error: run.failure, totals };
  }
  if (scope.held.length > 0) {
    const store = ctx.checkpoints;
    const first = scope.held[0] as Activation;
    const blockId = (g.blocks[first.block] as CompiledBlock).id;
    const cp = store ? (writer as CheckpointWriter).write(scope, pausedAt) : undefined;
    const when = pausedAt?.startsWith('before') ? 'before' : pausedAt?.startsWith('step') ? 'step' : 'after';
    const at = pausedAt?.slice(pausedAt.indexOf(':') + 1) ?? blockId;
    run.emit({ type: 'run_interrupted', blockId: at, path: [], when, checkpointId: cp?.id ?? '' });
    return { status: 'interrupted', outputs: scope.outputs, totals, checkpointId: cp?.id };
  }
  run.emit({ type: 'run_finished', outputs: scope.outputs, totals });
  return { status: 'finished', outputs: scope.outputs, totals };
}
