import { useState } from 'react';
import { fmtMs, fmtUsd } from '../run/format';
import { useEditor, useEditorActions } from '../store/context';
import type { GraphMeta } from '../store/types';
import { type Budget, budgetProblems, rootBudget } from './budget';
import { useEstimate, useEstimateStore } from './context';
import { fmtPct } from './levels';

function BudgetForm({ budget, onClose }: { budget: Budget | undefined; onClose: () => void }) {
  const actions = useEditorActions();
  const meta = useEditor((s) => s.meta);
  const [cost, setCost] = useState(budget?.maxCostUsd?.toString() ?? '');
  const [secs, setSecs] = useState(
    budget?.maxLatencyMs !== undefined ? String(budget.maxLatencyMs / 1000) : '',
  );
  const save = () => {
    const next: Budget = {};
    if (cost.trim() !== '' && Number(cost) >= 0) next.maxCostUsd = Number(cost);
    if (secs.trim() !== '' && Number(secs) >= 0) next.maxLatencyMs = Math.round(Number(secs) * 1000);
    const { budget: _old, ...rest } = meta;
    const nextMeta: GraphMeta = Object.keys(next).length > 0 ? { ...rest, budget: next } : rest;
    actions.apply([{ type: 'meta.set', meta: nextMeta }]);
    onClose();
  };
  return (
    <form
      className="est-budget-form"
      data-testid="budget-form"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <label>
        Cost (USD)
        <input
          className="input"
          type="number"
          min="0"
          step="any"
          value={cost}
          placeholder="none"
          onChange={(e) => setCost(e.target.value)}
          data-testid="budget-cost"
        />
      </label>
      <label>
        p95 latency (s)
        <input
          className="input"
          type="number"
          min="0"
          step="any"
          value={secs}
          placeholder="none"
          onChange={(e) => setSecs(e.target.value)}
          data-testid="budget-latency"
        />
      </label>
      <button type="submit" className="btn btn-small btn-primary" data-testid="budget-save">
        Set
      </button>
      <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
        Cancel
      </button>
    </form>
  );
}

/**
 * The estimate header above the canvas: what a run of the saved graph is expected to cost and take,
 * the critical path, the budget and its warning, and the overlay toggle.
 */
export function EstimateBar() {
  const store = useEstimateStore();
  const visible = useEstimate((s) => s.visible);
  const phase = useEstimate((s) => s.phase);
  const error = useEstimate((s) => s.error);
  const totals = useEstimate((s) => s.totals);
  const version = useEstimate((s) => s.version);
  const hasCritical = useEstimate((s) => s.critical.size > 0);
  const blockLookup = useEditor((s) => s.blockLookup);
  const prefix = useEditor((s) => s.scopePrefix);
  const inComposite = useEditor((s) => s.scope.length > 0);
  const budget = useEditor(rootBudget);
  const [editing, setEditing] = useState(false);
  const problems = budgetProblems(totals, budget);
  const noHistory = totals !== undefined && totals.samples === 0;
  // Names of the critical path's blocks in the shown graph (ids elsewhere, e.g. inside composites).
  const critical = (totals?.criticalPath ?? []).map((sid) => {
    const local = prefix && sid.startsWith(prefix) ? sid.slice(prefix.length) : prefix ? undefined : sid;
    const b = local !== undefined && !local.includes('/') ? blockLookup.get(local) : undefined;
    return b ? b.name || b.id : sid;
  });

  return (
    <section className="est-bar" data-testid="estimate-bar" aria-label="Estimates">
      <label className="est-toggle" title="Show expected latency and cost on each block">
        <input
          type="checkbox"
          checked={visible}
          onChange={(e) => store.getState().actions.setVisible(e.target.checked)}
          data-testid="est-toggle"
        />
        Estimates
      </label>
      {visible && phase === 'loading' && <span className="est-muted">Estimating…</span>}
      {visible && phase === 'error' && (
        <span className="est-muted" data-testid="est-error" title={error}>
          No estimate for the saved version ({error})
        </span>
      )}
      {visible && totals && (
        <>
          <span className="est-totals" data-testid="est-totals" data-version={version}>
            Per run:{' '}
            <b data-testid="est-total-cost">
              {fmtUsd(totals.costUsd)}
              {totals.costComplete ? '' : '+'}
            </b>
            {' · '}p50 <b data-testid="est-total-p50">{fmtMs(totals.latencyP50Ms)}</b>
            {' · '}p95 <b data-testid="est-total-p95">{fmtMs(totals.latencyP95Ms)}</b>
            {' · '}
            <span data-testid="est-total-success">{fmtPct(totals.successRate)} ok</span>
            {' · '}
            <span data-testid="est-total-samples" title="Fewest samples behind any block expected to run">
              {noHistory ? 'no history yet' : `n≥${totals.samples}`}
            </span>
          </span>
          {critical.length > 0 && hasCritical && (
            <span
              className="est-critical"
              data-testid="est-critical"
              title={`Critical path by p50: ${critical.join(' → ')}`}
            >
              Critical: {critical.join(' → ')}
            </span>
          )}
        </>
      )}
      <span className="toolbar-spacer" />
      {problems.length > 0 && (
        <span className="est-warning" role="alert" data-testid="budget-warning" title={problems.join('; ')}>
          ⚠ Over budget: {problems.join('; ')}
        </span>
      )}
      {editing ? (
        <BudgetForm budget={budget} onClose={() => setEditing(false)} />
      ) : (
        <button
          type="button"
          className="btn btn-small btn-ghost"
          onClick={() => setEditing(true)}
          disabled={inComposite}
          title={inComposite ? 'The budget belongs to the top-level graph' : 'Set a cost and latency budget'}
          data-testid="budget-edit"
        >
          {budget && (budget.maxCostUsd !== undefined || budget.maxLatencyMs !== undefined)
            ? `Budget: ${[
                budget.maxCostUsd !== undefined ? fmtUsd(budget.maxCostUsd) : undefined,
                budget.maxLatencyMs !== undefined ? `p95 ${fmtMs(budget.maxLatencyMs)}` : undefined,
              ]
                .filter(Boolean)
                .join(' · ')}`
            : 'Set budget…'}
        </button>
      )}
    </section>
  );
}
