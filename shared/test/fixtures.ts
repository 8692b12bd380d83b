import type { Block, GraphDocument, Transition } from '../src/index';

/** A small valid graph: input → classify (json) → [a | else b] → output, with a var. */
export function baseDoc(): GraphDocument {
  return {
    schemaVersion: 1,
    name: 'Base',
    vars: { note: { reducer: 'replace' }, log: { reducer: 'append' } },
    blocks: [
      { id: 'input', name: 'In', type: 'input', fields: [{ name: 'q', type: 'string' }] },
      {
        id: 'classify',
        name: 'Classify',
        type: 'llm',
        provider: 'simulated',
        model: 'sim-fast',
        messages: [{ role: 'user', content: 'Classify {{input.q}}' }],
        outputSchema: { type: 'object', properties: { label: { type: 'string' } } },
      },
      { id: 'a', name: 'A', type: 'transform', expr: 'out.classify.label', assign: { note: 'output' } },
      {
        id: 'b',
        name: 'B',
        type: 'llm',
        provider: 'simulated',
        model: 'sim-fast',
        messages: [{ role: 'user', content: 'Other: {{out.classify.label}}' }],
      },
      { id: 'output', name: 'Out', type: 'output' },
    ],
    transitions: [
      { id: 't1', from: 'input', to: 'classify' },
      { id: 't2', from: 'classify', to: 'a', when: 'out.classify.label == "a"' },
      { id: 't3', from: 'classify', to: 'b', else: true },
      { id: 't4', from: 'a', to: 'output' },
      { id: 't5', from: 'b', to: 'output' },
    ],
  };
}

export function withBlocks(doc: GraphDocument, f: (blocks: Block[]) => Block[]): GraphDocument {
  return { ...doc, blocks: f(structuredClone(doc.blocks)) };
}

export function withTransitions(doc: GraphDocument, f: (ts: Transition[]) => Transition[]): GraphDocument {
  return { ...doc, transitions: f(structuredClone(doc.transitions)) };
}

export function block<T extends Block['type']>(doc: GraphDocument, id: string): Extract<Block, { type: T }> {
  const b = doc.blocks.find((x) => x.id === id);
  if (!b) throw new Error(`no block ${id}`);
  return b as Extract<Block, { type: T }>;
}
