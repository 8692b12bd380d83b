import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGraph, compile, GraphValidationError, hasErrors, validate } from '../src/index';
import { baseDoc } from './fixtures';
import { arbitraryJson, mutatedGraph } from './fuzz-docs';

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
