import { type Diagnostic, parseTemplate } from '@graphwright/shared';
import { type KeyboardEvent, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { VariableSuggestion } from '../store/graph-queries';
import { applyCompletion, type CompletionContext, completionContext, filterSuggestions } from './completion';
import { FieldProblems } from './fields';

/**
 * A prompt template with `{{variable}}` autocompletion from what the block can read (input fields,
 * upstream outputs, vars), its own syntax check as you type, and the validator's messages.
 */
export function TemplateEditor({
  label,
  value,
  onChange,
  onBlur,
  suggestions,
  problems,
  testId,
  rows = 4,
  placeholder,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  onBlur?: () => void;
  suggestions: readonly VariableSuggestion[];
  problems: readonly Diagnostic[];
  testId?: string;
  rows?: number;
  placeholder?: string;
}) {
  const id = useId();
  const listId = `${id}-list`;
  const ref = useRef<HTMLTextAreaElement>(null);
  const [ctx, setCtx] = useState<CompletionContext | undefined>();
  const [active, setActive] = useState(0);
  const pendingCaret = useRef<number | undefined>(undefined);

  const matches = useMemo(() => (ctx ? filterSuggestions(suggestions, ctx.partial) : []), [ctx, suggestions]);
  const open = ctx !== undefined && matches.length > 0;
  const syntax = useMemo(() => {
    const r = parseTemplate(value);
    return r.ok ? undefined : r.message;
  }, [value]);

  useLayoutEffect(() => {
    const caret = pendingCaret.current;
    if (caret !== undefined && ref.current) {
      ref.current.setSelectionRange(caret, caret);
      pendingCaret.current = undefined;
    }
  });

  const refresh = (el: HTMLTextAreaElement) => {
    const next =
      el.selectionStart === el.selectionEnd ? completionContext(el.value, el.selectionStart) : undefined;
    setCtx((old) => {
      if (old?.partial !== next?.partial) setActive(0);
      return next;
    });
  };

  const accept = (s: VariableSuggestion) => {
    if (!ctx) return;
    const r = applyCompletion(value, ctx, s.path);
    pendingCaret.current = r.caret;
    onChange(r.text);
    setCtx(undefined);
    ref.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => (a + 1) % matches.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (a - 1 + matches.length) % matches.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      const s = matches[active];
      if (s) {
        e.preventDefault();
        accept(s);
      }
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setCtx(undefined);
    }
  };

  const shownProblems = syntax ? problems.filter((d) => d.code !== 'template_syntax') : problems;
  return (
    <div className="field template-field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <div className="template-wrap">
        <textarea
          id={id}
          ref={ref}
          className="input mono"
          rows={rows}
          value={value}
          placeholder={placeholder ?? 'Type {{ to insert a variable'}
          spellCheck={false}
          data-testid={testId}
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open ? `${listId}-${active}` : undefined}
          aria-invalid={syntax ? true : undefined}
          onChange={(e) => {
            onChange(e.target.value);
            refresh(e.target);
          }}
          onSelect={(e) => refresh(e.currentTarget)}
          onKeyDown={onKeyDown}
          onBlur={() => {
            // Let a click on a suggestion land before the list closes.
            setTimeout(() => setCtx(undefined), 150);
            onBlur?.();
          }}
        />
        {open && (
          <div
            className="suggestions"
            id={listId}
            role="listbox"
            aria-label="Variables"
            data-testid="template-suggestions"
          >
            {matches.map((s, i) => (
              <div
                key={s.path}
                tabIndex={-1}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'is-active' : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(s);
                }}
              >
                <code>{`{{${s.path}}}`}</code>
                <span className="suggestion-detail">{s.detail}</span>
              </div>
            ))}
          </div>
        )}
      </div>
      {syntax && (
        <p className="field-error" role="alert">
          {syntax}
        </p>
      )}
      <FieldProblems list={shownProblems} />
    </div>
  );
}
