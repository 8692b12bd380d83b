import type { Diagnostic } from '@graphwright/shared';
import { useEffect, useId, useRef, useState } from 'react';
import { FieldProblems } from './fields';

function pretty(v: unknown): string {
  return v === undefined ? '' : JSON.stringify(v, null, 2);
}

/**
 * JSON text bound to a value. The text is committed only when it parses (and `check` accepts its
 * shape); until then the last good value stays in the document and the error shows here.
 */
export function JsonEditor<T>({
  label,
  value,
  onChange,
  check,
  lint,
  problems = [],
  testId,
  rows = 8,
  optional = true,
  placeholder,
  hint,
}: {
  label: string;
  value: T | undefined;
  onChange: (v: T | undefined) => void;
  /** Says why a parsed value cannot be used (it is then not committed). */
  check?: (v: unknown) => string | undefined;
  /** Problems worth showing that do not stop the value being committed. */
  lint?: (v: T) => string[];
  problems?: readonly Diagnostic[];
  testId?: string;
  rows?: number;
  optional?: boolean;
  placeholder?: string;
  hint?: string;
}) {
  const id = useId();
  const [text, setText] = useState(() => pretty(value));
  const committed = useRef(pretty(value));
  // An outside change (undo, another field) replaces the text; our own commits do not.
  useEffect(() => {
    const now = pretty(value);
    if (now !== committed.current) {
      committed.current = now;
      setText(now);
    }
  }, [value]);

  let error: string | undefined;
  let parsed: unknown;
  if (text.trim() === '') {
    if (!optional) error = 'Enter JSON.';
  } else {
    try {
      parsed = JSON.parse(text);
      error = check?.(parsed);
    } catch (e) {
      error = `Not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const lints = !error && parsed !== undefined && lint ? lint(parsed as T) : [];

  const commit = (t: string) => {
    setText(t);
    if (t.trim() === '') {
      if (optional) {
        committed.current = '';
        onChange(undefined);
      }
      return;
    }
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      return;
    }
    if (check?.(v)) return;
    committed.current = pretty(v);
    onChange(v as T);
  };

  return (
    <div className="field json-field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <textarea
        id={id}
        className={`input mono${error ? ' is-invalid' : ''}`}
        rows={rows}
        value={text}
        spellCheck={false}
        placeholder={placeholder}
        data-testid={testId}
        aria-invalid={error ? true : undefined}
        onChange={(e) => commit(e.target.value)}
        onBlur={() => {
          if (!error && parsed !== undefined) setText(pretty(parsed));
        }}
      />
      {error && (
        <p className="field-error" role="alert" data-testid={testId ? `${testId}-error` : undefined}>
          {error}
        </p>
      )}
      {lints.length > 0 && (
        <ul className="field-problems" data-testid={testId ? `${testId}-lint` : undefined}>
          {lints.map((m) => (
            <li key={m} className="is-error">
              {m}
            </li>
          ))}
        </ul>
      )}
      {hint && !error && lints.length === 0 && <p className="field-hint">{hint}</p>}
      <FieldProblems list={problems} />
    </div>
  );
}
