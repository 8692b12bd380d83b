import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fastParseGraph } from '../src/graph/fast-parse';
import { checkGraph, type GraphDocument } from '../src/index';
import { baseDoc } from './fixtures';
import type { Json } from './fuzz-docs';

const examplesDir = new URL('../../examples/', import.meta.url);
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(new URL(f, examplesDir), 'utf8')) as GraphDocument);

/** baseDoc with graph defaults, limits and every LLM parameter set. */
function extendedDoc(): GraphDocument {
  const doc = baseDoc();
  doc.defaults = { recovery: { retry: { maxAttempts: 2 }, repair: { maxAttempts: 1 } }, timeoutMs: 5_000 };
  doc.limits = { maxIterations: 50, maxVisitsPerBlock: 5, deadlineMs: 60_000 };
  doc.vars = { note: { reducer: 'replace', initial: 'none' }, log: { reducer: 'append' } };
  doc.blocks[1] = {
    ...(doc.blocks[1] as Extract<GraphDocument['blocks'][number], { type: 'llm' }>),
    system: 'Be brief.',
    selection: { models: [{ provider: 'simulated', model: 'sim-fast' }], maxP95Ms: 900, minSuccessRate: 0.5 },
    temperature: 0.5,
    maxTokens: 100,
    topP: 0.9,
    stop: ['END'],
    recovery: { retry: { baseDelayMs: 10 }, fallback: [{ provider: 'simulated', model: 'sim-smart' }] },
    timeoutMs: 2_000,
    maxVisits: 3,
  };
  return doc;
}

function compiled(doc: unknown): { hash: string; versions: Record<string, string> } | undefined {
  const r = checkGraph(structuredClone(doc));
  if (!r.compiled) return undefined;
  return {
    hash: r.compiled.hash,
    versions: Object.fromEntries(r.compiled.blocks.map((b) => [b.id, b.version])),
  };
}

/** Leaves that do not affect execution: canvas positions, descriptions, the budget hint. */
function inert(path: readonly (string | number)[]): boolean {
  return (
    path.includes('position') ||
    path[0] === 'budget' ||
    (path[0] === 'description' && path.length === 1) ||
    (path.length === 4 && path[0] === 'blocks' && path[2] === 'description')
  );
}

/** Every leaf of a document with its path. */
function leaves(
  doc: Json,
): { path: (string | number)[]; parent: Record<string | number, Json>; key: string | number }[] {
  const out: { path: (string | number)[]; parent: Record<string | number, Json>; key: string | number }[] =
    [];
  const walk = (v: Json, path: (string | number)[]): void => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i] as Json, [...path, i]);
    } else if (v !== null && typeof v === 'object')
      for (const k of Object.keys(v)) walk(v[k] as Json, [...path, k]);
    else {
      const key = path[path.length - 1] as string | number;
      const parent = path
        .slice(0, -1)
        .reduce<Json>((o, k) => (o as Record<string | number, Json>)[k] as Json, doc);
      out.push({ path, parent: parent as Record<string | number, Json>, key });
    }
  };
  walk(doc, []);
  return out;
}

function changed(v: Json): Json {
  if (typeof v === 'string') return `${v}x`;
  if (typeof v === 'number') return v === 0 ? 1 : v < 1 ? v / 2 : v - 1;
  if (typeof v === 'boolean') return !v;
  return 'x';
}

