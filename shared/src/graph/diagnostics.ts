/** Every diagnostic code the validator can report, with its severity. Codes are stable: the UI and tests key on them. */
export const DIAGNOSTIC_CODES = {
  not_an_object: 'error',
  document_too_large: 'error',
  too_many_blocks: 'error',
  too_many_transitions: 'error',
  schema: 'error',
  duplicate_block_id: 'error',
  duplicate_transition_id: 'error',
  unknown_transition_source: 'error',
  unknown_transition_target: 'error',
  missing_input: 'error',
  multiple_inputs: 'error',
  input_has_incoming: 'error',
  missing_output: 'error',
  no_reachable_output: 'error',
  output_has_outgoing: 'error',
  unreachable_block: 'warning',
  cycle_without_exit: 'error',
  multiple_else: 'error',
  else_with_condition: 'error',
  cel_syntax: 'error',
  cel_unknown_root: 'error',
  cel_unknown_block: 'error',
  cel_not_upstream: 'warning',
  cel_unknown_var: 'error',
  template_syntax: 'error',
  template_unknown_variable: 'error',
  template_not_upstream: 'error',
  assign_unknown_var: 'error',
  parallel_replace_conflict: 'error',
  composite_too_deep: 'error',
  prompt_too_large: 'error',
  output_schema_invalid: 'error',
  llm_no_messages: 'error',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** What is wrong and what to do about it, in one or two sentences. */
  readonly message: string;
  /** JSON path into the document (composites included), e.g. ["blocks", 3, "messages", 0, "content"]. */
  readonly path: readonly (string | number)[];
  readonly blockId?: string;
  readonly transitionId?: string;
  /** Ids of the composite blocks that enclose the element, outermost first; empty at the top level. */
  readonly graphPath: readonly string[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Raised by `compile` when the document has error diagnostics. */
export class GraphValidationError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    super(
      first
        ? `The graph has ${errors.length} error${errors.length === 1 ? '' : 's'}; first: ${first.message}`
        : 'The graph is invalid',
    );
    this.name = 'GraphValidationError';
  }
}
