import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGraph, compile, GraphValidationError, hasErrors, validate } from '../src/index';
import { baseDoc } from './fixtures';

const examplesDir = new URL('../../examples/', import.meta.url);
const examples: unknown[] = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(new URL(f, examplesDir), 'utf8')));
const seeds: unknown[] = [baseDoc(), ...examples];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every (container, key) pair in a JSON tree, so a mutation can pick any spot. */
function spots(root: Json): { parent: Json[] | Record<string, Json>; key: string | number }[] {
  const out: { parent: Json[] | Record<string, Json>; key: string | number }[] = [];
  const walk = (v: Json): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        out.push({ parent: v, key: i });
        walk(x);
      });
    } else if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        out.push({ parent: v, key: k });
        walk(v[k] as Json);
      }
    }
  };
  walk(root);
  return out;
}

const nastyKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'id',
  'type',
  'blocks',
  'when',
  'from',
  'to',
  '',
);
const nastyString = fc.oneof(
  fc.string(),
  fc.constantFrom(
    'out.classify.label == "a"',
    '{{input.q}}',
    '{{out.__proto__}}',
    'input.constructor',
    '__proto__',
    'llm',
    'composite',
    'input',
    'output',
    'transform',
    'a',
    'b',
    'classify',
    '1 +',
    'size(out)',
    '{{',
  ),
);
const leaf: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  nastyString,
);
const jsonValue: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(nastyKey, fc.string({ maxLength: 6 })), tie('v'), { maxKeys: 4 }),
  ),
})).v;

const mutation = fc.tuple(fc.nat(), fc.constantFrom('delete', 'replace', 'duplicate', 'retype'), jsonValue);

/** A valid graph with 1 to 4 random mutations (delete, replace, duplicate a sibling, change a type). */
const mutatedGraph = fc
  .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([seed, muts]) => {
    const doc = structuredClone(seed) as Json;
    for (const [pick, kind, value] of muts) {
      const all = spots(doc);
      if (all.length === 0) break;
      const { parent, key } = all[pick % all.length] as (typeof all)[number];
      const p = parent as Record<string | number, Json>;
      if (kind === 'delete') {
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete p[key];
      } else if (kind === 'replace') p[key] = value;
      else if (kind === 'duplicate' && Array.isArray(parent))
        parent.push(structuredClone(parent[key as number] as Json));
      else if (kind === 'retype') p[key] = typeof p[key] === 'string' ? 42 : (JSON.stringify(p[key]) ?? 'x');
    }
    // Round-trip through JSON text so that "__proto__" keys are own properties, as from a request body.
    return JSON.parse(JSON.stringify(doc)) as unknown;
  });

const arbitraryJson = fc
  .oneof(
    jsonValue,
    fc.record({
      schemaVersion: fc.constantFrom(1, 2, '1'),
      name: nastyString,
      blocks: jsonValue,
      transitions: jsonValue,
    }),
    fc.dictionary(nastyKey, jsonValue),
  )
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown);

function deepNest(depth: number): unknown {
  let v: unknown = {};
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { blocks: v };
  return v;
}

describe('validate and compile on any input', () => {
  const check = (doc: unknown): void => {
    const diagnostics = validate(doc);
    expect(Array.isArray(diagnostics)).toBe(true);
    const errors = hasErrors(diagnostics);
    let compiled = false;
    try {
      compile(doc);
      compiled = true;
    } catch (e) {
      expect(e).toBeInstanceOf(GraphValidationError);
    }
    expect(compiled).toBe(!errors);
    for (const d of diagnostics) expect(typeof d.message).toBe('string');
  };

  it('never throws, and compiles exactly when there are no errors (5,000 mutated graphs)', () => {
    let valid = 0;
    fc.assert(
      fc.property(mutatedGraph, (doc) => {
        check(doc);
        if (!hasErrors(validate(doc))) valid++;
      }),
      { numRuns: 5_000, seed: 20261122 },
    );
    // The mutations must exercise both sides of the property.
    expect(valid).toBeGreaterThan(250);
    expect(valid).toBeLessThan(4_750);
  });

  it('never throws, and compiles exactly when there are no errors (5,000 arbitrary JSON values)', () => {
    fc.assert(fc.property(arbitraryJson, check), { numRuns: 5_000, seed: 7 });
  });

  it('survives deep nesting, huge strings and odd values', () => {
    for (const doc of [
      deepNest(50_000),
      { ...baseDoc(), name: 'n'.repeat(3_000_000) },
      { ...baseDoc(), blocks: deepNest(20_000) },
      Object.create(null),
      [],
      '',
      new Uint8Array([0, 255, 1]),
      Number.NaN,
      undefined,
    ]) {
      check(doc);
    }
  });

  it('leaves no prototype pollution behind', () => {
    validate(
      JSON.parse('{"schemaVersion":1,"name":"x","__proto__":{"polluted":true},"blocks":[],"transitions":[]}'),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps the parsed document available when it passes the schema', () => {
    const r = checkGraph(baseDoc());
    expect(r.doc?.name).toBe('Base');
    expect(r.compiled?.blocks.length).toBe(5);
  });
});
