import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Block,
  compile,
  evalExpr,
  fastHash48,
  fastHash64,
  type GraphDocument,
  parseExpr,
  parseTemplate,
  renderTemplate,
  sha256Hex,
  validate,
} from '../src/index';
import { baseDoc, block, withBlocks } from './fixtures';

const versions = (doc: ReturnType<typeof baseDoc>) =>
  Object.fromEntries(compile(doc).blocks.map((b) => [b.id, b.version]));

describe('compile: hashes and versions', () => {
  it('gives equal hashes when compiling the same document twice', () => {
    expect(compile(baseDoc()).hash).toBe(compile(baseDoc()).hash);
    expect(versions(baseDoc())).toEqual(versions(baseDoc()));
  });

  it('ignores positions and descriptions: moving a block changes neither the graph hash nor any version', () => {
    const moved = withBlocks(baseDoc(), (bs) =>
      bs.map((b) => ({ ...b, position: { x: Math.random() * 1000, y: 5 }, description: 'moved' })),
    );
    expect(compile(moved).hash).toBe(compile(baseDoc()).hash);
    expect(versions(moved)).toEqual(versions(baseDoc()));
  });

  it('changes only the edited block version when a prompt changes', () => {
    const edited = baseDoc();
    block<'llm'>(edited, 'b').messages = [
      { role: 'user', content: 'Something else: {{out.classify.label}}' },
    ];
    const before = versions(baseDoc());
    const after = versions(edited);
    expect(after.b).not.toBe(before.b);
    for (const id of ['input', 'classify', 'a', 'output']) expect(after[id]).toBe(before[id]);
    expect(compile(edited).hash).not.toBe(compile(baseDoc()).hash);
  });

  it('changes the graph hash but no version when only the wiring changes', () => {
    const rewired = baseDoc();
    rewired.transitions = rewired.transitions.map((t) =>
      t.id === 't2' ? { ...t, when: 'out.classify.label == "z"' } : t,
    );
    expect(compile(rewired).hash).not.toBe(compile(baseDoc()).hash);
    expect(versions(rewired)).toEqual(versions(baseDoc()));
  });

  it('treats key order inside an output schema as the same schema', () => {
    const a = baseDoc();
    const b = baseDoc();
    block<'llm'>(a, 'classify').outputSchema = { type: 'object', properties: { label: { type: 'string' } } };
    block<'llm'>(b, 'classify').outputSchema = { properties: { label: { type: 'string' } }, type: 'object' };
    expect(versions(a).classify).toBe(versions(b).classify);
  });

  it('uses SHA-256 for the content hash, and an injected implementation gives the same hash', () => {
    const h = compile(baseDoc()).hash;
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(compile(baseDoc(), { sha256: (s) => sha256Hex(s) }).hash).toBe(h);
  });

  it('returns a frozen, indexed graph', () => {
    const g = compile(baseDoc());
    expect(Object.isFrozen(g)).toBe(true);
    expect(Object.isFrozen(g.blocks[0])).toBe(true);
    expect(Object.isFrozen(g.blocks[1]?.outgoing)).toBe(true);
    expect(() => {
      (g.blocks as unknown as unknown[]).push(1);
    }).toThrow();
    expect(g.blockIndex.get('classify')).toBe(1);
    const cls = g.blocks[1];
    expect(cls?.outgoing.map((t) => t.id)).toEqual(['t2']);
    expect(cls?.elseTransition?.id).toBe('t3');
  });

  it('wires every transition to the blocks it names, in whatever order blocks and transitions are listed', () => {
    const ends = (doc: GraphDocument) => {
      const g = compile(doc);
      return Object.fromEntries(
        g.transitions.map((t) => [t.id, `${g.blocks[t.from]?.id}->${g.blocks[t.to]?.id}`]),
      );
    };
    const expected = ends(baseDoc());
    expect(expected.t3).toBe('classify->b');
    fc.assert(
      fc.property(
        fc.shuffledSubarray(baseDoc().blocks, { minLength: 5 }),
        fc.shuffledSubarray(baseDoc().transitions, { minLength: 5 }),
        (blocks, transitions) => {
          expect(ends({ ...baseDoc(), blocks, transitions })).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('compile: what a block may read', () => {
  /** input -> x, x -> y1 and x -> y2 (in parallel), both -> z -> output; z reads `read`, y2 reads `y2Reads`. */
  const diamond = (read: string, y2Reads = '{{input.q}}'): GraphDocument => {
    const llm = (id: string, content: string): Block => ({
      id,
      name: id,
      type: 'llm',
      provider: 'simulated',
      model: 'sim-fast',
      messages: [{ role: 'user', content }],
    });
    return {
      schemaVersion: 1,
      name: 'Diamond',
      blocks: [
        { id: 'input', name: 'In', type: 'input', fields: [{ name: 'q', type: 'string' }] },
        llm('x', '{{input.q}}'),
        llm('y1', '{{out.x}}'),
        llm('y2', y2Reads),
        { ...llm('z', read), join: 'all' },
        { id: 'output', name: 'Out', type: 'output' },
      ],
      transitions: [
        { id: 't1', from: 'input', to: 'x' },
        { id: 't2', from: 'x', to: 'y1' },
        { id: 't3', from: 'x', to: 'y2' },
        { id: 't4', from: 'y1', to: 'z' },
        { id: 't5', from: 'y2', to: 'z' },
        { id: 't6', from: 'z', to: 'output' },
      ],
    };
  };
  const codes = (doc: GraphDocument) => validate(doc).map((d) => d.code);

  it('lets a block read any block upstream, however far', () => {
    expect(codes(diamond('{{out.y1}} {{out.y2}} {{out.x}} {{out.input}}'))).toEqual([]);
  });

  it('reports a read of a parallel branch or of a block downstream', () => {
    expect(codes(diamond('{{input.q}}', '{{out.y1}}'))).toEqual(['template_not_upstream']);
    expect(codes(diamond('{{input.q}}', '{{out.z}}'))).toEqual(['template_not_upstream']);
    expect(codes(diamond('{{out.z}}'))).toEqual(['template_not_upstream']);
  });
});

describe('CEL at the number boundary', () => {
  const run = (src: string, ctx: Record<string, unknown>) => {
    const r = parseExpr(src);
    if (!r.ok) throw new Error(r.message);
    return evalExpr(r.expr, { input: {}, out: {}, vars: {}, ...ctx });
  };
  it('adds an int literal to a JSON number', () => {
    expect(run('input.n + 1', { input: { n: 2 } })).toBe(3);
  });
  it('returns JSON numbers, not BigInt, from integer arithmetic', () => {
    expect(run('int(input.n) * 2', { input: { n: 21 } })).toBe(42);
    expect(run('{"a": 1, "b": [2, 3]}', {})).toEqual({ a: 1, b: [2, 3] });
  });
  it('says how to guard a missing key', () => {
    expect(() => run('input.missing == 1', { input: {} })).toThrow(/has\(/);
  });
  it('rejects prototype tricks', () => {
    expect(() => run('input.constructor', { input: {} })).toThrow();
    expect(() => run('input.__proto__', { input: {} })).toThrow();
  });
});

describe('templates', () => {
  it('renders paths, JSON for objects, nothing for missing values', () => {
    const r = parseTemplate('Hi {{input.name}}, {{out.x.list[1]}} {{out.x}} [{{vars.none}}]');
    if (!r.ok) throw new Error(r.message);
    const state: Record<string, unknown> = {
      input: { name: 'Ada' },
      out: { x: { list: ['a', 'b'] } },
      vars: {},
    };
    const text = renderTemplate(r.template, (p) => {
      let v: unknown = state[p.root];
      for (const s of p.segments)
        v = v && typeof v === 'object' ? (v as Record<string, unknown>)[s] : undefined;
      return v;
    });
    expect(text).toBe('Hi Ada, b {"list":["a","b"]} []');
  });
  it('never evaluates code inside braces', () => {
    const r = parseTemplate('{{ constructor.constructor("return 1")() }}');
    expect(r.ok).toBe(false);
  });
});

/** The regex-based template parser that parseTemplate replaced, kept as the reference. */
function referenceParseTemplate(text: string): unknown {
  const SEGMENT = /^(?:\.([A-Za-z0-9_-]+)|\[(\d+)\])/;
  const ROOT = /^[A-Za-z_][A-Za-z0-9_]*/;
  const parsePath = (t: string, start: number) => {
    const root = ROOT.exec(t);
    if (!root) return undefined;
    const segments: (string | number)[] = [];
    let rest = t.slice(root[0].length);
    while (rest.length > 0) {
      const m = SEGMENT.exec(rest);
      if (!m) return undefined;
      segments.push(m[1] !== undefined ? m[1] : Number(m[2]));
      rest = rest.slice(m[0].length);
    }
    return { root: root[0], segments, start, end: start + t.length };
  };
  const parts: unknown[] = [];
  let i = 0;
  let literal = '';
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      literal += text.slice(i);
      break;
    }
    literal += text.slice(i, open);
    const close = text.indexOf('}}', open + 2);
    if (close < 0) return { ok: false, at: open };
    const raw = text.slice(open + 2, close);
    const inner = raw.trim();
    const parsed = parsePath(inner, open + 2 + raw.length - raw.trimStart().length);
    if (!parsed) return { ok: false, inner };
    if (literal) parts.push(literal);
    literal = '';
    parts.push(parsed);
    i = close + 2;
  }
  if (literal) parts.push(literal);
  return { ok: true, template: { parts } };
}

describe('fast hashes', () => {
  it('gives a condition hash that is the first 12 digits of fastHash64', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(fastHash48(s)).toBe(fastHash64(s).slice(0, 12));
        expect(fastHash64(s)).toMatch(/^[0-9a-f]{16}$/);
      }),
      { numRuns: 2_000, seed: 9 },
    );
  });

  it('gives each compiled transition fastHash48 of its condition (as branch statistics recorded it)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), (text) => {
        // Any text works as a string literal in a condition; the hash is of the condition's text.
        const when = `out.classify.label == ${JSON.stringify(text)}`;
        const doc = baseDoc();
        const t2 = doc.transitions.find((t) => t.id === 't2');
        if (!t2) throw new Error('fixture changed');
        t2.when = when;
        const g = compile(doc);
        for (const t of g.transitions) {
          const spec = doc.transitions.find((d) => d.id === t.id);
          expect(t.conditionHash).toBe(spec?.else ? 'else' : spec?.when ? fastHash48(spec.when) : 'always');
        }
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});

describe('template parsing', () => {
  it('parses exactly as the regex-based reference did', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        '{{',
        '}}',
        '.',
        '[',
        ']',
        '-',
        '_',
        ' ',
        '\u00a0',
        '0',
        '7',
        'a',
        'Z',
        'out',
        'input',
        'vars',
        '\t',
        '\u3000',
        '\ufeff',
        '12345678901234567890',
        '$',
      ),
      fc.string({ maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        const r = parseTemplate(text);
        const want = referenceParseTemplate(text) as { ok: boolean; template?: unknown };
        expect(r.ok).toBe(want.ok);
        if (r.ok) expect(r.template).toEqual(want.template);
      }),
      { numRuns: 20_000, seed: 5 },
    );
  });
});
