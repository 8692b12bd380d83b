import type { Diagnostic } from '@graphwright/shared';
import { type ReactNode, useEffect, useId, useState } from 'react';

export function Section({
  title,
  children,
  open = true,
  testId,
}: {
  title: string;
  children: ReactNode;
  open?: boolean;
  testId?: string;
}) {
  return (
    <details className="section" open={open} data-testid={testId}>
      <summary>{title}</summary>
      <div className="section-body">{children}</div>
    </details>
  );
}

export function Field({
  label,
  hint,
  error,
  children,
  htmlFor,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactNode;
  htmlFor?: string;
}) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={htmlFor}>
        {label}
      </label>
      {children}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {hint && !error && <p className="field-hint">{hint}</p>}
    </div>
  );
}

export function TextInput({
  label,
  value,
  onChange,
  onBlur,
  testId,
  placeholder,
  hint,
  error,
  mono,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  onBlur?: () => void;
  testId?: string;
  placeholder?: string;
  hint?: ReactNode;
  error?: string | undefined;
  mono?: boolean;
}) {
  const id = useId();
  return (
    <Field label={label} hint={hint} error={error} htmlFor={id}>
      <input
        id={id}
        className={mono ? 'input mono' : 'input'}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
        data-testid={testId}
        aria-invalid={error ? true : undefined}
        spellCheck={false}
      />
    </Field>
  );
}

export function TextArea({
  label,
  value,
  onChange,
  onBlur,
  testId,
  rows = 3,
  placeholder,
  hint,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  onBlur?: () => void;
  testId?: string;
  rows?: number;
  placeholder?: string;
  hint?: ReactNode;
}) {
  const id = useId();
  return (
    <Field label={label} hint={hint} htmlFor={id}>
      <textarea
        id={id}
        className="input"
        rows={rows}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
        data-testid={testId}
      />
    </Field>
  );
}

/**
 * A number that may be left empty (undefined). The text is kept while it is not yet a number
 * ("1.", "-"), and committed when it is.
 */
export function NumberInput({
  label,
  value,
  onChange,
  onBlur,
  min,
  max,
  step,
  integer,
  testId,
  placeholder,
  hint,
}: {
  label: string;
  value: number | undefined;
  onChange: (v: number | undefined) => void;
  onBlur?: () => void;
  min?: number;
  max?: number;
  step?: number;
  integer?: boolean;
  testId?: string;
  placeholder?: string;
  hint?: ReactNode;
}) {
  const id = useId();
  const [text, setText] = useState(value === undefined ? '' : String(value));
  useEffect(() => {
    setText((t) => (t.trim() !== '' && Number(t) === value ? t : value === undefined ? '' : String(value)));
  }, [value]);
  const n = Number(text);
  let error: string | undefined;
  if (text.trim() !== '') {
    if (!Number.isFinite(n)) error = 'Enter a number.';
    else if (integer && !Number.isInteger(n)) error = 'Enter a whole number.';
    else if (min !== undefined && n < min) error = `At least ${min}.`;
    else if (max !== undefined && n > max) error = `At most ${max}.`;
  }
  return (
    <Field label={label} hint={hint} error={error} htmlFor={id}>
      <input
        id={id}
        className="input"
        inputMode="decimal"
        value={text}
        placeholder={placeholder}
        data-testid={testId}
        aria-invalid={error ? true : undefined}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          if (t.trim() === '') onChange(undefined);
          else if (Number.isFinite(Number(t))) onChange(Number(t));
        }}
        onBlur={onBlur}
        step={step}
      />
    </Field>
  );
}

export function Select<T extends string>({
  label,
  value,
  options,
  onChange,
  testId,
  hint,
}: {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (v: T) => void;
  testId?: string;
  hint?: ReactNode;
}) {
  const id = useId();
  return (
    <Field label={label} hint={hint} htmlFor={id}>
      <select
        id={id}
        className="input"
        value={value}
        onChange={(e) => onChange(e.target.value as T)}
        data-testid={testId}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function Checkbox({
  label,
  checked,
  onChange,
  testId,
  hint,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  testId?: string;
  hint?: ReactNode;
}) {
  return (
    <div className="field field-check">
      <label>
        <input
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          data-testid={testId}
        />{' '}
        {label}
      </label>
      {hint && <p className="field-hint">{hint}</p>}
    </div>
  );
}

/** The validator's messages for one field. */
export function FieldProblems({ list }: { list: readonly Diagnostic[] }) {
  if (list.length === 0) return null;
  return (
    <ul className="field-problems">
      {list.map((d, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced as a whole on each validation
        <li key={i} className={d.severity === 'error' ? 'is-error' : 'is-warning'}>
          {d.message}
        </li>
      ))}
    </ul>
  );
}

/** Diagnostics whose path starts with `prefix` (paths are absolute in the document). */
export function diagnosticsAt(
  list: readonly Diagnostic[] | undefined,
  prefix: readonly (string | number)[],
): Diagnostic[] {
  if (!list) return [];
  return list.filter((d) => d.path.length >= prefix.length && prefix.every((p, i) => d.path[i] === p));
}
