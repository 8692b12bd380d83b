import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, type DiagnosticCode, LIMITS, validate } from '../src/index';
import { baseDoc, withBlocks, withTransitions } from './fixtures';

type Case = { trigger: () => unknown; near?: () => unknown; blockId?: string };

const llm = (id: string, content: string) => ({
  id,
  name: id,
  type: 'llm' as const,
  provider: 'simulated',
  model: 'sim-fast',
  messages: [{ role: 'user' as const, content }],
});

const cases: Record<DiagnosticCode, Case> = {
  not_an_object: { trigger: () => 'just text', near: () => baseDoc() },
  document_too_large: {
    trigger: () =>
      withBlocks(baseDoc(), (bs) => [
        ...bs,
        { ...llm('big', 'x'), description: 'y'.repeat(LIMITS.maxDocumentBytes) },
      ]),
  },
  too_many_blocks: {
    trigger: () => ({
      ...baseDoc(),
      blocks: Array.from({ length: LIMITS.maxBlocks + 1 }, (_, i) => llm(`b${i}`, 'x')),
    }),
  },
  too_many_transitions: {
    trigger: () => ({
      ...baseDoc(),
      transitions: Array.from({ length: LIMITS.maxTransitions + 1 }, (_, i) => ({
        id: `t${i}`,
        from: 'a',
        to: 'b',
      })),
    }),
  },
  schema: { trigger: () => ({ ...baseDoc(), schemaVersion: 2 }) },
  duplicate_block_id: {
    trigger: () => withBlocks(baseDoc(), (bs) => [...bs, llm('a', 'dup')]),
    blockId: 'a',
  },
  duplicate_transition_id: {
    trigger: () => withTransitions(baseDoc(), (ts) => [...ts, { id: 't1', from: 'a', to: 'output' }]),
  },
  unknown_transition_source: {
    trigger: () => withTransitions(baseDoc(), (ts) => [...ts, { id: 'tx', from: 'ghost', to: 'output' }]),
  },
  unknown_transition_target: {
    trigger: () => withTransitions(baseDoc(), (ts) => [...ts, { id: 'tx', from: 'a', to: 'ghost' }]),
  },
  missing_input: {
    trigger: () => withBlocks(baseDoc(), (bs) => bs.filter((b) => b.type !== 'input')),
  },
  multiple_inputs: {
    trigger: () => withBlocks(baseDoc(), (bs) => [...bs, { id: 'in2', name: 'In 2', type: 'input' }]),
    blockId: 'in2',
  },
  input_has_incoming: {
    trigger: () =>
      withTransitions(baseDoc(), (ts) => [...ts, { id: 'tx', from: 'a', to: 'input', when: 'false' }]),
  },
  missing_output: {
    trigger: () => withBlocks(baseDoc(), (bs) => bs.filter((b) => b.type !== 'output')),
  },
  no_reachable_output: {
    trigger: () => withTransitions(baseDoc(), (ts) => ts.filter((t) => t.to !== 'output')),
  },
  output_has_outgoing: {
    trigger: () => withTransitions(baseDoc(), (ts) => [...ts, { id: 'tx', from: 'output', to: 'a' }]),
  },
  unreachable_block: {
    trigger: () => withBlocks(baseDoc(), (bs) => [...bs, llm('lonely', 'hi')]),
    blockId: 'lonely',
  },
  cycle_without_exit: {
    trigger: () =>
      withTransitions(
        withBlocks(baseDoc(), (bs) => [...bs, llm('p', 'x'), llm('q', 'y')]),
        (ts) => [
          ...ts,
          { id: 'tp', from: 'a', to: 'p', when: 'false' },
          { id: 'tpq', from: 'p', to: 'q' },
          { id: 'tqp', from: 'q', to: 'p' },
        ],
      ),
    // A loop with a conditional exit is fine.
    near: () =>
      withTransitions(
        withBlocks(baseDoc(), (bs) => [...bs, llm('p', 'x'), llm('q', 'y')]),
        (ts) => [
          ...ts,
          { id: 'tp', from: 'a', to: 'p', when: 'false' },
          { id: 'tpq', from: 'p', to: 'q' },
          { id: 'tqo', from: 'q', to: 'output', when: 'size(out.q) > 3' },
          { id: 'tqp', from: 'q', to: 'p', else: true },
        ],
      ),
  },
  multiple_else: {
    trigger: () =>
      withTransitions(baseDoc(), (ts) => [...ts, { id: 'te2', from: 'classify', to: 'output', else: true }]),
  },
  else_with_condition: {
    trigger: () =>
      withTransitions(baseDoc(), (ts) => ts.map((t) => (t.id === 't3' ? { ...t, when: 'true' } : t))),
  },
  cel_syntax: {
    trigger: () =>
      withTransitions(baseDoc(), (ts) =>
        ts.map((t) => (t.id === 't2' ? { ...t, when: 'out.classify.label ==' } : t)),
      ),
  },
  cel_unknown_root: {
    trigger: () =>
      withTransitions(baseDoc(), (ts) =>
        ts.map((t) => (t.id === 't2' ? { ...t, when: 'process.env.x == "a"' } : t)),
      ),
  },
  cel_unknown_block: {
    trigger: () =>
      withTransitions(baseDoc(), (ts) =>
        ts.map((t) => (t.id === 't2' ? { ...t, when: 'out.nope.label == "a"' } : t)),
      ),
  },
  cel_not_upstream: {
    trigger: () =>
      withTransitions(baseDoc(), (ts) => ts.map((t) => (t.id === 't2' ? { ...t, when: 'has(out.b.x)' } : t))),
  },
  cel_unknown_var: {
    trigger: () =>
      withTransitions(baseDoc(), (ts) =>
        ts.map((t) => (t.id === 't2' ? { ...t, when: 'vars.missing == 1' } : t)),
      ),
  },
  template_syntax: {
    trigger: () =>
      withBlocks(baseDoc(), (bs) =>
        bs.map((b) => (b.id === 'b' ? { ...b, messages: [{ role: 'user', content: 'Hi {{input.q' }] } : b)),
      ),
    blockId: 'b',
  },
  template_unknown_variable: {
    trigger: () =>
      withBlocks(baseDoc(), (bs) =>
        bs.map((b) =>
          b.id === 'b' ? { ...b, messages: [{ role: 'user', content: 'Hi {{input.nope}}' }] } : b,
        ),
      ),
    blockId: 'b',
  },
  template_not_upstream: {
    trigger: () =>
      withBlocks(baseDoc(), (bs) =>
        bs.map((b) => (b.id === 'b' ? { ...b, messages: [{ role: 'user', content: 'Hi {{out.a}}' }] } : b)),
      ),
    blockId: 'b',
  },
  assign_unknown_var: {
    trigger: () =>
      withBlocks(baseDoc(), (bs) =>
        bs.map((b) => (b.id === 'a' ? { ...b, assign: { ghost: 'output' } } : b)),
      ),
    blockId: 'a',
  },
  parallel_replace_conflict: {
    trigger: () =>
      withBlocks(baseDoc(), (bs) =>
        bs.map((b) =>
          b.id === 'classify'
            ? { ...b, routing: 'all' }
            : b.id === 'b'
              ? { ...b, assign: { note: 'output' } }
              : b,
        ),
      ),
    // With an append var both branches may write.
    near: () =>
      withBlocks(baseDoc(), (bs) =>
        bs.map((b) =>
          b.id === 'classify'
            ? { ...b, routing: 'all' }
            : b.id === 'b' || b.id === 'a'
              ? { ...b, assign: { log: 'output' } }
              : b,
        ),
      ),
  },
  composite_too_deep: {
    trigger: () => {
      let inner: unknown = {
        blocks: [
          { id: 'i', name: 'i', type: 'input' },
          { id: 'o', name: 'o', type: 'output' },
        ],
        transitions: [{ id: 'x', from: 'i', to: 'o' }],
      };
      for (let d = 0; d < LIMITS.maxCompositeDepth + 1; d++) {
        inner = {
          blocks: [
            { id: 'i', name: 'i', type: 'input' },
            { id: 'c', name: 'c', type: 'composite', graph: inner },
            { id: 'o', name: 'o', type: 'output' },
          ],
          transitions: [
            { id: 'x', from: 'i', to: 'c' },
            { id: 'y', from: 'c', to: 'o' },
          ],
        };
      }
      return { schemaVersion: 1, name: 'deep', ...(inner as object) };
    },
  },
  prompt_too_large: {
    trigger: () =>
      withBlocks(baseDoc(), (bs) =>
        bs.map((b) => (b.id === 'b' ? { ...b, system: 'z'.repeat(LIMITS.maxPromptBytes + 1) } : b)),
      ),
    blockId: 'b',
  },
  output_schema_invalid: {
    trigger: () =>
      withBlocks(baseDoc(), (bs) =>
        bs.map((b) => (b.id === 'classify' ? { ...b, outputSchema: { type: 'objekt' } } : b)),
      ),
    blockId: 'classify',
  },
  llm_no_messages: {
    trigger: () => withBlocks(baseDoc(), (bs) => bs.map((b) => (b.id === 'b' ? { ...b, messages: [] } : b))),
    blockId: 'b',
  },
};

