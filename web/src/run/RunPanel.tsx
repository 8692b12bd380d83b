import { useEditor } from '../store/context';
import { useRun, useRunClock, useRunController, useRunStore } from './context';
import { PausedPanel } from './Debugger';
import { fmtDelta, fmtJson, fmtMs, fmtTime, fmtUsd } from './format';
import { InputsForm } from './InputsForm';
import { buildInput, inputFieldsOf } from './inputs';
import { ReplayControls } from './ReplayControls';
import { blockCost, isTerminalPhase, type RunState } from './run-state';
import { OPT_BUDGET, OPT_DEADLINE, useRunNow } from './use-run-now';

/** The graph estimate's totals when they rest on history (samples behind every llm block expected to run). */
export function withHistory<T extends { samples: number }>(totals: T | undefined): T | undefined {
  return totals && totals.samples > 0 ? totals : undefined;
}

/** Cost so far: the run's totals once it ended, else the sum over recorded attempts. */
export function runCost(run: RunState): number | null {
  if (run.totals) return run.totals.costUsd;
  let sum = 0;
  for (const b of run.blocks.values()) {
    const c = blockCost(b);
    if (c === null) return null;
    sum += c ?? 0;
  }
  return sum;
}

/** How long the run has taken (ticking while it runs). */
export function runDuration(run: RunState, now: number): number | undefined {
  if (run.totals && isTerminalPhase(run.phase)) return run.totals.durationMs;
  if (run.startedAt === undefined) return undefined;
  const end = run.endedAt ?? (run.phase === 'running' ? now : run.lastEventAt);
  return end === undefined ? undefined : end - run.startedAt;
}

/** The shown run: status, times and cost against the estimate, pause, outputs (also on share pages). */
export function RunSummary({ editorVersion }: { editorVersion: number }) {
  const run = useRun((s) => s.shown);
  const livePhase = useRun((s) => s.live?.phase);
  const runId = useRun((s) => s.runId);
  const version = useRun((s) => s.version);
  const connection = useRun((s) => s.connection);
  const detail = useRun((s) => s.connectionDetail);
  const totals = useRun((s) => withHistory(s.estimate?.totals));
  const controller = useRunController();
  const now = useRunClock(run?.phase === 'running');
  if (!run || !runId)
    return (
      <div className="run-summary">
        <p className="field-hint">No run is shown. Press Run, or open an earlier run from History.</p>
      </div>
    );
  const duration = runDuration(run, now);
  const cost = runCost(run);
  return (
    <div
      className="run-summary"
      data-testid="run-summary"
      data-run-id={runId}
      data-last-seq={run.lastSeq}
      data-applied={run.applied}
      data-phase={run.phase}
    >
      <div className="row run-summary-head">
        <span className={`run-chip ph-${run.phase}`} data-testid="run-phase">
          {run.phase}
        </span>
        <code className="run-id">{runId}</code>
        {version !== undefined && <span className="tag">v{version}</span>}
        <span className={`conn conn-${connection}`} data-testid="run-connection" title={detail}>
          {connection === 'live' ? 'live' : connection === 'ended' ? '' : connection}
        </span>
        <span className="toolbar-spacer" />
        {livePhase !== 'running' && livePhase !== 'pending' && <ReplayControls />}
        {controller && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => controller.close()}
            data-testid="run-close"
          >
            Close run
          </button>
        )}
      </div>
      {version !== undefined && version !== editorVersion && (
        <p className="field-hint" data-testid="run-version-note">
          This run used version {version}; the canvas shows version {editorVersion}, so some blocks may
          differ.
        </p>
      )}
      <dl className="kv run-kv">
        <dt>Started</dt>
        <dd>{fmtTime(run.startedAt)}</dd>
        <dt>Duration</dt>
        <dd data-testid="run-duration">
          {fmtMs(duration)}
          {totals && (
            <span className="field-hint">
              {' '}
              · expected p50 {fmtMs(totals.latencyP50Ms)}, p95 {fmtMs(totals.latencyP95Ms)}{' '}
              {fmtDelta(duration, totals.latencyP50Ms)}
            </span>
          )}
        </dd>
        <dt>Cost</dt>
        <dd data-testid="run-cost">
          {fmtUsd(cost)}
          {totals && (
            <span className="field-hint">
              {' '}
              · expected {fmtUsd(totals.costUsd)}
              {totals.costComplete ? '' : ' (partial)'} {fmtDelta(cost, totals.costUsd)}
            </span>
          )}
        </dd>
        {run.totals && (
          <>
            <dt>Tokens</dt>
            <dd>
              {run.totals.tokensIn} in · {run.totals.tokensOut} out · {run.totals.attempts} attempt
              {run.totals.attempts === 1 ? '' : 's'}
            </dd>
          </>
        )}
      </dl>
      {run.error && (
        <p className="field-error" role="alert" data-testid="run-error">
          {run.error.message}
        </p>
      )}
      {run.interrupt && (
        <p className="field-hint" data-testid="run-interrupt">
          {run.interrupt.when === 'step'
            ? `Paused after one step, at block “${run.interrupt.blockId}”.`
            : `Paused ${run.interrupt.when} block “${run.interrupt.blockId}”.`}
        </p>
      )}
      <PausedPanel />
      {run.outputs && Object.keys(run.outputs).length > 0 && (
        <section className="attempt-section">
          <h4>Outputs</h4>
          <pre className="pre" data-testid="run-outputs">
            {fmtJson(run.outputs)}
          </pre>
        </section>
      )}
    </div>
  );
}

/** The Run tab: the inputs form and options on the left, the shown run on the right. */
export function RunPanel({ editorVersion }: { editorVersion: number }) {
  const blocks = useEditor((s) => s.blocks);
  const draft = useRun((s) => s.inputDraft);
  const busy = useRun((s) => s.busy);
  const store = useRunStore();
  const runNow = useRunNow();
  const result = buildInput(inputFieldsOf(blocks), draft);
  const setOpt = (k: string, v: string) => store.getState().actions.setInputDraft({ ...draft, [k]: v });
  return (
    <div className="run-panel" data-testid="run-panel">
      <form
        className="run-form"
        onSubmit={(e) => {
          e.preventDefault();
          runNow();
        }}
      >
        <h3 className="panel-title">Inputs</h3>
        <InputsForm result={result} />
        <div className="grid-2">
          <label className="field">
            <span className="field-label">Budget (USD)</span>
            <input
              className="input"
              type="number"
              min="0"
              step="any"
              placeholder="none"
              value={draft[OPT_BUDGET] ?? ''}
              onChange={(e) => setOpt(OPT_BUDGET, e.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">Deadline (s)</span>
            <input
              className="input"
              type="number"
              min="0"
              step="any"
              placeholder="none"
              value={draft[OPT_DEADLINE] ?? ''}
              onChange={(e) => setOpt(OPT_DEADLINE, e.target.value)}
            />
          </label>
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="run-submit">
          ▶ Run with these inputs
        </button>
      </form>
      <RunSummary editorVersion={editorVersion} />
    </div>
  );
}
