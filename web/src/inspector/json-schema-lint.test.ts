import { describe, expect, it } from 'vitest';
import { lintJsonSchema } from './json-schema-lint';

describe('lintJsonSchema', () => {
  it('accepts a typical structured-output schema', () => {
    expect(
      lintJsonSchema({
        type: 'object',
        properties: {
          label: { type: 'string', enum: ['a', 'b'] },
          tags: { type: 'array', items: { type: 'string' } },
        },
        required: ['label'],
        additionalProperties: false,
      }),
    ).toEqual([]);
  });

  it('names where each problem is', () => {
    expect(
      lintJsonSchema({
        type: 'object',
        properties: { n: { type: 'float' }, list: { type: 'array', items: { enum: [] } } },
        required: ['n', 'missing'],
      }),
    ).toEqual([
      'properties.n.type: "float" is not a JSON type (use object, array, string, number, integer, boolean, null).',
      'properties.list.items.enum must be a non-empty list of allowed values.',
      'required names "missing", which is not under properties.',
    ]);
    expect(lintJsonSchema([1])).toEqual(['The schema must be an object.']);
  });
});