describe('validate', () => {
  it('accepts the base graph with no diagnostics at all', () => {
    expect(validate(baseDoc())).toEqual([]);
  });

  for (const [code, c] of Object.entries(cases) as [DiagnosticCode, Case][]) {
    it(`reports ${code} (${DIAGNOSTIC_CODES[code]}) and not on a near miss`, () => {
      const found = validate(c.trigger()).filter((d) => d.code === code);
      expect(found.length, `expected ${code}`).toBeGreaterThan(0);
      const d = found[0];
      expect(d?.severity).toBe(DIAGNOSTIC_CODES[code]);
      expect(d?.message.length).toBeGreaterThan(20);
      if (c.blockId) expect(found.some((x) => x.blockId === c.blockId)).toBe(true);
      const near = c.near ? c.near() : baseDoc();
      expect(validate(near).filter((x) => x.code === code)).toEqual([]);
    });
  }

  it('points schema problems inside a block at that block, with a JSON path', () => {
    const doc = withBlocks(baseDoc(), (bs) =>
      bs.map((b) => (b.id === 'classify' ? { ...b, temperature: 7 } : b)),
    );
    const d = validate(doc).find((x) => x.code === 'schema');
    expect(d?.blockId).toBe('classify');
    expect(d?.path).toEqual(['blocks', 1, 'temperature']);
    expect(d?.message).toMatch(/temperature/);
  });

  it('explains an unknown block type', () => {
    const doc = withBlocks(baseDoc(), (bs) => [...bs, { id: 'w', name: 'w', type: 'webhook' } as never]);
    const d = validate(doc).find((x) => x.code === 'schema');
    expect(d?.message).toMatch(/block type|input, output, llm/);
  });

  it('reports problems inside a composite with the composite chain', () => {
    const doc = withBlocks(baseDoc(), (bs) => [
      ...bs,
      {
        id: 'comp',
        name: 'Comp',
        type: 'composite',
        graph: {
          blocks: [
            { id: 'i', name: 'i', type: 'input' },
            { id: 'x', name: 'x', type: 'transform', expr: 'out.nothing' },
            { id: 'o', name: 'o', type: 'output' },
          ],
          transitions: [
            { id: 'a', from: 'i', to: 'x' },
            { id: 'b', from: 'x', to: 'o' },
          ],
        },
      },
    ]);
    const withEdge = {
      ...doc,
      transitions: [
        ...doc.transitions,
        { id: 'tc', from: 'a', to: 'comp', when: 'false' },
        { id: 'tco', from: 'comp', to: 'output' },
      ],
    };
    const d = validate(withEdge).find((x) => x.code === 'cel_unknown_block');
    expect(d?.graphPath).toEqual(['comp']);
    expect(d?.blockId).toBe('x');
    expect(d?.path.slice(0, 3)).toEqual(['blocks', 5, 'graph']);
  });

  it('gives an actionable hint for int/double mixing', () => {
    const doc = withBlocks(baseDoc(), (bs) => bs.map((b) => (b.id === 'a' ? { ...b, expr: '"x" + 1' } : b)));
    const d = validate(doc).find((x) => x.code === 'cel_syntax');
    expect(d?.message).toMatch(/no such overload/i);
  });
});
