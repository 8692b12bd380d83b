import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { baseDoc } from './fixtures';

/** Fuzzed documents shared by the validate and fast-parse property tests. */

const examplesDir = new URL('../../examples/', import.meta.url);
const examples: unknown[] = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(new URL(f, examplesDir), 'utf8')));
export const seeds: unknown[] = [baseDoc(), ...examples];

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every (container, key) pair in a JSON tree, so a mutation can pick any spot. */
export function spots(root: Json): { parent: Json[] | Record<string, Json>; key: string | number }[] {
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
export const jsonValue: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(nastyKey, fc.string({ maxLength: 6 })), tie('v'), { maxKeys: 4 }),
  ),
})).v;

const mutation = fc.tuple(fc.nat(), fc.constantFrom('delete', 'replace', 'duplicate', 'retype'), jsonValue);

/** A valid graph with 1 to 4 random mutations (delete, replace, duplicate a sibling, change a type). */
export function mutatedGraphFrom(from: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.constantFrom(...from), fc.array(mutation, { minLength: 1, maxLength: 4 }))
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
        else if (kind === 'retype')
          p[key] = typeof p[key] === 'string' ? 42 : (JSON.stringify(p[key]) ?? 'x');
      }
      // Round-trip through JSON text so that "__proto__" keys are own properties, as from a request body.
      return JSON.parse(JSON.stringify(doc)) as unknown;
    });
}

export const mutatedGraph = mutatedGraphFrom(seeds);

export const arbitraryJson = fc
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
