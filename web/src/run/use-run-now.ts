import { useCallback } from 'react';
import { toast } from '../app/feedback';
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

/** Starts a run with the inputs form's values; when they are not valid, opens the form instead. */
export function useRunNow(): () => void {
  const editor = useEditorStore();
  const runStore = useRunStore();
  const controller = useRunController();
  return useCallback(() => {
    const s = runStore.getState();
    const r = buildInput(inputFieldsOf(editor.getState().blocks), s.inputDraft);
    if (!r.ok) {
      s.actions.setDock(true, 'run');
      toast('Fill in the run inputs first.', 'error');
      return;
    }
    void controller?.start(r.value, optionsFrom(s.inputDraft, s.breakpoints));
  }, [editor, runStore, controller]);
}
