import './run.css';
import { useEffect } from 'react';
import { CompareView } from './CompareView';
import { useRun, useRunClock, useRunController, useRunStore } from './context';
import { fmtMs, fmtUsd } from './format';
import { HistoryPanel } from './HistoryPanel';
import { RunPanel, runCost, runDuration } from './RunPanel';
import type { DockTab } from './run-store';
import { Timeline } from './Timeline';
import { runFromUrl } from './url';
import { useRunNow } from './use-run-now';

const TABS: readonly { id: DockTab; label: string }[] = [
  { id: 'run', label: 'Run' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'history', label: 'History' },
  { id: 'compare', label: 'Compare' },
];

/** The run's status in the dock's header: phase, elapsed time and cost so far. */
function StatusLine() {
  const run = useRun((s) => s.shown);
  const connection = useRun((s) => s.connection);
  const replaying = useRun((s) => s.replayAt !== undefined);
  const now = useRunClock(run?.phase === 'running');
  if (!run) return null;
  return (
    <span className="dock-status" data-testid="dock-status">
      <span className={`run-chip ph-${run.phase}`} data-testid="dock-phase">
        {replaying ? 'replay' : run.phase}
      </span>{' '}
      {fmtMs(runDuration(run, now))} · {fmtUsd(runCost(run))}
      {connection === 'reconnecting' && <span className="conn conn-reconnecting"> reconnecting…</span>}
    </span>
  );
}

/** The bottom dock of the editor: run controls and status, the run, its timeline, the history, a comparison. */
export function RunDock({ graphId, editorVersion }: { graphId: string; editorVersion: number }) {
  const store = useRunStore();
  const controller = useRunController();
  const open = useRun((s) => s.dockOpen);
  const tab = useRun((s) => s.tab);
  const phase = useRun((s) => s.shown?.phase);
  const livePhase = useRun((s) => s.live?.phase);
  const busy = useRun((s) => s.busy);
  const hasCompare = useRun((s) => s.compare !== undefined);
  const runNow = useRunNow();

  // A run in the URL (a reload, a bookmark) opens at once and follows live from where it is.
  useEffect(() => {
    const runId = runFromUrl();
    if (runId && controller && store.getState().runId !== runId) {
      controller.open(runId);
      store.getState().actions.setDock(true, 'run');
    }
  }, [controller, store]);

  const pick = (t: DockTab) => {
    const s = store.getState();
    s.actions.setDock(!(s.dockOpen && s.tab === t), t);
  };
  const active = livePhase === 'running' || livePhase === 'pending';

  return (
    <section className={`run-dock${open ? ' is-open' : ''}`} aria-label="Runs" data-testid="run-dock">
      <div className="dock-head">
        <div className="tabs" role="tablist" aria-label="Run views">
          {TABS.filter((t) => t.id !== 'compare' || hasCompare).map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={open && tab === t.id}
              className={`tab${open && tab === t.id ? ' is-active' : ''}`}
              onClick={() => pick(t.id)}
              data-testid={`dock-tab-${t.id}`}
            >
              {t.label}
            </button>
          ))}
        </div>
        <StatusLine />
        <span className="toolbar-spacer" />
        {active && phase !== undefined ? (
          <button
            type="button"
            className="btn btn-danger"
            onClick={() => void controller?.cancel()}
            data-testid="run-cancel"
          >
            ■ Cancel
          </button>
        ) : null}
        <button
          type="button"
          className="btn btn-primary"
          onClick={runNow}
          disabled={busy || active}
          title="Run the saved graph with the inputs in the Run tab"
          data-testid="run-start"
        >
          ▶ Run
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={() => store.getState().actions.setDock(!open)}
          aria-expanded={open}
          aria-label={open ? 'Collapse the run panel' : 'Expand the run panel'}
          data-testid="dock-toggle"
        >
          {open ? '▾' : '▴'}
        </button>
      </div>
      {open && (
        <div className="dock-body" data-testid={`dock-body-${tab}`}>
          {tab === 'run' && <RunPanel editorVersion={editorVersion} />}
          {tab === 'timeline' && <Timeline />}
          {tab === 'history' && <HistoryPanel graphId={graphId} />}
          {tab === 'compare' && <CompareView />}
        </div>
      )}
    </section>
  );
}
