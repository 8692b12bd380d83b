import { type Diagnostic, parseExpr } from '@graphwright/shared';
import { useId, useMemo } from 'react';
import { FieldProblems } from './fields';

const PARSE_CODES = new Set(['cel_syntax', 'cel_unknown_root', 'schema']);

/**
 * A CEL expression with its parse and type errors shown inline as you type (the same parser the
 * server compiles with), plus the validator's messages about what it reads.
 */
export function CelEditor({
  label,
  value,
  onChange,
  onBlur,
  withOutput = false,
  optional = false,
  problems,
  testId,
  placeholder,
  hint,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  onBlur?: () => void;
  /** `assign` expressions may also read `output` (the block's own output). */
  withOutput?: boolean;
  /** Empty means "no expression" rather than an error. */
  optional?: boolean;
  problems: readonly Diagnostic[];
  testId?: string;
  placeholder?: string;
  hint?: string;
}) {
  const id = useId();
  const error = useMemo(() => {
    if (value.trim() === '') return optional ? undefined : 'Write an expression, e.g. input.text';
    const r = parseExpr(value, withOutput);
    return r.ok ? undefined : r.message;
  }, [value, withOutput, optional]);
  const rest = error ? problems.filter((d) => !PARSE_CODES.has(d.code)) : problems;
  return (
    <div className="field cel-field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <textarea
        id={id}
        className={`input mono${error ? ' is-invalid' : ''}`}
        rows={Math.min(6, Math.max(1, value.split('\n').length))}
        value={value}
        placeholder={placeholder}
        spellCheck={false}
        data-testid={testId}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
      />
      {error ? (
        <p
          className="field-error"
          role="alert"
          id={`${id}-err`}
          data-testid={testId ? `${testId}-error` : undefined}
        >
          {error}
        </p>
      ) : (
        hint && <p className="field-hint">{hint}</p>
      )}
      <FieldProblems list={rest} />
    </div>
  );
}
