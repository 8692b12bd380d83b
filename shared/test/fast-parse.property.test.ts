import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastParseGraph } from '../src/graph/fast-parse';
import { isIdentifier } from '../src/graph/fast-parse-base';
import { graphHashBytes, hashEscapes } from '../src/graph/version';
import {
  type CompiledBlock,
  type GraphDocument,
  graphDocumentSchema,
  ID_PATTERN,
  LIMITS,
  validate,
} from '../src/index';
import { baseDoc } from './fixtures';
import {
  arbitraryJson,
  type Json,
  jsonValue,
  mutatedGraph,
  mutatedGraphFrom,
  seeds,
  spots,
} from './fuzz-docs';

/** input -> b0 -> ... -> b(k-1) -> output: transform blocks whose ids are `idLength` characters. */
function chainDoc(k: number, idLength: number): GraphDocument {
  const id = (i: number) => `b${i}_`.padEnd(idLength, 'x');
  const ids = ['input', ...Array.from({ length: k }, (_, i) => id(i)), 'output'];
  return {
    schemaVersion: 1,
    name: 'Chain',
    blocks: [
      { id: 'input', name: 'In', type: 'input' },
      ...Array.from({ length: k }, (_, i) => ({
        id: id(i),
        name: `B${i}`,
        type: 'transform' as const,
        expr: '1',
      })),
      { id: 'output', name: 'Out', type: 'output' },
    ],
    transitions: ids.slice(1).map((to, i) => ({ id: `t${i}`, from: ids[i] as string, to })),
  };
}

/** A schema-valid document that uses every key the schema declares (not meant to compile). */
function richDoc(): Json {
  const recovery = {
    retry: {
      maxAttempts: 4,
      baseDelayMs: 100,
      multiplier: 1.5,
      maxDelayMs: 5_000,
      jitter: 0.1,
      maxTotalMs: 60_000,
      maxRetryAfterMs: 10_000,
    },
    fallback: [{ provider: 'simulated', model: 'sim-smart' }],
    repair: { maxAttempts: 2 },
  };
  return {
    schemaVersion: 1,
    name: 'Rich "quoted"\n',
    description: 'every key',
    budget: { maxCostUsd: 0.5, maxLatencyMs: 2_000 },
    vars: { n: { reducer: 'sum', initial: 0, description: 'count' }, log: { initial: [1, 'x', null] } },
    defaults: { recovery, timeoutMs: 30_000 },
    limits: { maxIterations: 100, maxVisitsPerBlock: 10, deadlineMs: 60_000 },
    blocks: [
      {
        id: 'input',
        name: 'In',
        description: 'd',
        position: { x: -1.5, y: 2e-7 },
        routing: 'all',
        join: 'any',
        type: 'input',
        fields: [
          { name: 'q', type: 'json', required: true, default: { a: [1] }, description: 'question' },
          { name: 'r' },
        ],
      },
      {
        id: 'llm',
        name: 'L',
        type: 'llm',
        assign: { n: '1', '': 'x' },
        timeoutMs: 1_000,
        maxVisits: 3,
        provider: 'p',
        model: 'm',
        selection: { models: [{ provider: 'p', model: 'm' }], maxP95Ms: 900, minSuccessRate: 0.9 },
        system: 'sys \u0001 \ud800',
        messages: [{ role: 'assistant', content: '{{input.q}}' }],
        outputSchema: { type: 'object', properties: { a: { type: 'string' } } },
        temperature: 2,
        maxTokens: 100,
        topP: 0,
        stop: ['\n', 'END'],
        recovery,
      },
      { id: 'tr', name: 'T', type: 'transform', expr: 'input.q' },
      { id: 'out', name: 'O', type: 'output', value: 'out.tr' },
      {
        id: 'comp',
        name: 'C',
        type: 'composite',
        inputMap: { q: 'input.q' },
        graph: {
          name: 'inner',
          vars: { v: { reducer: 'merge' } },
          defaults: { timeoutMs: 5 },
          limits: { maxIterations: 5 },
          blocks: [{ id: 'input', name: 'In', type: 'input' }],
          transitions: [],
        },
      },
    ],
    transitions: [
      { id: 't1', from: 'input', to: 'llm', when: 'true', label: 'go' },
      { id: 't2', from: 'llm', to: 'tr', else: false },
    ],
  };
}

/**
 * The same own keys (in order) and prototypes all the way down. A key the fast parser sets to
 * undefined counts as absent: blocks and transitions have one shape each, absent keys included.
 */
