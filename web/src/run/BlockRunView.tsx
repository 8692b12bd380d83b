import type { BlockGraphEstimate } from '@graphwright/shared';
import { AttemptCard } from './AttemptCard';
import { useRun, useRunClock, useRunController } from './context';
import { BreakpointToggles } from './Debugger';
import { fmtDelta, fmtJson, fmtMs, fmtUsd } from './format';
import {
  type BlockRunView as BlockView,
  blockCost,
  blockDuration,
  currentAttempt,
  liveLabel,
} from './run-state';
import { TestBlockAlone } from './TestBlockAlone';

function ActualVsEstimate({
  b,
  est: anyEst,
  now,
}: {
  b: BlockView;
  est: BlockGraphEstimate | undefined;
  now: number;
}) {
  // Without history the estimate is a prior, with no figures worth comparing against.
  const est = anyEst?.hasHistory ? anyEst : undefined;
  const visits = Math.max(1, b.visits.length);
  const duration = blockDuration(b, b.status === 'running' ? now : undefined);
  const cost = blockCost(b);
  const perVisit = duration !== undefined ? duration / visits : undefined;
  const costPerVisit = cost != null ? cost / visits : cost;
  const attemptsPerVisit = b.attempts.length / visits;
  return (
    <table className="mini-table" data-testid="actual-vs-estimate">
      <thead>
        <tr>
          <th />
          <th>actual</th>
          <th>expected</th>
          <th />
        </tr>
      </thead>
      <tbody>
        <tr>
          <th>Latency / visit</th>
          <td data-testid="actual-latency">{fmtMs(perVisit)}</td>
          <td>{est ? `p50 ${fmtMs(est.latencyP50Ms)} · p95 ${fmtMs(est.latencyP95Ms)}` : '–'}</td>
          <td className="delta">{est ? fmtDelta(perVisit, est.latencyP50Ms) : ''}</td>
        </tr>
        <tr>
          <th>Cost / visit</th>
          <td data-testid="actual-cost">{b.attempts.length > 0 ? fmtUsd(costPerVisit) : '–'}</td>
          <td>{est ? fmtUsd(est.costPerVisitUsd) : '–'}</td>
          <td className="delta">{est ? fmtDelta(costPerVisit, est.costPerVisitUsd) : ''}</td>
        </tr>
        {b.type === 'llm' && (
          <tr>
            <th>Attempts / visit</th>
            <td>{attemptsPerVisit.toFixed(attemptsPerVisit % 1 === 0 ? 0 : 1)}</td>
            <td>{est ? est.attemptsPerVisit.toFixed(2) : '–'}</td>
            <td />
          </tr>
        )}
      </tbody>
      <caption>
        {!anyEst
          ? 'No estimate for this block.'
          : est
            ? `Expected from ${est.samples} earlier call${est.samples === 1 ? '' : 's'}${est.fromPreviousVersion ? ` of the previous version (${est.fromPreviousVersion})` : ''}.`
            : 'No history yet: expectations appear after this block has run.'}
      </caption>
    </table>
  );
}

/** The inspector's Run tab for one block: live tokens, every attempt, actual vs estimate, and a test run. */
export function BlockRunPanel({ id }: { id: string }) {
  const b = useRun((s) => s.shown?.blocks.get(id));
  const hasRun = useRun((s) => s.shown !== undefined);
  const est = useRun((s) => s.estimate?.blocks.get(id));
  const running = b?.status === 'running';
  const now = useRunClock(running);
  const streaming = b ? currentAttempt(b) : undefined;
  const livePhase = useRun((s) => s.live?.phase);
  const busy = useRun((s) => s.busy);
  const controller = useRunController();
  const canRerun =
    controller !== undefined &&
    b !== undefined &&
    b.path.length === 0 &&
    livePhase !== 'running' &&
    livePhase !== 'pending';
  return (
    <div className="form block-run-panel" data-testid="block-run-panel">
      {controller && <BreakpointToggles id={id} />}
      {!hasRun && controller && (
        <p className="field-hint">No run is shown. Run the graph, or open one from History.</p>
      )}
      {hasRun && !b && (
        <p className="field-hint" data-testid="block-not-run">
          This block has not run in the shown run.
        </p>
      )}
      {b && (
        <>
          <div className="run-block-head">
            <span className={`run-chip rs-${b.status}`} data-testid="block-run-status">
              {b.status === 'running' ? liveLabel(b) : b.status}
            </span>
            <span className="field-hint">
              {b.visits.length} visit{b.visits.length === 1 ? '' : 's'} · {b.attempts.length} attempt
              {b.attempts.length === 1 ? '' : 's'}
            </span>
            <span className="toolbar-spacer" />
            {canRerun && (
              <button
                type="button"
                className="btn btn-small"
                disabled={busy}
                title="A new run from this block, with the outputs this run recorded upstream"
                onClick={() => void controller?.runFromHere(id)}
                data-testid="run-from-here"
              >
                Run from here
              </button>
            )}
          </div>
          {b.error && (
            <p className="field-error" role="alert" data-testid="block-error">
              {b.error.message}
            </p>
          )}
          {b.skipReason && <p className="field-hint">Skipped: {b.skipReason}</p>}
          <ActualVsEstimate b={b} est={est} now={now} />
          {streaming && (
            <section className="attempt-section">
              <h4>
                Streaming attempt {streaming.attempt} ({streaming.model})
              </h4>
              <pre className="pre stream" data-testid="block-stream-text">
                {streaming.text || '…'}
              </pre>
            </section>
          )}
          {b.attempts.length > 0 && (
            <section className="attempts" data-testid="attempts">
              <h3 className="panel-title">Attempts</h3>
              {b.attempts.map((a, i) => (
                <AttemptCard
                  key={`${a.visit}:${a.attempt}`}
                  block={b}
                  attempt={a}
                  open={i === b.attempts.length - 1}
                />
              ))}
            </section>
          )}
          {b.hasOutput && (
            <section className="attempt-section">
              <h4>Output</h4>
              <pre className="pre" data-testid="block-output">
                {fmtJson(b.output)}
              </pre>
            </section>
          )}
        </>
      )}
      {controller && <TestBlockAlone key={id} id={id} />}
    </div>
  );
}
