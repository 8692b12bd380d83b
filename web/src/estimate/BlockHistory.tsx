import { useEffect, useState } from 'react';
import { errorMessage } from '../api/errors';
import { api } from '../api/trpc';
import { fmtMs, fmtTime, fmtUsd } from '../run/format';
import { useEditor } from '../store/context';
import { useEstimate, useEstimateStore } from './context';
import { fmtPct } from './levels';

type BlockHistoryData = Awaited<ReturnType<typeof api.estimate.block.query>>;

function Histogram({ data }: { data: NonNullable<BlockHistoryData['histogram']> }) {
  const max = Math.max(...data.bars.map((b) => b.count), 0);
  if (data.bars.length === 0 || max <= 0) return <p className="field-hint">No latencies recorded.</p>;
  return (
    <div className="est-hist" data-testid="est-histogram" role="img" aria-label="Latency histogram">
      {data.bars.map((b) => (
        <div
          key={b.fromMs}
          className="est-hist-bar"
          title={`${fmtMs(b.fromMs)} – ${fmtMs(b.toMs)}: ${Math.round(b.count * 10) / 10}`}
        >
          <div className="est-hist-fill" style={{ height: `${Math.max(2, (b.count / max) * 100)}%` }} />
          <span className="est-hist-label">{fmtMs(b.toMs)}</span>
        </div>
      ))}
    </div>
  );
}

/**
 * The history of one block, opened from its estimate badge: figures, latency histogram (read from
 * the block's quantile sketch) and its latest attempts. Fetched again when a new estimate arrives.
 */
export function BlockHistory({ graphId }: { graphId: string }) {
  const store = useEstimateStore();
  const blockId = useEstimate((s) => s.popover);
  const version = useEstimate((s) => s.version);
  const updates = useEstimate((s) => s.updates);
  // The popover names the block as the canvas does (it is opened from a block of the shown graph).
  const name = useEditor((s) => {
    if (!blockId?.startsWith(s.scopePrefix)) return undefined;
    const b = s.blockLookup.get(blockId.slice(s.scopePrefix.length));
    return b ? b.name || b.id : undefined;
  });
  const [state, setState] = useState<{ data?: BlockHistoryData; error?: string }>({});

  // biome-ignore lint/correctness/useExhaustiveDependencies: `updates` is the cue to fetch again
  useEffect(() => {
    if (!blockId) return;
    let live = true;
    api.estimate.block
      .query({ graphId, version, blockId })
      .then((data) => live && setState({ data }))
      .catch((e: unknown) => live && setState({ error: errorMessage(e) }));
    return () => {
      live = false;
    };
  }, [graphId, version, blockId, updates]);

  if (!blockId) return null;
  const close = () => {
    store.getState().actions.openPopover(undefined);
    setState({});
  };
  const d = state.data?.blockId === blockId ? state.data : undefined;
  const e = d?.estimate;
  return (
    <aside className="est-pop" data-testid="est-popover" aria-label={`History of ${name ?? blockId}`}>
      <div className="est-pop-head">
        <h3 className="panel-title" title={blockId}>
          History of {name ?? blockId}
        </h3>
        <button type="button" className="btn btn-small btn-ghost" onClick={close} aria-label="Close">
          ✕
        </button>
      </div>
      {state.error && <p className="field-hint">{state.error}</p>}
      {!d && !state.error && <p className="field-hint">Loading…</p>}
      {d && !e && <p className="field-hint">No history yet: run the graph to record some.</p>}
      {d && e && (
        <>
          <p className="est-pop-figures" data-testid="est-pop-figures">
            {e.samples} attempts · mean {fmtMs(e.latencyMeanMs)} · p50 {fmtMs(e.latencyP50Ms)} · p95{' '}
            {fmtMs(e.latencyP95Ms)} · p99 {fmtMs(e.latencyP99Ms)} · {fmtUsd(e.costMeanUsd)} per attempt ·{' '}
            {fmtPct(e.successRate)} ok
            {e.fromPreviousVersion !== undefined && ' · from the previous version of this block'}
          </p>
          {d.histogram && <Histogram data={d.histogram} />}
        </>
      )}
      {d && d.recent.length > 0 && (
        <table className="est-recent" data-testid="est-recent">
          <thead>
            <tr>
              <th>started</th>
              <th>status</th>
              <th>latency</th>
              <th>cost</th>
              <th>model</th>
              <th>try</th>
            </tr>
          </thead>
          <tbody>
            {d.recent.map((a) => (
              <tr key={`${a.runId}:${a.startedAt}:${a.attempt}`} title={a.error ?? a.runId}>
                <td>{fmtTime(a.startedAt)}</td>
                <td className={a.status === 'ok' ? 'est-ok' : 'est-bad'}>{a.status}</td>
                <td>{fmtMs(a.latencyMs)}</td>
                <td>{fmtUsd(a.costUsd)}</td>
                <td>{a.model}</td>
                <td>{a.attempt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </aside>
  );
}
