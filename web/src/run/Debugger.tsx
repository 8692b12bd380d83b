import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../api/errors';
import { api } from '../api/trpc';
import { useEditor } from '../store/context';
import { useRun, useRunController, useRunStore } from './context';
import { fmtMs } from './format';
import { foldRun, type RunState } from './run-state';
import { checkEdits, type EditsResult, recordedOut } from './state-edits';

type Checkpoint = Awaited<ReturnType<typeof api.run.checkpoints.query>>[number];

/** Toggles "pause before" / "pause after" for one block in the next run. */
export function BreakpointToggles({ id }: { id: string }) {
  const bp = useRun((s) => s.breakpoints.get(id));
  const store = useRunStore();
  const set = (when: 'before' | 'after', on: boolean) => store.getState().actions.setBreakpoint(id, when, on);
  return (
    <div className="row breakpoints" data-testid="breakpoints">
      <span className="field-label">Breakpoints (next run)</span>
      <label className="check">
        <input
          type="checkbox"
          checked={bp?.before ?? false}
          onChange={(e) => set('before', e.target.checked)}
          data-testid="bp-before"
        />
        pause before
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={bp?.after ?? false}
          onChange={(e) => set('after', e.target.checked)}
          data-testid="bp-after"
        />
        pause after
      </label>
    </div>
  );
}

function pretty(v: unknown): string {
  return JSON.stringify(v, null, 2);
}

/** JSON editors for a run's `out` and `vars`, validated as the person types; `actions` renders the buttons. */
export function StateEditor({
  state,
  actions,
  testId,
}: {
  state: RunState;
  actions: (result: EditsResult) => ReactNode;
  testId: string;
}) {
  const blocks = useEditor((s) => s.blocks);
  const meta = useEditor((s) => s.meta);
  const recorded = useMemo(() => recordedOut(state), [state]);
  const [outText, setOut] = useState(() => pretty(recorded));
  const [varsText, setVars] = useState('');
  const blockIds = useMemo(() => new Set(blocks.map((b) => b.id)), [blocks]);
  const varNames = useMemo(() => new Set(Object.keys(meta.vars ?? {})), [meta]);
  const result = checkEdits(outText, varsText, recorded, blockIds, varNames);
  const errors = result.ok ? {} : result.errors;
  return (
    <div className="state-editor" data-testid={testId}>
      <label className="field">
        <span className="field-label">out (block outputs; change a value to use it from here on)</span>
        <textarea
          className={`input mono${errors.out ? ' is-invalid' : ''}`}
          rows={6}
          spellCheck={false}
          value={outText}
          aria-invalid={errors.out !== undefined}
          onChange={(e) => setOut(e.target.value)}
          data-testid="state-out"
        />
        {errors.out && (
          <span className="field-error" data-testid="state-out-error">
            {errors.out}
          </span>
        )}
      </label>
      <label className="field">
        <span className="field-label">
          vars to set
          {varNames.size > 0 ? ` (declared: ${[...varNames].join(', ')})` : ' (the graph declares none)'}
        </span>
        <textarea
          className={`input mono${errors.vars ? ' is-invalid' : ''}`}
          rows={2}
          spellCheck={false}
          placeholder="{}"
          value={varsText}
          aria-invalid={errors.vars !== undefined}
          onChange={(e) => setVars(e.target.value)}
          data-testid="state-vars"
        />
        {errors.vars && <span className="field-error">{errors.vars}</span>}
      </label>
      <div className="row">{actions(result)}</div>
    </div>
  );
}

function useCheckpoints(runId: string | undefined, count: number): readonly Checkpoint[] | undefined {
  const [list, setList] = useState<readonly Checkpoint[] | undefined>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: count reloads the list when a checkpoint is written
  useEffect(() => {
    if (!runId) return;
    let live = true;
    api.run.checkpoints.query({ runId }).then(
      (r) => live && setList(r),
      () => live && setList([]),
    );
    return () => {
      live = false;
    };
  }, [runId, count]);
  return list;
}

