import { errorMessage } from '../api/errors';
import { api } from '../api/trpc';
import { toast } from '../app/feedback';
import { followRun } from './follow';
import type { EstimateInfo, RunStore } from './run-store';
import { recordedOut } from './state-edits';
import { setRunInUrl } from './url';

export interface RunOptions {
  readonly interruptBefore?: string[];
  readonly interruptAfter?: string[];
  readonly budgetUsd?: number;
  readonly deadlineMs?: number;
}

export interface StateEdits {
  readonly out?: Record<string, unknown>;
  readonly vars?: Record<string, unknown>;
}

/** Runs as the user drives them: start, show, follow, cancel; the run store holds what is seen. */
export interface RunController {
  /** Shows a run (stored events replay, then live ones follow) and puts it in the URL. */
  open(runId: string, version?: number): void;
  /** Saves first when the document has unsaved changes (or asks), then starts a run of the saved version. */
  start(input: Record<string, unknown>, options?: RunOptions): Promise<boolean>;
  /** Runs one block alone with given upstream outputs and vars. */
  startBlock(
    blockId: string,
    args: { input: Record<string, unknown>; out?: Record<string, unknown>; vars?: Record<string, unknown> },
  ): Promise<boolean>;
  cancel(): Promise<void>;
  /** Continues a paused run (optionally with edited state, or one block at a time). */
  resume(opts?: { stateEdits?: StateEdits; step?: boolean }): Promise<boolean>;
  /** A new run from a checkpoint of the shown run, optionally with edited state. */
  fork(checkpointId: string, stateEdits?: StateEdits): Promise<boolean>;
  /**
   * Re-runs the shown run from one block with its recorded upstream outputs: a fork from the last
   * checkpoint about to run that block, else that block alone (paused after it, to resume from).
   */
  runFromHere(blockId: string): Promise<boolean>;
  close(): void;
  dispose(): void;
}

export interface RunControllerDeps {
  readonly graphId: string;
  readonly store: RunStore;
  /** Resolves true when the document is saved (saving it, or asking, when it is not). */
  readonly ensureSaved: () => Promise<boolean>;
}

export function createRunController({ graphId, store, ensureSaved }: RunControllerDeps): RunController {
  let stopFollow: (() => void) | undefined;
  const st = () => store.getState();
  const lastSeq = () => st().live?.lastSeq ?? -1;

  const loadEstimate = async (runId: string, version: number | undefined): Promise<void> => {
    try {
      const r = await api.estimate.graph.query({ graphId, version });
      if (st().runId !== runId) return;
      const info: EstimateInfo = {
        version: r.version,
        blocks: new Map(r.estimate.blocks.map((b) => [b.scopedId, b])),
        totals: r.estimate.totals,
      };
      st().actions.setEstimate(info);
    } catch {
      // A draft or deleted version has no estimate; the views show actuals alone.
    }
  };

  const follow = (runId: string, from: number): void => {
    stopFollow?.();
    stopFollow = followRun(runId, from, lastSeq, {
      onEvent: (e) => st().actions.receive(e),
      onState: (state, detail) => {
        if (st().runId !== runId) return;
        st().actions.setConnection(state, detail);
        if (state === 'ended') {
          st().actions.flush();
          st().actions.refreshHistory();
        }
      },
    });
  };

  const open = (runId: string, version?: number): void => {
    st().actions.show(runId, version);
    setRunInUrl(runId);
    follow(runId, -1);
    if (version !== undefined) void loadEstimate(runId, version);
    else
      api.run.get.query({ runId }).then(
        (r) => {
          if (st().runId !== runId) return;
          st().actions.setVersion(r.graphVersion);
          void loadEstimate(runId, r.graphVersion);
        },
        (e: unknown) => {
          if (st().runId === runId) st().actions.setConnection('error', errorMessage(e));
        },
      );
  };

  const guarded = async (what: string, fn: () => Promise<void>): Promise<boolean> => {
    if (st().busy) return false;
    st().actions.setBusy(true);
    try {
      await fn();
      return true;
    } catch (e) {
      toast(`${what}: ${errorMessage(e)}`, 'error', 8000);
      return false;
    } finally {
      st().actions.setBusy(false);
    }
  };

  const opened = (runId: string, version: number | undefined): void => {
    open(runId, version);
    st().actions.setDock(true);
    st().actions.setInspectorTab('run');
    st().actions.refreshHistory();
  };

  return {
    open,
    start: (input, options) =>
      guarded('The run did not start', async () => {
        if (!(await ensureSaved())) throw new Error('save the graph first: runs use the saved version');
        const r = await api.run.start.mutate({ graphId, input, options });
        opened(r.runId, r.version);
      }),
    startBlock: (blockId, args) =>
      guarded('The block did not run', async () => {
        if (!(await ensureSaved())) throw new Error('save the graph first: runs use the saved version');
        const r = await api.run.runBlock.mutate({ graphId, blockId, ...args });
        opened(r.runId, r.version);
      }),
    async cancel() {
      const runId = st().runId;
      if (!runId) return;
      const paused = st().live?.phase === 'interrupted';
      try {
        const r = await api.run.cancel.mutate({ runId });
        if (!r.cancelled) toast('The run had already ended.');
        // A paused run's stream had ended; follow again to receive the event that ends it.
        else if (paused && st().runId === runId) follow(runId, lastSeq());
      } catch (e) {
        toast(`Not cancelled: ${errorMessage(e)}`, 'error');
      }
    },
    resume: (opts = {}) =>
      guarded('Not resumed', async () => {
        const runId = st().runId;
        if (!runId) return;
        await api.run.resume.mutate({ runId, stateEdits: opts.stateEdits, step: opts.step });
        follow(runId, lastSeq());
      }),
    fork: (checkpointId, stateEdits) =>
      guarded('Not forked', async () => {
        const runId = st().runId;
        const version = st().version;
        if (!runId) return;
        const r = await api.run.fork.mutate({ runId, checkpointId, stateEdits });
        opened(r.runId, version);
      }),
    runFromHere: (blockId) =>
      guarded('Not re-run', async () => {
        const s = st();
        const runId = s.runId;
        const run = s.live;
        if (!runId || !run) return;
        const cps = await api.run.checkpoints.query({ runId });
        const cp = [...cps].reverse().find((c) => c.frontier.some((f) => f.block === blockId));
        if (cp) {
          const r = await api.run.fork.mutate({ runId, checkpointId: cp.id });
          opened(r.runId, s.version);
          return;
        }
        const input = (run.input ?? {}) as Record<string, unknown>;
        const out = recordedOut(run);
        delete out[blockId];
        const r = await api.run.runBlock.mutate({ graphId, version: s.version, blockId, input, out });
        opened(r.runId, r.version);
      }),
    close() {
      stopFollow?.();
      stopFollow = undefined;
      st().actions.clear();
      setRunInUrl(undefined);
    },
    dispose() {
      stopFollow?.();
      stopFollow = undefined;
    },
  };
}