function sameShape(a: unknown, b: unknown): void {
  if (typeof a !== 'object' || a === null) return;
  expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
  const rec = a as Record<string | symbol, unknown>;
  const keys = Reflect.ownKeys(a).filter((k) => rec[k] !== undefined);
  expect(keys).toEqual(Reflect.ownKeys(b as object));
  for (const k of keys) sameShape(rec[k], (b as Record<string | symbol, unknown>)[k]);
}

/** The fast path and zod agree: both accept (with equal output) or both reject; the size is exact. */
function agree(doc: unknown): boolean {
  const fast = fastParseGraph(doc as object);
  const slow = graphDocumentSchema.safeParse(doc);
  expect(fast !== undefined).toBe(slow.success);
  if (fast && slow.success) {
    expect(fast.doc).toEqual(slow.data);
    // Key order matters too (exports are written with JSON.stringify), and so do prototypes.
    sameShape(fast.doc, slow.data);
    // The size: bounded by the walk, exact with the escapes counted as the hash is written.
    const size = JSON.stringify(doc).length;
    expect(fast.minSize).toBeLessThanOrEqual(size);
    expect(size).toBeLessThanOrEqual(fast.minSize + 5 * fast.textChars);
    if (!fast.nested) expect(fast.minSize + escapesOf(fast.doc)).toBe(size);
  }
  return slow.success;
}

/** The escapes counted while a graph's hash is written (block ids indexed as the compiler does). */
function escapesOf(g: GraphDocument): number {
  const index = new Map<string, number>();
  g.blocks.forEach((b, i) => {
    if (!index.has(b.id)) index.set(b.id, i);
  });
  // No compiled blocks: stand-ins take the versions (and write no resolved recovery, which is
  // not counted anyway).
  const standIns = g.blocks.map(() => ({}) as CompiledBlock);
  graphHashBytes(g, [], index, standIns, [], true);
  return hashEscapes();
}

const objectLike = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

