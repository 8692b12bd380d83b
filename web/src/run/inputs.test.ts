import type { InputField } from '@graphwright/shared';
import { describe, expect, it } from 'vitest';
import { buildInput, parseObject, WHOLE_INPUT } from './inputs';

const fields: InputField[] = [
  { name: 'topic', type: 'string', required: true },
  { name: 'n', type: 'number', default: 3 },
  { name: 'loud', type: 'boolean' },
  { name: 'extra', type: 'json' },
];

describe('run inputs', () => {
  it('builds a typed input from the form text, with defaults for untouched fields', () => {
    expect(buildInput(fields, { topic: 'tea', loud: 'true', extra: '{"a":1}' })).toEqual({
      ok: true,
      value: { topic: 'tea', n: 3, loud: true, extra: { a: 1 } },
    });
  });

  it('says which fields are wrong', () => {
    expect(buildInput(fields, { topic: '', n: 'x', extra: '{' })).toEqual({
      ok: false,
      errors: { topic: 'Required', n: 'Not a number', extra: expect.stringMatching(/^Not JSON/) },
    });
  });

  it('takes the whole input as a JSON object when the input block declares no fields', () => {
    expect(buildInput(undefined, { [WHOLE_INPUT]: '{"q": "x"}' })).toEqual({ ok: true, value: { q: 'x' } });
    expect(buildInput(undefined, {})).toEqual({ ok: true, value: {} });
    expect(buildInput(undefined, { [WHOLE_INPUT]: '[1]' }).ok).toBe(false);
  });

  it('parses optional JSON objects for test-this-block-alone', () => {
    expect(parseObject('')).toEqual({ ok: true, value: undefined });
    expect(parseObject('{"classify": {"label": "bug"}}')).toEqual({
      ok: true,
      value: { classify: { label: 'bug' } },
    });
    expect(parseObject('3').ok).toBe(false);
  });
});
