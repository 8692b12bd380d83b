import { useEffect, useState } from 'react';
import { errorMessage } from '../api/errors';
import { api } from '../api/trpc';
import { useRun, useRunController, useRunStore } from './context';
import { fmtMs, fmtUsd } from './format';

export type RunRow = Awaited<ReturnType<typeof api.run.list.query>>[number];

/** The graph's runs, newest first: open one to replay it on the canvas, or tick two to compare them. */
export function HistoryPanel({ graphId }: { graphId: string }) {
  const key = useRun((s) => s.historyKey);
  const shownId = useRun((s) => s.runId);
  const pair = useRun((s) => s.compare);
  const store = useRunStore();
  const controller = useRunController();
  const [rows, setRows] = useState<readonly RunRow[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [picked, setPicked] = useState<readonly string[]>(() => (pair ? [...pair] : []));
  const anyActive = rows?.some((r) => r.status === 'running' || r.status === 'queued') ?? false;

  // biome-ignore lint/correctness/useExhaustiveDependencies: key reloads the list after a run starts or ends
  useEffect(() => {
    let live = true;
    const load = () =>
      api.run.list.query({ graphId, limit: 100 }).then(
        (r) => {
          if (!live) return;
          setRows(r);
          setError(undefined);
        },
        (e: unknown) => live && setError(errorMessage(e)),
      );
    void load();
    const t = anyActive ? setInterval(load, 2_000) : undefined;
    return () => {
      live = false;
      if (t) clearInterval(t);
    };
  }, [graphId, key, anyActive]);

  const toggle = (id: string, on: boolean) =>
    setPicked((p) => (on ? [...p.filter((x) => x !== id), id].slice(-2) : p.filter((x) => x !== id)));

  return (
    <div className="history" data-testid="history">
      <div className="row history-head">
        <span className="field-hint">
          {rows ? `${rows.length} run${rows.length === 1 ? '' : 's'}` : 'Loading…'} · tick two to compare
        </span>
        <span className="toolbar-spacer" />
        <button
          type="button"
          className="btn btn-small"
          disabled={picked.length !== 2}
          onClick={() => store.getState().actions.setCompare([picked[0] as string, picked[1] as string])}
          data-testid="compare-runs"
        >
          Compare {picked.length === 2 ? '2 runs' : ''}
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {rows && rows.length === 0 && <p className="field-hint">No runs yet.</p>}
      {rows && rows.length > 0 && (
        <table className="graph-table history-table">
          <thead>
            <tr>
              <th aria-label="Compare" />
              <th>Started</th>
              <th>Status</th>
              <th>Version</th>
              <th>Duration</th>
              <th>Cost</th>
              <th>Run</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.id}
                className={r.id === shownId ? 'is-current' : undefined}
                data-testid="history-row"
                data-run-id={r.id}
                data-status={r.status}
              >
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Pick run ${r.id} to compare`}
                    checked={picked.includes(r.id)}
                    onChange={(e) => toggle(r.id, e.target.checked)}
                    data-testid={`history-pick-${r.id}`}
                  />
                </td>
                <td>{new Date(r.createdAt).toLocaleString()}</td>
                <td>
                  <span className={`run-chip ph-${r.status}`}>{r.status}</span>
                  {r.parentRunId ? <span className="tag">fork</span> : null}
                </td>
                <td>v{r.graphVersion}</td>
                <td>{fmtMs(r.durationMs ?? r.totals?.durationMs)}</td>
                <td>{fmtUsd(r.costUsd ?? r.totals?.costUsd)}</td>
                <td>
                  <code>{r.id}</code>
                </td>
                <td>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => {
                      controller?.open(r.id, r.graphVersion);
                      store.getState().actions.setDock(true, 'run');
                    }}
                    disabled={r.id === shownId}
                    data-testid={`history-open-${r.id}`}
                  >
                    {r.id === shownId ? 'Shown' : 'Open'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