describe('graph hash and block versions', () => {
  const bases = [baseDoc(), extendedDoc(), ...examples];

  it('all base documents compile', () => {
    for (const doc of bases) expect(compiled(doc)).toBeDefined();
  });

  it('changes the graph hash for a change to any leaf that affects execution', () => {
    let checked = 0;
    for (const base of bases) {
      const before = compiled(base);
      const count = leaves(base as unknown as Json).length;
      for (let i = 0; i < count; i++) {
        const doc = structuredClone(base) as unknown as Json;
        const { path, parent, key } = leaves(doc)[i] as ReturnType<typeof leaves>[number];
        parent[key] = changed(parent[key] as Json);
        const after = compiled(doc);
        if (!after) continue;
        checked++;
        if (inert(path)) expect(after, path.join('.')).toEqual(before);
        else expect(after.hash, path.join('.')).not.toBe(before?.hash);
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('changes the version of an edited block only, and of the composites around it', () => {
    for (const base of bases) {
      const before = compiled(base) as NonNullable<ReturnType<typeof compiled>>;
      for (const { parent, key, path } of leaves(structuredClone(base) as unknown as Json)) {
        if (path[0] !== 'blocks' || path[2] === 'id') continue;
        const doc = structuredClone(base) as unknown as Json;
        const spot = leaves(doc).find((l) => l.path.join('\0') === path.join('\0'));
        if (!spot) continue;
        spot.parent[spot.key] = changed(parent[key] as Json);
        const after = compiled(doc);
        if (!after) continue;
        const own = (base.blocks[path[1] as number] as { id: string }).id;
        for (const id of Object.keys(before.versions)) {
          if (id !== own) expect(after.versions[id], `${path.join('.')} → ${id}`).toBe(before.versions[id]);
        }
      }
    }
  });

  it('reaches the versions of the LLM blocks through the graph defaults', () => {
    const before = compiled(extendedDoc());
    const doc = extendedDoc();
    (doc.defaults as { timeoutMs: number }).timeoutMs = 6_000;
    const after = compiled(doc);
    expect(after?.versions.b).not.toBe(before?.versions.b);
    expect(after?.versions.a).toBe(before?.versions.a);
    const doc2 = extendedDoc();
    doc2.defaults = { ...doc2.defaults, recovery: { retry: { maxAttempts: 3 } } };
    expect(compiled(doc2)?.versions.b).not.toBe(before?.versions.b);
  });

  it('ignores the key order of free-form records and -0', () => {
    const a = extendedDoc();
    const b = extendedDoc();
    b.vars = { log: { reducer: 'append' }, note: { initial: 'none', reducer: 'replace' } };
    (b.blocks[2] as { assign: Record<string, string> }).assign = { note: 'output' };
    (b.blocks[1] as { temperature: number }).temperature = 0.5;
    expect(compiled(b)).toEqual(compiled(a));
    (a.blocks[1] as { topP: number }).topP = 0;
    (b.blocks[1] as { topP: number }).topP = -0;
    expect(compiled(b)).toEqual(compiled(a));
  });

  it('gives the same hash and versions whether the document takes the fast path or the general one', () => {
    for (const base of bases) {
      // An undefined property is not plain JSON: the fast parser leaves it to zod.
      const general = { ...structuredClone(base), description: undefined };
      expect(fastParseGraph(general)).toBeUndefined();
      const r = checkGraph(general);
      expect(r.compiled?.hash).toBe(compiled(base)?.hash);
      expect(Object.fromEntries(r.compiled?.blocks.map((b) => [b.id, b.version]) ?? [])).toEqual(
        compiled(base)?.versions,
      );
    }
  });

  it('tells an absent field from its zero or empty value', () => {
    const hashOf = (edit: (b: Record<string, unknown>) => void): string | undefined => {
      const doc = baseDoc();
      edit(doc.blocks[3] as unknown as Record<string, unknown>);
      return compiled(doc)?.hash;
    };
    const absent = hashOf(() => {});
    const values = [
      hashOf((b) => (b.temperature = 0)),
      hashOf((b) => (b.topP = 0)),
      hashOf((b) => (b.system = '')),
      hashOf((b) => (b.stop = [])),
      hashOf((b) => (b.routing = 'first')),
    ];
    for (const h of values) {
      expect(h).toBeDefined();
      expect(h).not.toBe(absent);
    }
    expect(new Set(values).size).toBe(values.length);
  });

  it('never confuses an absent system prompt with a present one whose length looks like a tag', () => {
    // Found in review: an absent string fed the unit 9, and a 9-unit string starts with its length 9.
    const versionOf = (edit: (b: Record<string, unknown>) => void): string | undefined => {
      const doc = baseDoc();
      const b = doc.blocks[3] as unknown as Record<string, unknown>;
      delete b.system;
      edit(b);
      const c = compiled(doc);
      return c?.versions[b.id as string];
    };
    const a = versionOf((b) => {
      b.messages = [{ role: 'user', content: '\u0000' }];
    });
    const b = versionOf((b) => {
      b.system = '\u0001\u0000\u0004\u0000user\u0001';
      b.messages = [];
    });
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(a).not.toBe(b);
  });

  it('tells apart text that moves from one field to the next, and lone surrogates from each other', () => {
    const hashOf = (edit: (b: Record<string, unknown>) => void): string | undefined => {
      const doc = baseDoc();
      edit(doc.blocks[3] as unknown as Record<string, unknown>);
      return compiled(doc)?.hash;
    };
    const hashes = [
      hashOf((b) => {
        b.provider = 'simulatedsim';
        b.model = '-fast';
      }),
      hashOf((b) => {
        b.provider = 'simulated';
        b.model = 'sim-fast';
      }),
      // UTF-8 would write every lone surrogate as U+FFFD: these must still differ.
      hashOf((b) => (b.system = 'x\uD800')),
      hashOf((b) => (b.system = 'x\uDBFF')),
      hashOf((b) => (b.system = 'x\uDC00')),
      hashOf((b) => (b.system = 'x\uD83D\uDE00')),
      hashOf((b) => (b.system = 'x\u00e9')),
      // Long strings are copied natively when they are ASCII, by hand otherwise.
      hashOf((b) => (b.system = `${'a'.repeat(100)}\u00e9`)),
      hashOf((b) => (b.system = `${'a'.repeat(100)}\u00ea`)),
      hashOf((b) => (b.system = 'a'.repeat(101))),
    ];
    for (const h of hashes) expect(h).toBeDefined();
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('keeps the block versions statistics were recorded under', () => {
    // Estimates are keyed by block version: a change to how versions are computed would orphan
    // every recorded attempt, so these are pinned.
    expect(compiled(extendedDoc())?.versions).toEqual({
      input: '99c8161ff64c054f',
      classify: '45df62091073cd48',
      a: 'f433cf5c95a16113',
      b: '372340b693b41a6f',
      output: '86162b21ad43e692',
    });
  });

  it('keeps "__proto__" keys of an output schema in the hash', () => {
    const withKey = (v: number): unknown =>
      JSON.parse(
        JSON.stringify(baseDoc()).replace(
          '"outputSchema":{',
          `"outputSchema":{"$defs":{"__proto__":{"type":"number","maximum":${v}}},`,
        ),
      );
    const one = compiled(withKey(1));
    const two = compiled(withKey(2));
    expect(one).toBeDefined();
    expect(one?.hash).not.toBe(two?.hash);
    expect(one?.versions.classify).not.toBe(two?.versions.classify);
  });
});