describe('fast parse: the same answer as the zod schema', () => {
  it('agrees on every example, the generated 1,000-block graph and a document using every key', () => {
    const generated = JSON.parse(
      readFileSync(new URL('../../examples/generated/graph-1000.json', import.meta.url), 'utf8'),
    ) as unknown;
    for (const doc of [...seeds, generated, richDoc()]) expect(agree(doc)).toBe(true);
  });

  it('agrees on 5,000 mutated graphs', () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutatedGraph, (doc) => {
        if (objectLike(doc) && agree(doc)) accepted++;
      }),
      { numRuns: 5_000, seed: 20261122 },
    );
    expect(accepted).toBeGreaterThan(500);
  });

  it('agrees on 5,000 mutations of a document using every key', () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutatedGraphFrom([richDoc()]), (doc) => {
        if (objectLike(doc) && agree(doc)) accepted++;
      }),
      { numRuns: 5_000, seed: 42 },
    );
    expect(accepted).toBeGreaterThan(500);
  });

  it('agrees on 5,000 arbitrary JSON values', () => {
    fc.assert(
      fc.property(arbitraryJson, (doc) => {
        if (objectLike(doc)) agree(doc);
      }),
      { numRuns: 5_000, seed: 7 },
    );
  });

  it('agrees on the edges: bounds of every number, lengths of every string, enum values', () => {
    const edges: Json[] = [
      ...[-1, -0, 0, 1e-9, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 10, 11, 20, 21, 100, 101],
      ...[5_000, 600_000, 600_001, 1_000_000, 1_000_001, 3_600_000, 3_600_001],
      ...[10_000_000, 10_000_001, 86_400_000, 86_400_001, 2 ** 53, 1e300],
      ...['', 'a', '_a', '1a', 'a-b', 'a.b', 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(200)],
      ...['x'.repeat(201), 'x'.repeat(4_096), 'x'.repeat(4_097), 'x'.repeat(10_000), 'x'.repeat(10_001)],
      ...['first', 'all', 'any', 'replace', 'append', 'sum', 'merge', 'string', 'number', 'boolean'],
      ...['json', 'user', 'assistant', 'system', 'input', 'output', 'llm', 'transform', 'composite'],
      ...[true, false, null, [], {}, [{ provider: 'p', model: 'm' }], { x: 1, y: 2 }],
    ];
    // Every spot of the rich document, each replaced by every edge value, and each deleted.
    let accepted = 0;
    const count = spots(richDoc()).length;
    for (let i = 0; i < count; i++) {
      for (const value of [...edges, undefined]) {
        const doc = richDoc();
        const { parent, key } = spots(doc)[i] as {
          parent: Record<string | number, Json>;
          key: string | number;
        };
        if (value === undefined) {
          if (Array.isArray(parent)) continue;
          delete parent[key];
        } else parent[key] = value;
        if (agree(doc)) accepted++;
      }
    }
    expect(accepted).toBeGreaterThan(1_000);
  });

  it('tests ids as ID_PATTERN does', () => {
    const idChars = fc.constantFrom(...'aZ_09-. \u00e9\u0000\u{1F600}'.split(''), 'A', 'z', '9');
    const ids = fc.oneof(
      fc.string(),
      fc.array(idChars, { maxLength: 6 }).map((a) => a.join('')),
    );
    fc.assert(
      fc.property(ids, (s) => isIdentifier(s) === ID_PATTERN.test(s)),
      { numRuns: 5_000 },
    );
    for (const s of ['a', '_', 'A9_', 'route_a_0', '', '9a', 'a-b', 'a.b', 'é', '`', '{', '@', '['])
      expect(isIdentifier(s)).toBe(ID_PATTERN.test(s));
  });

  it('agrees on "__proto__" keys anywhere (own properties, as JSON.parse makes them)', () => {
    const proto = '"__proto__":{"polluted":true}';
    const docs = [
      `{${proto},"schemaVersion":1,"name":"x","blocks":[],"transitions":[]}`,
      `{"schemaVersion":1,"name":"x","blocks":[{${proto},"id":"a","name":"","type":"input"}],"transitions":[]}`,
      `{"schemaVersion":1,"name":"x","vars":{${proto}},"blocks":[],"transitions":[]}`,
      `{"schemaVersion":1,"name":"x","blocks":[{"id":"a","name":"","type":"transform","expr":"1","assign":{${proto}}}],"transitions":[]}`,
      `{"schemaVersion":1,"name":"x","blocks":[{"id":"a","name":"","type":"transform","expr":"1","assign":{"__proto__":"1"}}],"transitions":[]}`,
      `{"schemaVersion":1,"name":"x","blocks":[{"id":"a","name":"","type":"llm","provider":"p","model":"m","messages":[],"outputSchema":{${proto},"type":"object"}}],"transitions":[]}`,
      `{"schemaVersion":1,"name":"x","blocks":[{"id":"a","name":"","type":"composite","inputMap":{"__proto__":"1"},"graph":{${proto},"blocks":[],"transitions":[]}}],"transitions":[]}`,
    ];
    for (const text of docs) expect(agree(JSON.parse(text))).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('measures any string and number exactly as JSON.stringify does', () => {
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string());
    fc.assert(
      fc.property(text, text, jsonValue, fc.double(), (name, content, initial, x) => {
        const doc = baseDoc() as unknown as { name: string; vars: Record<string, unknown> };
        doc.name = name.slice(0, 200);
        doc.vars.extra = { initial, description: content };
        // defineProperty: a key "__proto__" must be an own property, as JSON.parse makes it.
        Object.defineProperty(doc, content, {
          value: [x, -x, x * 1e300, Math.round(x)],
          enumerable: true,
          writable: true,
          configurable: true,
        });
        agree(doc);
      }),
      { numRuns: 3_000, seed: 3 },
    );
  });

  it('leaves the fast path for data JSON.stringify or zod treat specially', () => {
    const hidden = baseDoc();
    Object.defineProperty(hidden.blocks[0] as object, 'description', { value: 7, enumerable: false });
    class Doc {
      constructor(readonly doc: unknown) {}
    }
    const withToJson = { ...baseDoc(), extra: { toJSON: () => 'x' } };
    const throwing = { ...baseDoc() };
    Object.defineProperty(throwing, 'extra', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    const undef = { ...baseDoc(), description: undefined };
    const big = { ...baseDoc(), extra: 10n };
    const circular: Record<string, unknown> = { ...baseDoc() };
    circular.self = circular;
    const hiddenWhen = baseDoc();
    Object.defineProperty(hiddenWhen.transitions[0] as object, 'when', { value: 'true', enumerable: false });
    const hiddenX = baseDoc();
    (hiddenX.blocks[0] as { position?: unknown }).position = Object.defineProperty({ y: 1 }, 'x', {
      value: 2,
    });
    for (const doc of [hiddenWhen, hiddenX]) expect(graphDocumentSchema.safeParse(doc).success).toBe(true);
    for (const doc of [
      hidden,
      hiddenWhen,
      hiddenX,
      new Doc(baseDoc()),
      withToJson,
      throwing,
      undef,
      big,
      circular,
    ]) {
      expect(fastParseGraph(doc)).toBeUndefined();
    }
    Object.defineProperty(Object.prototype, 'description', { value: 'x', configurable: true });
    try {
      expect(fastParseGraph(baseDoc())).toBeUndefined();
    } finally {
      delete (Object.prototype as { description?: unknown }).description;
    }
    expect(fastParseGraph(baseDoc())).toBeDefined();
  });

  it('agrees on records with non-enumerable keys (zod reads only the enumerable ones)', () => {
    const doc = baseDoc();
    Object.defineProperty((doc.blocks[2] as { assign: object }).assign, 'hidden', { value: '1' });
    Object.defineProperty(doc.vars as object, 'hidden', { value: { reducer: 'sum' } });
    expect(agree(doc)).toBe(true);
  });

  it('settles the size of a document without counting escapes when its transitions name blocks', () => {
    const limit = LIMITS.maxDocumentBytes;
    const base = chainDoc(300, 60);
    // Plain text (nothing to escape) in a var, long enough that the fast parser's bound alone is
    // over the limit, short enough that the bound without the transitions' ends is within it.
    const withText = (n: number) => ({
      ...base,
      vars: { big: { reducer: 'replace', initial: 'x'.repeat(n) } },
    });
    const ends = base.transitions.reduce((sum, t) => sum + t.from.length + t.to.length, 0);
    let n = 0;
    let fast = fastParseGraph(withText(n));
    while (fast && fast.minSize + 5 * fast.textChars <= limit) {
      n += 500;
      fast = fastParseGraph(withText(n));
    }
    expect(fast && fast.minSize + 5 * (fast.textChars - ends) <= limit).toBe(true);
    const doc = withText(n);
    expect(JSON.stringify(doc).length).toBeLessThan(limit);
    expect(validate(doc)).toEqual([]);
    // The end of a transition that names no block is text like any other: here a control
    // character takes 5 escapes, which put the document over the limit.
    const unknownEnd = {
      ...base,
      transitions: [...base.transitions, { id: 'x', from: 'input', to: '\u0001'.repeat(160_000) }],
    };
    expect(JSON.stringify(unknownEnd).length).toBeGreaterThan(limit);
    expect(validate(unknownEnd).map((d) => d.code)).toEqual(['document_too_large']);
  });

  it('reports a document over the size limit exactly when JSON.stringify is over it', () => {
    const limit = LIMITS.maxDocumentBytes;
    // A var's initial value of n characters, every tenth a newline (written \n, one more character).
    const withInitial = (doc: unknown, n: number): unknown => {
      const d = structuredClone(doc) as { vars?: Record<string, unknown> };
      d.vars = {
        ...d.vars,
        big: { reducer: 'replace', initial: '123456789\n'.repeat(n / 10 + 1).slice(0, n) },
      };
      return d;
    };
    const broken = { ...baseDoc(), transitions: [{ id: 't', from: 'nowhere', to: 'input' }] };
    const composite = JSON.parse(
      readFileSync(new URL('../../examples/composite-refine.json', import.meta.url), 'utf8'),
    ) as unknown;
    for (const base of [baseDoc(), broken, composite, chainDoc(300, 60)]) {
      const n0 = 900_000;
      const over = JSON.stringify(withInitial(base, n0)).length - limit;
      for (let delta = -3; delta <= 3; delta++) {
        // Shorten until the size is limit + delta (each character removed is 1.1 on average).
        let n = n0 - Math.round(over / 1.1);
        while (JSON.stringify(withInitial(base, n)).length > limit + delta) n--;
        while (JSON.stringify(withInitial(base, n)).length < limit + delta) n++;
        const doc = withInitial(base, n);
        const size = JSON.stringify(doc).length;
        const fast = fastParseGraph(doc as object);
        expect(fast && fast.minSize <= limit && fast.minSize + 5 * fast.textChars > limit).toBe(true);
        const tooLarge = validate(doc).some((d) => d.code === 'document_too_large');
        expect(tooLarge, `size ${size}`).toBe(size > limit);
      }
    }
  });
});
