import type { BlockType } from '@graphwright/shared';
import { fmtMs, fmtUsd } from '../run/format';
import { useEditor } from '../store/context';
import { useEstimate } from './context';
import { fmtPct, levelOf } from './levels';

/** Blocks that do slow or paid work; the others run in-process in microseconds. */
function hasFigures(type: BlockType): boolean {
  return type === 'llm' || type === 'composite';
}

/**
 * What history expects of one block, on its node: p50/p95 latency and cost per visit (retries
 * included), success rate and samples, coloured by level. Subscribes to its own block's estimate.
 */
export function EstimateBadge({ id, type }: { id: string; type: BlockType }) {
  const prefix = useEditor((s) => s.scopePrefix);
  const key = prefix + id;
  const visible = useEstimate((s) => s.visible);
  const ready = useEstimate((s) => s.phase === 'ready');
  const e = useEstimate((s) => s.blocks.get(key));
  const open = useEstimate((s) => s.actions.openPopover);
  if (!visible || !ready || !hasFigures(type)) return null;
  const level = levelOf(e);
  if (!e?.hasHistory)
    return (
      <div className="est-badge est-none" data-testid={`est-${id}`} data-level="none">
        {e ? 'no history yet' : 'not saved yet: no history'}
      </div>
    );
  const title = `Expected per visit (retries included), from ${e.samples} recorded attempt${e.samples === 1 ? '' : 's'}. Click for the latency histogram and recent attempts.`;
  return (
    <button
      type="button"
      className={`est-badge est-${level} nodrag`}
      data-testid={`est-${id}`}
      data-level={level}
      title={title}
      onClick={() => open(key)}
    >
      <span className="est-line">
        <span data-testid={`est-p50-${id}`}>p50 {fmtMs(e.latencyP50Ms)}</span>
        {' · '}
        <span data-testid={`est-p95-${id}`}>p95 {fmtMs(e.latencyP95Ms)}</span>
      </span>
      <span className="est-line">
        <span data-testid={`est-cost-${id}`}>{fmtUsd(e.costPerVisitUsd)}</span>
        {' · '}
        <span data-testid={`est-success-${id}`}>{fmtPct(e.success)} ok</span>
        {' · '}
        <span data-testid={`est-samples-${id}`}>n={e.samples}</span>
      </span>
      {e.fromPreviousVersion !== undefined && (
        <span className="est-prev" data-testid={`est-prev-${id}`}>
          from previous version
        </span>
      )}
    </button>
  );
}
