import type { InputField } from '@graphwright/shared';
import type { ReactNode } from 'react';
import { useEditor } from '../store/context';
import { useRun, useRunStore } from './context';
import { defaultText, type InputsResult, inputFieldsOf, WHOLE_INPUT } from './inputs';

function FieldInput({
  f,
  value,
  error,
  onChange,
}: {
  f: InputField;
  value: string;
  error: string | undefined;
  onChange: (v: string) => void;
}) {
  const id = `run-input-${f.name}`;
  const common = {
    id,
    'aria-invalid': error !== undefined,
    'data-testid': id,
  };
  let control: ReactNode;
  if (f.type === 'boolean')
    control = (
      <input
        {...common}
        type="checkbox"
        checked={value === 'true'}
        onChange={(e) => onChange(String(e.target.checked))}
      />
    );
  else if (f.type === 'number')
    control = (
      <input
        {...common}
        className="input"
        type="number"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  else
    control = (
      <textarea
        {...common}
        className={`input${f.type === 'json' ? ' mono' : ''}`}
        rows={f.type === 'json' ? 3 : 2}
        spellCheck={f.type !== 'json'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  return (
    <div className={`field${f.type === 'boolean' ? ' field-check' : ''}`}>
      <label className="field-label" htmlFor={id}>
        {f.name}
        {f.required ? ' *' : ''} <span className="field-hint">{f.type}</span>
      </label>
      {control}
      {error ? (
        <span className="field-error">{error}</span>
      ) : (
        f.description && <span className="field-hint">{f.description}</span>
      )}
    </div>
  );
}

/** The run's inputs, generated from the input block's fields (or one JSON object when it declares none). */
export function InputsForm({ result }: { result: InputsResult }) {
  const blocks = useEditor((s) => s.blocks);
  const fields = inputFieldsOf(blocks);
  const draft = useRun((s) => s.inputDraft);
  const store = useRunStore();
  const set = (name: string, v: string) => store.getState().actions.setInputDraft({ ...draft, [name]: v });
  const errors = result.ok ? {} : result.errors;
  if (!fields)
    return (
      <div className="field" data-testid="run-inputs">
        <label className="field-label" htmlFor="run-input-json">
          Input (JSON object)
        </label>
        <textarea
          id="run-input-json"
          className="input mono"
          rows={3}
          spellCheck={false}
          placeholder='{"topic": "…"}'
          value={draft[WHOLE_INPUT] ?? ''}
          onChange={(e) => set(WHOLE_INPUT, e.target.value)}
          aria-invalid={errors[WHOLE_INPUT] !== undefined}
          data-testid="run-input-json"
        />
        {errors[WHOLE_INPUT] && <span className="field-error">{errors[WHOLE_INPUT]}</span>}
      </div>
    );
  return (
    <div className="run-inputs" data-testid="run-inputs">
      {fields.map((f) => (
        <FieldInput
          key={f.name}
          f={f}
          value={draft[f.name] ?? defaultText(f)}
          error={errors[f.name]}
          onChange={(v) => set(f.name, v)}
        />
      ))}
    </div>
  );
}
