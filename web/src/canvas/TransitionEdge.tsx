import { BaseEdge, EdgeLabelRenderer, type EdgeProps, type EdgeTypes, getBezierPath } from '@xyflow/react';
import { memo } from 'react';
import { useEstimate } from '../estimate/context';
import { stepKey } from '../estimate/estimate-store';
import { useRun } from '../run/context';
import { useEditor, useEditorActions } from '../store/context';
import { DiagnosticBadge } from './BlockNode';
import { renderProbe } from './probe';

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A transition from a block to itself: an arc over the block, from its right handle to its left. */
function selfLoopPath(sx: number, sy: number, tx: number, ty: number): [string, number, number] {
  const lift = 110;
  const path = `M ${sx} ${sy} C ${sx + 80} ${sy - lift}, ${tx - 80} ${ty - lift}, ${tx} ${ty}`;
  return [path, (sx + tx) / 2, Math.min(sy, ty) - lift * 0.75];
}

/**
 * A transition: its condition (or "else"), its place in the source's routing order, and its
 * problems. Reads its own transition from the store by id.
 */
export const TransitionEdge = memo(function TransitionEdge(props: EdgeProps) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, markerEnd } =
    props;
  renderProbe.onRender?.('edge', id);
  const t = useEditor((s) => s.transitionLookup.get(id));
  const siblings = useEditor((s) => (t ? s.outgoing.get(t.from) : undefined));
  const routing = useEditor((s) => (t ? (s.blockLookup.get(t.from)?.routing ?? 'first') : 'first'));
  const diagnostics = useEditor((s) => s.diagnosticsByTransition.get(id));
  const taken = useRun((s) => s.shown?.taken.get(id) ?? 0);
  const prefix = useEditor((s) => s.scopePrefix);
  const critical = useEstimate(
    (s) => s.visible && t !== undefined && s.criticalSteps.has(stepKey(prefix + t.from, prefix + t.to)),
  );
  const actions = useEditorActions();
  const [path, labelX, labelY] =
    props.source === props.target
      ? selfLoopPath(sourceX, sourceY, targetX, targetY)
      : getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  if (!t) return null;
  const conditional = (siblings?.length ?? 0) > 1 || t.when !== undefined || t.else === true;
  const order = routing === 'first' && !t.else && (siblings?.length ?? 0) > 1 ? siblings?.indexOf(t) : -1;
  const condition = t.else ? 'else' : t.when !== undefined ? truncate(t.when, 36) : undefined;
  const showLabel = conditional || t.label !== undefined || (diagnostics?.length ?? 0) > 0;
  const hasError = diagnostics?.some((d) => d.severity === 'error');
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={`transition-path${t.else ? ' is-else' : ''}${hasError ? ' has-error' : ''}${taken > 0 ? ' is-taken' : ''}${critical ? ' on-critical' : ''}`}
        interactionWidth={24}
      />
      {showLabel && (
        <EdgeLabelRenderer>
          <button
            type="button"
            className={`edge-label nodrag nopan${selected ? ' is-selected' : ''}${t.else ? ' is-else' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={`edge-label-${id}`}
            title={t.when ?? (t.else ? 'Taken when no other transition of this block applies' : t.id)}
            onClick={() => actions.setSelection({ transitions: [id] })}
          >
            {order !== undefined && order >= 0 && <span className="edge-order">{order + 1}</span>}
            {routing === 'all' && !t.else && (
              <span className="edge-order" title="routing: all">
                ∀
              </span>
            )}
            {t.label && t.label !== condition && <span className="edge-name">{t.label}</span>}
            {condition !== undefined && (
              <code className="edge-cond">{condition === 'else' ? 'else' : `when ${condition}`}</code>
            )}
            {condition === undefined && !t.label && <span className="edge-cond">always</span>}
            <DiagnosticBadge list={diagnostics} testId={`edge-diag-${id}`} />
          </button>
        </EdgeLabelRenderer>
      )}
    </>
  );
});

export const edgeTypes: EdgeTypes = { transition: TransitionEdge };