/** A paused run: where it stopped, its state (editable), and Resume / Step. */
export function PausedPanel() {
  const run = useRun((s) => s.live);
  const runId = useRun((s) => s.runId);
  const busy = useRun((s) => s.busy);
  const controller = useRunController();
  // A read-only view asks nothing of the protected run API (it may have no access token).
  const cps = useCheckpoints(controller ? runId : undefined, run?.checkpoints.length ?? 0);
  if (run?.phase !== 'interrupted' || !run.interrupt || !controller) return null;
  const last = cps?.[cps.length - 1];
  return (
    <section className="paused" data-testid="paused-panel">
      <h4>State at the pause</h4>
      {last && (
        <p className="field-hint" data-testid="paused-checkpoint">
          Checkpoint at step {last.step}; next to run:{' '}
          {last.frontier.map((f) => f.block).join(', ') || 'nothing'}.
        </p>
      )}
      <StateEditor
        key={run.lastSeq}
        state={run}
        testId="paused-state"
        actions={(r) => (
          <>
            <button
              type="button"
              className="btn btn-primary"
              disabled={!r.ok || busy}
              onClick={() => r.ok && void controller.resume({ stateEdits: r.edits })}
              data-testid="run-resume"
            >
              ▶ Resume
            </button>
            <button
              type="button"
              className="btn"
              disabled={!r.ok || busy}
              onClick={() => r.ok && void controller.resume({ stateEdits: r.edits, step: true })}
              data-testid="run-step"
            >
              Step
            </button>
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy}
              onClick={() => void controller.cancel()}
              data-testid="run-cancel-paused"
            >
              ■ Cancel run
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => controller.close()}
              data-testid="run-abandon"
            >
              Leave paused
            </button>
          </>
        )}
      />
    </section>
  );
}

/** A run's checkpoints: fork a new run from any of them, optionally with edited state. */
export function CheckpointList() {
  const live = useRun((s) => s.live);
  const runId = useRun((s) => s.runId);
  const busy = useRun((s) => s.busy);
  const store = useRunStore();
  const controller = useRunController();
  const cps = useCheckpoints(controller ? runId : undefined, live?.checkpoints.length ?? 0);
  const [editing, setEditing] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  // A shared (read-only) view has no controller: nothing to fork from there.
  if (!live || live.checkpoints.length === 0 || !runId || !controller) return null;
  const running = live.phase === 'running' || live.phase === 'pending';
  /** The run as it was when the checkpoint was written (its outputs prefill the editor). */
  const stateAt = (at: number) =>
    foldRun(
      runId,
      store
        .getState()
        .actions.events()
        .filter((e) => e.at <= at),
    );
  return (
    <section className="checkpoints" data-testid="checkpoint-list">
      <h4>Checkpoints</h4>
      {error && <p className="field-error">{error}</p>}
      <ol>
        {live.checkpoints.map((c) => {
          const info = cps?.find((x) => x.id === c.id);
          return (
            <li key={c.id} data-testid="checkpoint-item">
              <span>
                step {c.step} · +{fmtMs(c.at - (live.startedAt ?? c.at))} · {c.kind}
                {info ? ` · next: ${info.frontier.map((f) => f.block).join(', ') || 'nothing'}` : ''}
                {info?.pausedAt ? ` · paused (${info.pausedAt})` : ''}
              </span>
              <button
                type="button"
                className="btn btn-small"
                disabled={running || busy}
                onClick={() => {
                  setError(undefined);
                  void controller?.fork(c.id);
                }}
                data-testid="checkpoint-fork"
              >
                Fork
              </button>
              <button
                type="button"
                className="btn btn-small"
                disabled={running}
                onClick={() => setEditing(editing === c.id ? undefined : c.id)}
                data-testid="checkpoint-fork-edit"
              >
                Fork with edits…
              </button>
              {editing === c.id && (
                <StateEditor
                  state={stateAt(c.at)}
                  testId="fork-state"
                  actions={(r) => (
                    <button
                      type="button"
                      className="btn btn-primary"
                      disabled={!r.ok || busy}
                      onClick={() => {
                        if (!r.ok || !controller) return;
                        controller.fork(c.id, r.edits).then(
                          (ok) => ok && setEditing(undefined),
                          (e: unknown) => setError(errorMessage(e)),
                        );
                      }}
                      data-testid="fork-submit"
                    >
                      Fork from step {c.step}
                    </button>
                  )}
                />
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
