import type { Diagnostic } from '@graphwright/shared';
import { useReactFlow } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { useEditor, useEditorStore } from '../store/context';
import { diagnosticBlock, sortDiagnostics } from '../store/diagnostics';

function where(d: Diagnostic, name: (id: string) => string): string {
  const inside = d.graphPath.length > 0 ? ` (inside ${d.graphPath.map(name).join(' › ')})` : '';
  if (d.transitionId !== undefined) return `transition ${d.transitionId}${inside}`;
  if (d.blockId !== undefined) return `${name(d.blockId)}${inside}`;
  return 'graph';
}

/** Every diagnostic of the document; clicking one selects and shows the element it is about. */
export function ProblemsPanel() {
  const store = useEditorStore();
  const diagnostics = useEditor((s) => s.diagnostics);
  const { fitView } = useReactFlow();
  const [open, setOpen] = useState(true);
  const sorted = useMemo(() => sortDiagnostics(diagnostics), [diagnostics]);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;

  const show = (d: Diagnostic) => {
    const s = store.getState();
    const transition =
      d.graphPath.length === 0 && d.transitionId !== undefined
        ? s.transitionLookup.get(d.transitionId)
        : undefined;
    if (transition) {
      s.actions.setSelection({ transitions: [transition.id] });
      void fitView({
        nodes: [{ id: transition.from }, { id: transition.to }],
        duration: 300,
        maxZoom: 1.2,
        padding: 0.4,
      });
      return;
    }
    const blockId = diagnosticBlock(d);
    if (blockId !== undefined && s.blockLookup.has(blockId)) {
      s.actions.setSelection({ blocks: [blockId] });
      void fitView({ nodes: [{ id: blockId }], duration: 300, maxZoom: 1.2, padding: 0.6 });
      return;
    }
    s.actions.clearSelection();
  };

  const name = (id: string) => {
    const b = store.getState().blockLookup.get(id);
    return b ? b.name || b.id : id;
  };
  const summary =
    diagnostics.length === 0
      ? 'No problems'
      : [
          errors > 0 && `${errors} error${errors === 1 ? '' : 's'}`,
          warnings > 0 && `${warnings} warning${warnings === 1 ? '' : 's'}`,
        ]
          .filter(Boolean)
          .join(', ');

  return (
    <section className={`problems${open ? ' is-open' : ''}`} aria-label="Problems" data-testid="problems">
      <button
        type="button"
        className="problems-head"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="problems-toggle"
      >
        <span className={errors > 0 ? 'count-error' : warnings > 0 ? 'count-warning' : 'count-ok'}>
          {errors > 0 ? '✕' : warnings > 0 ? '!' : '✓'}
        </span>{' '}
        Problems: <span data-testid="problems-summary">{summary}</span>
      </button>
      {open && sorted.length > 0 && (
        <ul className="problems-list">
          {sorted.map((d, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced as a whole on each validation
            <li key={i}>
              <button
                type="button"
                className={`problem ${d.severity}`}
                onClick={() => show(d)}
                data-testid="problem-item"
                data-code={d.code}
              >
                <span className="problem-sev">{d.severity === 'error' ? '✕' : '!'}</span>
                <span className="problem-where">{where(d, name)}</span>
                <span className="problem-msg">{d.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
