import { type EngineContext, executeRun, materialize } from '@graphwright/shared';
import type { SqliteEventLog } from './event-log';
import type { EngineRunner } from './manager';

/** A real sleep that ends early (resolving) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Adapts the shared engine to the run manager: real clock and timers, SQLite checkpoints. */
export function createEngineRunner(checkpoints: SqliteEventLog): EngineRunner {
  const base = (sink: EngineContext['sink'], llm: EngineContext['llm']): EngineContext => ({
    llm,
    now: Date.now,
    sleep,
    sink,
    checkpoints,
  });
  return {
    async run(compiled, { runId, input, options, sink, signal, llm }) {
      let resumeFrom: ReturnType<typeof materialize>;
      let firstCheckpointStep: number | undefined;
      if (options.fromCheckpoint) {
        const cp = checkpoints.get(options.fromCheckpoint);
        const list = cp ? checkpoints.list(cp.runId) : [];
        resumeFrom = cp ? materialize(list, cp.id) : undefined;
        // Resuming the same run: its checkpoints continue after the ones it already has.
        if (cp?.runId === runId) firstCheckpointStep = (list[list.length - 1]?.step ?? -1) + 1;
        if (resumeFrom && options.stateEdits) {
          resumeFrom = {
            ...resumeFrom,
            state: {
              ...resumeFrom.state,
              ...options.stateEdits,
              out: { ...resumeFrom.state.out, ...options.stateEdits.out },
              vars: { ...resumeFrom.state.vars, ...options.stateEdits.vars },
            },
          };
        }
      }
      if (options.only) {
        // One block alone: its upstream outputs come from the caller; it pauses before its successors.
        resumeFrom = {
          state: {
            out: options.only.out ?? {},
            vars: options.only.vars ?? {},
            visits: {},
            iterations: 0,
            costUsd: null,
          },
          frontier: [{ block: options.only.blockId, from: '' }],
        };
      }
      await executeRun(
        compiled,
        {
          runId,
          input,
          signal,
          ...options,
          step: options.step || options.only !== undefined,
          resumeFrom,
          startSeq: options.startSeq,
          firstCheckpointStep,
        },
        base(sink, llm),
      );
    },
    async resume(compiled, { runId, sink, signal, llm, nextSeq, input }) {
      const list = checkpoints.list(runId);
      const last = list[list.length - 1];
      if (!last) throw new Error('no checkpoint to resume from');
      const resumeFrom = materialize(list, last.id);
      if (!resumeFrom) throw new Error('checkpoint chain incomplete');
      await executeRun(
        compiled,
        { runId, input, signal, resumeFrom, startSeq: nextSeq, firstCheckpointStep: last.step + 1 },
        base(sink, llm),
      );
    },
  };
}
