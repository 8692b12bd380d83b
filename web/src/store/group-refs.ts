import type { Block, Transition } from '@graphwright/shared';
import { uniqueId } from './defaults';
import { blockTexts, refsIn, rewriteBlockRefs, rewriteTransitionRefs } from './refs';

/**
 * A nested graph has its own state: blocks moved into a group no longer see the outputs of blocks
 * left outside. Grouping passes those in through the composite's input mapping — inside,
 * `out.<x>` becomes `input.<key>`, and the composite maps `<key>: out.<x>` — and, since a mapping
 * replaces the nested graph's input, also passes on every input key the moved blocks read.
 * Ungrouping reads the mapping back, so the two round-trip.
 */
export interface PassedIn {
  readonly blocks: Block[];
  readonly transitions: Transition[];
  readonly inputMap: Record<string, string> | undefined;
}

export function passOutsideOutputs(
  blocks: Block[],
  transitions: Transition[],
  isOutside: (id: string) => boolean,
): PassedIn {
  const texts = [...blocks.flatMap(blockTexts), ...transitions.map((t) => t.when ?? '')].join('\n');
  const outside = refsIn(texts, 'out').filter(isOutside);
  if (outside.length === 0) return { blocks, transitions, inputMap: undefined };
  const inputMap: Record<string, string> = {};
  for (const key of refsIn(texts, 'input')) inputMap[key] = `input.${key}`;
  const ids = new Map<string, string>();
  for (const x of outside) {
    const key = uniqueId(`out_${x}`, (k) => k in inputMap);
    inputMap[key] = `out.${x}`;
    ids.set(x, key);
  }
  return {
    blocks: blocks.map((b) => rewriteBlockRefs(b, ids, 'out', 'input')),
    transitions: transitions.map((t) => rewriteTransitionRefs(t, ids, 'out', 'input')),
    inputMap,
  };
}

const OUT_OF = /^\s*out\.([A-Za-z_][A-Za-z0-9_]*)\s*$/;

/** The input keys a composite's mapping fills from an outer block's output, by key: its block id. */
export function mappedOutputs(
  inputMap: Record<string, string> | undefined,
  isOutside: (id: string) => boolean,
): Map<string, string> {
  const back = new Map<string, string>();
  for (const [key, expr] of Object.entries(inputMap ?? {})) {
    const id = OUT_OF.exec(expr)?.[1];
    if (id !== undefined && isOutside(id)) back.set(key, id);
  }
  return back;
}
