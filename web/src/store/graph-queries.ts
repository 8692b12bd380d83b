import type { Block } from '@graphwright/shared';
import type { GraphData, GraphIndex } from './types';

/** Blocks with a path to `blockId` (itself included only when it sits on a loop). */
export function upstreamOf(blockId: string, incoming: GraphIndex['incoming']): Set<string> {
  const seen = new Set<string>();
  const stack = [blockId];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    for (const t of incoming.get(id) ?? []) {
      if (seen.has(t.from)) continue;
      seen.add(t.from);
      stack.push(t.from);
    }
  }
  return seen;
}

export interface VariableSuggestion {
  /** The path as written between {{ and }}. */
  readonly path: string;
  readonly detail: string;
}

function schemaProperties(schema: Record<string, unknown> | undefined): string[] {
  const props = schema?.properties;
  if (typeof props !== 'object' || props === null || Array.isArray(props)) return [];
  return Object.keys(props);
}

/** Roughly what a block's output looks like, for naming fields in suggestions. */
function outputFields(b: Block): { path: string; detail: string }[] {
  if (b.type === 'llm')
    return schemaProperties(b.outputSchema).map((p) => ({ path: p, detail: `field of ${b.name || b.id}` }));
  return [];
}

/**
 * What a template in block `blockId` can read: the input fields, the outputs of the blocks that
 * run before it (and their structured-output fields), and the graph's vars.
 */
export function templateVariables(data: GraphData & GraphIndex, blockId: string): VariableSuggestion[] {
  const out: VariableSuggestion[] = [];
  const input = data.blocks.find((b) => b.type === 'input');
  if (input?.type === 'input' && input.fields && input.fields.length > 0) {
    for (const f of input.fields)
      out.push({ path: `input.${f.name}`, detail: `input field (${f.type ?? 'string'})` });
  } else {
    out.push({ path: 'input', detail: 'the run input' });
  }
  const upstream = upstreamOf(blockId, data.incoming);
  for (const b of data.blocks) {
    if (!upstream.has(b.id) || b.type === 'input') continue;
    out.push({ path: `out.${b.id}`, detail: `output of ${b.name || b.id} (${b.type})` });
    for (const f of outputFields(b)) out.push({ path: `out.${b.id}.${f.path}`, detail: f.detail });
  }
  for (const [name, spec] of Object.entries(data.meta.vars ?? {}))
    out.push({ path: `vars.${name}`, detail: `var (${spec.reducer ?? 'replace'})` });
  return out;
}
