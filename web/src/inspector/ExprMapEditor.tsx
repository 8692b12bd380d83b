import type { Diagnostic } from '@graphwright/shared';
import { useId } from 'react';
import { CelEditor } from './CelEditor';
import { diagnosticsAt } from './fields';

function renameKey(r: Record<string, string>, from: string, to: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) out[k === from ? to : k] = v;
  return out;
}

/**
 * A map of names to CEL expressions (`assign`: var ← expression over the output; composite
 * `inputMap`: nested input field ← expression over the state).
 */
export function ExprMapEditor({
  value,
  onChange,
  onBlur,
  keyLabel,
  keyOptions,
  withOutput,
  problems,
  pathPrefix,
  testId,
  addLabel,
  newKey,
}: {
  value: Record<string, string> | undefined;
  onChange: (field: string, v: Record<string, string> | undefined) => void;
  onBlur?: () => void;
  keyLabel: string;
  /** Suggested names (declared vars). */
  keyOptions?: readonly string[];
  withOutput: boolean;
  problems: readonly Diagnostic[];
  pathPrefix: (string | number)[];
  testId: string;
  addLabel: string;
  newKey: (taken: Set<string>) => string;
}) {
  const listId = useId();
  const entries = Object.entries(value ?? {});
  const set = (field: string, r: Record<string, string>) =>
    onChange(field, Object.keys(r).length > 0 ? r : undefined);
  return (
    <div className="expr-map" data-testid={testId}>
      {keyOptions && (
        <datalist id={listId}>
          {keyOptions.map((k) => (
            <option key={k} value={k} />
          ))}
        </datalist>
      )}
      {entries.map(([k, expr], i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: keyed by position so renaming a key keeps its input focused
        <div className="expr-map-row" key={i}>
          <div className="row">
            <input
              className="input mono"
              aria-label={`${keyLabel} ${i + 1}`}
              value={k}
              list={keyOptions ? listId : undefined}
              data-testid={`${testId}-key-${i}`}
              onChange={(e) => {
                const to = e.target.value;
                if (to && !(to in (value ?? {}))) set(`${k}.key`, renameKey(value ?? {}, k, to));
              }}
            />
            <button
              type="button"
              className="btn btn-small"
              aria-label={`Remove ${k}`}
              onClick={() => {
                const next = { ...value };
                delete next[k];
                set(`${k}.remove`, next);
              }}
            >
              ✕
            </button>
          </div>
          <CelEditor
            label={`${k} =`}
            value={expr}
            withOutput={withOutput}
            onChange={(v) => set(`${k}.expr`, { ...value, [k]: v })}
            onBlur={onBlur}
            problems={diagnosticsAt(problems, [...pathPrefix, k])}
            testId={`${testId}-expr-${i}`}
          />
        </div>
      ))}
      <button
        type="button"
        className="btn btn-small"
        data-testid={`${testId}-add`}
        onClick={() => {
          const taken = new Set(Object.keys(value ?? {}));
          set('add', { ...value, [newKey(taken)]: withOutput ? 'output' : 'input' });
        }}
      >
        {addLabel}
      </button>
    </div>
  );
}
