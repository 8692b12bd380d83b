import type { Diagnostic } from '@graphwright/shared';

export interface DiagnosticsIndex {
  readonly diagnostics: readonly Diagnostic[];
  /** By the top-level block they concern (a problem inside a composite counts for the composite). */
  readonly diagnosticsByBlock: ReadonlyMap<string, readonly Diagnostic[]>;
  readonly diagnosticsByTransition: ReadonlyMap<string, readonly Diagnostic[]>;
}

export const EMPTY_DIAGNOSTICS: DiagnosticsIndex = {
  diagnostics: [],
  diagnosticsByBlock: new Map(),
  diagnosticsByTransition: new Map(),
};

/** The top-level block a diagnostic belongs to, if any. */
export function diagnosticBlock(d: Diagnostic): string | undefined {
  if (d.graphPath.length > 0) return d.graphPath[0];
  return d.transitionId === undefined ? d.blockId : undefined;
}

function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return (
    a.code === b.code &&
    a.message === b.message &&
    a.severity === b.severity &&
    a.path.length === b.path.length &&
    a.path.every((p, i) => p === b.path[i])
  );
}

function sameList(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  return a.length === b.length && a.every((d, i) => sameDiagnostic(d, b[i] as Diagnostic));
}

function stable(
  groups: Map<string, Diagnostic[]>,
  prev: ReadonlyMap<string, readonly Diagnostic[]>,
): ReadonlyMap<string, readonly Diagnostic[]> {
  const out = new Map<string, readonly Diagnostic[]>();
  for (const [k, list] of groups) {
    const old = prev.get(k);
    out.set(k, old && sameList(old, list) ? old : list);
  }
  return out;
}

/**
 * Groups diagnostics by element. Lists equal to the previous run's keep their identity, so a
 * re-validation re-renders only the blocks and edges whose problems changed.
 */
export function indexDiagnostics(
  list: readonly Diagnostic[],
  prev: DiagnosticsIndex,
  /** Ids of the composites opened on the canvas (outermost first): problems are shown in that graph. */
  scope: readonly string[] = [],
): DiagnosticsIndex {
  if (sameList(list, prev.diagnostics) && scope.length === 0) return prev;
  const byBlock = new Map<string, Diagnostic[]>();
  const byTransition = new Map<string, Diagnostic[]>();
  const depth = scope.length;
  for (const d of list) {
    // Only problems in the shown graph or nested below it have a place on the canvas.
    if (d.graphPath.length < depth || scope.some((id, i) => d.graphPath[i] !== id)) continue;
    const transition = d.graphPath.length === depth ? d.transitionId : undefined;
    if (transition !== undefined) {
      const g = byTransition.get(transition);
      if (g) g.push(d);
      else byTransition.set(transition, [d]);
      continue;
    }
    const block = d.graphPath.length > depth ? d.graphPath[depth] : d.blockId;
    if (block === undefined) continue;
    const g = byBlock.get(block);
    if (g) g.push(d);
    else byBlock.set(block, [d]);
  }
  return {
    diagnostics: list,
    diagnosticsByBlock: stable(byBlock, prev.diagnosticsByBlock),
    diagnosticsByTransition: stable(byTransition, prev.diagnosticsByTransition),
  };
}

/** Errors first, then warnings; within each, document order. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return list
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.severity === b.d.severity ? a.i - b.i : a.d.severity === 'error' ? -1 : 1))
    .map((x) => x.d);
}
