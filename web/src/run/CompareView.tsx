import { useEffect, useState } from 'react';
import { errorMessage } from '../api/errors';
import { api } from '../api/trpc';
import { type CompareSide, compareRuns } from './compare';
import { useRun, useRunStore } from './context';
import { loadRunEvents } from './follow';
import { fmtDelta, fmtJson, fmtMs, fmtUsd } from './format';
import { foldRun, type RunState } from './run-state';

type Summary = Awaited<ReturnType<typeof api.run.get.query>>;
interface Loaded {
  readonly summary: Summary;
  readonly state: RunState;
}

async function loadRun(runId: string): Promise<Loaded> {
  const [summary, events] = await Promise.all([api.run.get.query({ runId }), loadRunEvents(runId)]);
  return { summary, state: foldRun(runId, events) };
}

function Cells({ s, other }: { s: CompareSide | undefined; other: CompareSide | undefined }) {
  if (!s)
    return (
      <td colSpan={3} className="field-hint">
        did not run
      </td>
    );
  return (
    <>
      <td>
        <span className={`run-chip rs-${s.status}`}>{s.status}</span>
        {s.attempts > 1 ? <span className="tag">{s.attempts} attempts</span> : null}
      </td>
      <td>
        {fmtMs(s.durationMs)}{' '}
        <span className="delta">{other ? fmtDelta(s.durationMs, other.durationMs) : ''}</span>
      </td>
      <td>{s.attempts > 0 ? fmtUsd(s.costUsd) : '–'}</td>
    </>
  );
}

function RunHead({ l, label }: { l: Loaded; label: string }) {
  const t = l.summary.totals;
  return (
    <div className="compare-head" data-testid={`compare-head-${label}`}>
      <div>
        <strong>{label}</strong> <code>{l.summary.id}</code>{' '}
        <span className="tag">v{l.summary.graphVersion}</span>{' '}
        <span className={`run-chip ph-${l.summary.status}`}>{l.summary.status}</span>
      </div>
      <div className="field-hint">
        {new Date(l.summary.createdAt).toLocaleString()} · {fmtMs(l.summary.durationMs ?? t?.durationMs)} ·{' '}
        {fmtUsd(l.summary.costUsd ?? t?.costUsd)}
      </div>
      <pre className="pre compare-input">{fmtJson(l.summary.input)}</pre>
    </div>
  );
}

/** Two runs side by side: inputs, per-block status, latency, cost and outputs (differences marked). */
export function CompareView() {
  const pair = useRun((s) => s.compare);
  const store = useRunStore();
  const [loaded, setLoaded] = useState<readonly [Loaded, Loaded] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (!pair) return;
    let live = true;
    setLoaded(undefined);
    setError(undefined);
    Promise.all([loadRun(pair[0]), loadRun(pair[1])]).then(
      ([a, b]) => live && setLoaded([a, b]),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [pair]);
  if (!pair) return <p className="field-hint">Tick two runs in History to compare them.</p>;
  if (error)
    return (
      <p className="field-error" role="alert">
        Could not load the runs: {error}
      </p>
    );
  if (!loaded) return <p className="field-hint">Loading both runs…</p>;
  const [a, b] = loaded;
  const rows = compareRuns(a.state, b.state);
  return (
    <div className="compare" data-testid="compare">
      <div className="compare-heads">
        <RunHead l={a} label="A" />
        <RunHead l={b} label="B" />
        <button
          type="button"
          className="btn btn-small"
          onClick={() => store.getState().actions.setCompare(undefined)}
          aria-label="Close the comparison"
        >
          ✕
        </button>
      </div>
      <table className="graph-table compare-table">
        <thead>
          <tr>
            <th>Block</th>
            <th>A status</th>
            <th>A latency</th>
            <th>A cost</th>
            <th>B status</th>
            <th>B latency</th>
            <th>B cost</th>
            <th>A output</th>
            <th>B output</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid={`compare-row-${r.key}`} data-differs={r.outputDiffers}>
              <th scope="row">{r.name}</th>
              <Cells s={r.a} other={undefined} />
              <Cells s={r.b} other={r.a} />
              <td className={r.outputDiffers ? 'differs' : undefined}>
                <pre className="pre compare-out">{r.a?.hasOutput ? fmtJson(r.a.output) : ''}</pre>
              </td>
              <td className={r.outputDiffers ? 'differs' : undefined}>
                <pre className="pre compare-out">{r.b?.hasOutput ? fmtJson(r.b.output) : ''}</pre>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
