import type { VariableSuggestion } from '../store/graph-queries';

/** Where a `{{variable}}` is being typed: the text after `{{` up to the caret. */
export interface CompletionContext {
  /** Index just after the `{{`. */
  readonly start: number;
  readonly caret: number;
  readonly partial: string;
}

const PARTIAL = /^\s*[A-Za-z0-9_.[\]]*$/;

/** The open `{{` the caret is in, if the text typed after it can still become a variable path. */
export function completionContext(text: string, caret: number): CompletionContext | undefined {
  const before = text.slice(0, caret);
  const open = before.lastIndexOf('{{');
  if (open < 0) return undefined;
  const typed = before.slice(open + 2);
  if (typed.includes('}}') || !PARTIAL.test(typed)) return undefined;
  return { start: open + 2, caret, partial: typed.trim() };
}

/** Suggestions matching what was typed: prefix matches first, then other substring matches. */
export function filterSuggestions(
  all: readonly VariableSuggestion[],
  partial: string,
  limit = 30,
): VariableSuggestion[] {
  const p = partial.toLowerCase();
  const prefix = all.filter((s) => s.path.toLowerCase().startsWith(p));
  const inner = p
    ? all.filter((s) => !s.path.toLowerCase().startsWith(p) && s.path.toLowerCase().includes(p))
    : [];
  return [...prefix, ...inner].slice(0, limit);
}

/** Inserts a chosen path, closing the braces unless they are already there; returns the text and caret. */
export function applyCompletion(
  text: string,
  ctx: CompletionContext,
  path: string,
): { text: string; caret: number } {
  const after = text.slice(ctx.caret);
  // Replace the rest of a path the caret is inside, and its closing braces, too.
  const closes = /^[A-Za-z0-9_.[\]]*\s*}}/.exec(after);
  const rest = closes ? after.slice(closes[0].length) : after;
  const inserted = `${path}}}`;
  return { text: `${text.slice(0, ctx.start)}${inserted}${rest}`, caret: ctx.start + inserted.length };
}
