import { useCallback } from 'react';
import { confirmDialog, toast } from '../app/feedback';
import { budgetProblems, rootBudget } from '../estimate/budget';
import { useEstimateStore } from '../estimate/context';
import { useEditorStore } from '../store/context';
import { useRunController, useRunStore } from './context';
import { buildInput, inputFieldsOf } from './inputs';
import type { RunOptions } from './run-controller';

/** Keys of the inputs draft that hold run options rather than input fields ('@' never starts a field name). */
export const OPT_BUDGET = '@budgetUsd';
export const OPT_DEADLINE = '@deadlineS';

export function optionsFrom(
  draft: Readonly<Record<string, string>>,
  breakpoints: ReadonlyMap<string, { before: boolean; after: boolean }>,
): RunOptions {
  const budget = Number(draft[OPT_BUDGET]);
  const deadline = Number(draft[OPT_DEADLINE]);
  const before = [...breakpoints].filter(([, b]) => b.before).map(([id]) => id);
  const after = [...breakpoints].filter(([, b]) => b.after).map(([id]) => id);
  return {
    ...(draft[OPT_BUDGET] && budget > 0 ? { budgetUsd: budget } : {}),
    ...(draft[OPT_DEADLINE] && deadline > 0 ? { deadlineMs: Math.round(deadline * 1000) } : {}),
    ...(before.length > 0 ? { interruptBefore: before } : {}),
    ...(after.length > 0 ? { interruptAfter: after } : {}),
  };
}

/**
 * Starts a run with the inputs form's values; when they are not valid, opens the form instead. When
 * the estimate says the run will break the graph's budget, asks first.
 */
export function useRunNow(): () => void {
  const editor = useEditorStore();
  const runStore = useRunStore();
  const estimates = useEstimateStore();
  const controller = useRunController();
  return useCallback(async () => {
    const s = runStore.getState();
    const r = buildInput(inputFieldsOf(editor.getState().blocks), s.inputDraft);
    if (!r.ok) {
      s.actions.setDock(true, 'run');
      toast('Fill in the run inputs first.', 'error');
      return;
    }
    const est = estimates.getState();
    const over = est.visible ? budgetProblems(est.totals, rootBudget(editor.getState())) : [];
    if (
      over.length > 0 &&
      !(await confirmDialog({
        title: 'Over budget',
        message: `By the estimate from earlier runs, ${over.join(' and ')}. Run anyway?`,
        confirmLabel: 'Run anyway',
      }))
    )
      return;
    void controller?.start(r.value, optionsFrom(s.inputDraft, s.breakpoints));
  }, [editor, runStore, estimates, controller]);
}
