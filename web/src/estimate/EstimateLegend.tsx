import { Panel } from '@xyflow/react';
import { useEstimate } from './context';
import { LEGEND } from './levels';

/**
 * What the estimate colours mean, in a corner of the canvas while the overlay is on. It lets
 * clicks through to the blocks beneath it.
 */
export function EstimateLegend() {
  const on = useEstimate((s) => s.visible && s.phase === 'ready');
  if (!on) return null;
  return (
    <Panel position="top-right" className="est-legend" data-testid="est-legend" aria-hidden="true">
      {LEGEND.map((l) => (
        <span key={l.level} className={`est-key est-${l.level}`} title={l.title}>
          {l.label}
        </span>
      ))}
      <span className="est-key est-crit" title="Blocks and transitions on the critical path">
        critical
      </span>
    </Panel>
  );
}
