import { useState } from 'react';
import { useEditorStore } from '../store/context';
import { useRun, useRunController, useRunStore } from './context';
import { buildInput, inputFieldsOf, parseObject } from './inputs';

function pretty(v: unknown): string {
  return v === undefined ? '' : JSON.stringify(v, null, 2);
}

/** What a single-block test starts from: the shown run's input and upstream outputs, else the form's input. */
function initialValues(
  id: string,
  editor: ReturnType<typeof useEditorStore>,
  run: ReturnType<ReturnType<typeof useRunStore>['getState']>,
) {
  const shown = run.shown;
  const fields = inputFieldsOf(editor.getState().blocks);
  const fromForm = buildInput(fields, run.inputDraft);
  const input = shown?.input ?? (fromForm.ok ? fromForm.value : {});
  const out: Record<string, unknown> = {};
  if (shown)
    for (const b of shown.blocks.values())
      if (b.path.length === 0 && b.blockId !== id && b.hasOutput) out[b.blockId] = b.output;
  return { input: pretty(input), out: Object.keys(out).length > 0 ? pretty(out) : '', vars: '' };
}

/** "Test this block alone": runs one block with given input, upstream outputs (out) and vars. */
export function TestBlockAlone({ id }: { id: string }) {
  const editor = useEditorStore();
  const runStore = useRunStore();
  const controller = useRunController();
  const busy = useRun((s) => s.busy);
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState(() => initialValues(id, editor, runStore.getState()));
  const parsed = {
    input: parseObject(values.input),
    out: parseObject(values.out),
    vars: parseObject(values.vars),
  };
  const ok = parsed.input.ok && parsed.out.ok && parsed.vars.ok;
  const field = (key: 'input' | 'out' | 'vars', label: string, hint: string) => {
    const p = parsed[key];
    return (
      <label className="field">
        <span className="field-label">{label}</span>
        <textarea
          className={`input mono${p.ok ? '' : ' is-invalid'}`}
          rows={4}
          spellCheck={false}
          value={values[key]}
          placeholder={hint}
          aria-invalid={!p.ok}
          onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))}
          data-testid={`test-alone-${key}`}
        />
        {!p.ok && <span className="field-error">{p.error}</span>}
      </label>
    );
  };
  return (
    <details
      className="section"
      open={open}
      onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}
      data-testid="test-alone"
    >
      <summary>Test this block alone</summary>
      <div className="section-body">
        <p className="field-hint">
          Runs only this block of the saved graph, reading these values as its state. Upstream blocks do not
          run.
        </p>
        {field('input', 'Input', '{"topic": "…"}')}
        {field('out', 'Upstream outputs (out)', '{"classify": {"label": "bug"}}')}
        {field('vars', 'Vars', '{}')}
        <div className="row">
          <button
            type="button"
            className="btn btn-primary"
            disabled={!ok || busy || !controller}
            onClick={() => {
              if (!parsed.input.ok || !parsed.out.ok || !parsed.vars.ok || !controller) return;
              void controller.startBlock(id, {
                input: parsed.input.value ?? {},
                out: parsed.out.value,
                vars: parsed.vars.value,
              });
            }}
            data-testid="test-alone-run"
          >
            Run this block
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => setValues(initialValues(id, editor, runStore.getState()))}
          >
            Fill from the shown run
          </button>
        </div>
      </div>
    </details>
  );
}
