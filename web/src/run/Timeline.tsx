import { useEditorStore } from '../store/context';
import { useRun, useRunClock, useRunController } from './context';
import { CheckpointList } from './Debugger';
import { fmtDelta, fmtMs, fmtUsd } from './format';
import { ReplayControls } from './ReplayControls';
import { runCost, runDuration, withHistory } from './RunPanel';
import { buildTimeline } from './timeline-model';

function pct(t: number, t0: number, t1: number): string {
  return `${(((t - t0) / (t1 - t0)) * 100).toFixed(3)}%`;
}

/** The Gantt view: a row per block, bars per visit, attempt and wait; checkpoints; totals vs the estimate. */
export function Timeline() {
  const run = useRun((s) => s.shown);
  const live = useRun((s) => s.live);
  const totals = useRun((s) => withHistory(s.estimate?.totals));
  const replayAt = useRun((s) => s.replayAt);
  const controller = useRunController();
  const editor = useEditorStore();
  const running = run?.phase === 'running' && replayAt === undefined;
  const now = useRunClock(running);
  if (!run) return <p className="field-hint">No run is shown. Run the graph or open one from History.</p>;
  // While replaying, draw the whole run and move a cursor over it.
  const full = replayAt !== undefined && live ? live : run;
  const model = buildTimeline(full, now, totals ? Math.min(totals.latencyP95Ms, 3_600_000) : 0);
  const { t0, t1 } = model;
  const duration = runDuration(run, now);
  const cost = runCost(run);
  const select = (key: string) => {
    const b = full.blocks.get(key);
    if (b && b.path.length === 0 && editor.getState().blockLookup.has(b.blockId))
      editor.getState().actions.setSelection({ blocks: [b.blockId] });
  };
  return (
    <div className="timeline" data-testid="timeline">
      <div className="row timeline-head">
        <span data-testid="timeline-totals">
          <strong>{fmtMs(duration)}</strong>
          {totals && (
            <span className="field-hint">
              {' '}
              (expected p50 {fmtMs(totals.latencyP50Ms)}, p95 {fmtMs(totals.latencyP95Ms)}{' '}
              {fmtDelta(duration, totals.latencyP50Ms)})
            </span>
          )}{' '}
          · <strong>{fmtUsd(cost)}</strong>
          {totals && (
            <span className="field-hint">
              {' '}
              (expected {fmtUsd(totals.costUsd)} {fmtDelta(cost, totals.costUsd)})
            </span>
          )}
        </span>
        <span className="toolbar-spacer" />
        <span className="legend">
          <span className="lg lg-visit" /> block <span className="lg lg-attempt" /> attempt{' '}
          <span className="lg lg-fail" /> failed attempt <span className="lg lg-wait" /> wait
        </span>
        {full.phase !== 'running' && full.phase !== 'pending' && <ReplayControls />}
      </div>
      <div className="tl-grid">
        <div className="tl-axis">
          <div className="tl-label" />
          <div className="tl-track">
            {model.ticks.map((t) => (
              <span key={t} className="tl-tick" style={{ left: pct(t0 + t, t0, t1) }}>
                {fmtMs(t)}
              </span>
            ))}
          </div>
        </div>
        {model.rows.map((row) => (
          <div key={row.key} className="tl-row" data-testid={`timeline-row-${row.key}`}>
            <button
              type="button"
              className="tl-label"
              style={{ paddingLeft: 6 + row.depth * 12 }}
              onClick={() => select(row.key)}
              title={row.key}
            >
              {row.label}
            </button>
            <div className="tl-track">
              {row.bars.map((bar, i) => (
                <span
                  // biome-ignore lint/suspicious/noArrayIndexKey: bars are rebuilt from the run each render
                  key={i}
                  className={`tl-bar tl-${bar.kind} tls-${bar.status}`}
                  style={{
                    left: pct(bar.start, t0, t1),
                    width: pct(t0 + Math.max(bar.end - bar.start, 0), t0, t1),
                  }}
                  title={`${bar.label} · ${fmtMs(bar.end - bar.start)}`}
                  data-testid={`tl-${bar.kind}`}
                  data-status={bar.status}
                />
              ))}
            </div>
          </div>
        ))}
        {full.checkpoints.length > 0 && (
          <div className="tl-row tl-checkpoints" data-testid="timeline-checkpoints">
            <span className="tl-label">Checkpoints</span>
            <div className="tl-track">
              {full.checkpoints.map((c) =>
                !controller ? (
                  // A shared view shows where checkpoints were written; forking needs the editor.
                  <span
                    key={c.id}
                    className="tl-checkpoint"
                    style={{ left: pct(c.at, t0, t1) }}
                    title={`Checkpoint at step ${c.step} (+${fmtMs(c.at - t0)})`}
                    data-testid="tl-checkpoint-mark"
                  >
                    ◆
                  </span>
                ) : (
                  <button
                    key={c.id}
                    type="button"
                    className="tl-checkpoint"
                    style={{ left: pct(c.at, t0, t1) }}
                    title={`Checkpoint at step ${c.step} (+${fmtMs(c.at - t0)}): fork a new run from here`}
                    aria-label={`Fork from checkpoint at step ${c.step}`}
                    disabled={running}
                    onClick={() => void controller?.fork(c.id)}
                    data-testid="tl-checkpoint"
                  >
                    ◆
                  </button>
                ),
              )}
            </div>
          </div>
        )}
        <div className="tl-overlay" aria-hidden="true">
          {totals && totals.latencyP50Ms > 0 && (
            <span className="tl-marker tl-p50" style={{ left: pct(t0 + totals.latencyP50Ms, t0, t1) }}>
              p50
            </span>
          )}
          {totals && totals.latencyP95Ms > 0 && (
            <span className="tl-marker tl-p95" style={{ left: pct(t0 + totals.latencyP95Ms, t0, t1) }}>
              p95
            </span>
          )}
          {replayAt !== undefined && (
            <span className="tl-marker tl-cursor" style={{ left: pct(replayAt, t0, t1) }} />
          )}
        </div>
      </div>
      <CheckpointList />
    </div>
  );
}
