import type { ParsedExpr } from './cel';
import type { CompiledVar } from './compiled';
import type { DiagnosticCollector } from './issues';
import { type ParsedTemplate, parseTemplate } from './template';
import type { Topology } from './topology';

export interface RefScope {
  readonly blockIndex: ReadonlyMap<string, number>;
  readonly vars: ReadonlyMap<string, CompiledVar>;
  /** Declared input fields, when the input block declares any. */
  readonly inputFields: readonly string[] | undefined;
  /** The same as a set, when there are many (a few are compared faster than a new name is hashed). */
  readonly inputFieldSet: ReadonlySet<string> | undefined;
  readonly topo: Topology;
  /** The blocks, when no two share an id (then a block whose id matches is the one blockIndex gives). */
  readonly ids: readonly { readonly id: string }[] | undefined;
  /** Block i's direct predecessors are preds[predStart[i]] up to preds[predStart[i + 1]]. */
  readonly predStart: Int32Array;
  readonly preds: Int32Array;
}

type Where = { blockId?: string; transitionId?: string };

/** Is out.<x> available when block `at` runs? (Its own earlier output counts only inside a loop.) */
function isUpstream(x: number, at: number, scope: RefScope, isTransition: boolean): boolean {
  if (x === at) return isTransition || scope.topo.isAncestor(at, at);
  return scope.topo.isAncestor(x, at);
}

function isInputField(name: string, scope: RefScope): boolean {
  if (scope.inputFieldSet) return scope.inputFieldSet.has(name);
  const fields = scope.inputFields as readonly string[];
  for (let i = 0; i < fields.length; i++) if (fields[i] === name) return true;
  return false;
}

/** How many predecessors of predecessors nearBlock compares before it leaves the rest to a look-up. */
const NEAR_BUDGET = 32;

/**
 * The block named `id` when it is `at` itself (with `self`), one of its direct predecessors or one
 * of theirs: the blocks most references name. All of them run before `at` (they are its
 * ancestors; `at` is one of its own only through a self-loop). -1 when it is none of these, or when
 * ids are not unique: the caller then looks the id up in blockIndex.
 */
function nearBlock(id: string, at: number, self: boolean, scope: RefScope): number {
  const blocks = scope.ids;
  if (blocks === undefined) return -1;
  if (self && (blocks[at] as { id: string }).id === id) return at;
  const { preds, predStart } = scope;
  const start = predStart[at] as number;
  const end = predStart[at + 1] as number;
  for (let k = start; k < end; k++) {
    const p = preds[k] as number;
    if ((blocks[p] as { id: string }).id === id) return p;
  }
  let budget = NEAR_BUDGET;
  for (let k = start; k < end; k++) {
    const p = preds[k] as number;
    for (let j = predStart[p] as number, pEnd = predStart[p + 1] as number; j < pEnd; j++) {
      const q = preds[j] as number;
      // `at` itself is its own ancestor only through a cycle: that answer is the look-up's.
      if (q !== at && (blocks[q] as { id: string }).id === id) return q;
      if (--budget === 0) return -1;
    }
  }
  return -1;
}

/** Checks what an expression reads: known blocks (upstream), declared vars. */
export function checkExprRefs(
  expr: ParsedExpr,
  at: number,
  path: (string | number)[],
  where: Where,
  scope: RefScope,
  dc: DiagnosticCollector,
): void {
  const isTransition = where.transitionId !== undefined;
  // A list or 'all': typeof tells them apart without a generic comparison of a list to a string.
  const outRefs = expr.refs.outRefs;
  if (typeof outRefs !== 'string') {
    for (let k = 0; k < outRefs.length; k++) {
      const id = outRefs[k] as string;
      // A transition's condition may read its own source block.
      if (nearBlock(id, at, isTransition, scope) >= 0) continue;
      const x = scope.blockIndex.get(id);
      if (x === undefined) {
        dc.add(
          'cel_unknown_block',
          `\`${expr.source}\` reads out.${id}, but there is no block "${id}" in this graph: use the id of a block that runs before this point.`,
          { path, ...where },
        );
      } else if (!isUpstream(x, at, scope, isTransition)) {
        dc.add(
          'cel_not_upstream',
          `\`${expr.source}\` reads out.${id}, but block "${id}" does not run before this point, so the value may be missing: guard it with has(out.${id}) or connect "${id}" upstream.`,
          { path, ...where },
        );
      }
    }
  }
  const varRefs = expr.refs.varRefs;
  if (typeof varRefs !== 'string') {
    for (let k = 0; k < varRefs.length; k++) {
      const v = varRefs[k] as string;
      if (!scope.vars.has(v)) {
        dc.add(
          'cel_unknown_var',
          `\`${expr.source}\` reads vars.${v}, but no var "${v}" is declared: declare it under the graph's vars or fix the name.`,
          { path, ...where },
        );
      }
    }
  }
}

/** Parses a prompt template and checks that every variable is something upstream provides. */
export function checkTemplate(
  text: string,
  at: number,
  path: (string | number)[],
  where: Where,
  scope: RefScope,
  dc: DiagnosticCollector,
): ParsedTemplate | undefined {
  const r = parseTemplate(text);
  if (!r.ok) {
    dc.add('template_syntax', r.message, { path, ...where });
    return undefined;
  }
  let ok = true;
  const parts = r.template.parts;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k] as (typeof parts)[number];
    if (typeof p === 'string') continue;
    const first = p.segments[0];
    switch (p.root) {
      case 'input':
        if (scope.inputFields && typeof first === 'string' && !isInputField(first, scope)) {
          dc.add(
            'template_unknown_variable',
            `{{${text.slice(p.start, p.end)}}} reads input field "${first}", which the input block does not declare: add the field to the input block or fix the name.`,
            { path, ...where },
          );
          ok = false;
        }
        break;
      case 'out': {
        if (typeof first !== 'string') {
          dc.add(
            'template_unknown_variable',
            `{{${text.slice(p.start, p.end)}}} must name a block: write {{out.<blockId>}} or {{out.<blockId>.field}}.`,
            { path, ...where },
          );
          ok = false;
          break;
        }
        if (nearBlock(first, at, false, scope) >= 0) break;
        const x = scope.blockIndex.get(first);
        if (x === undefined) {
          dc.add(
            'template_unknown_variable',
            `{{${text.slice(p.start, p.end)}}} reads block "${first}", which does not exist in this graph: use the id of a block upstream.`,
            { path, ...where },
          );
          ok = false;
        } else if (!isUpstream(x, at, scope, false)) {
          dc.add(
            'template_not_upstream',
            `{{${text.slice(p.start, p.end)}}} reads block "${first}", which does not run before this block: connect "${first}" upstream or read something that does.`,
            { path, ...where },
          );
          ok = false;
        }
        break;
      }
      case 'vars':
        if (typeof first !== 'string' || !scope.vars.has(first)) {
          dc.add(
            'template_unknown_variable',
            `{{${text.slice(p.start, p.end)}}} reads a var that is not declared: declare "${String(first)}" under the graph's vars or fix the name.`,
            { path, ...where },
          );
          ok = false;
        }
        break;
      default:
        dc.add(
          'template_unknown_variable',
          `{{${text.slice(p.start, p.end)}}} starts with "${p.root}": a template reads only input, out.<blockId> and vars.<name>.`,
          { path, ...where },
        );
        ok = false;
    }
  }
  return ok ? r.template : undefined;
}
