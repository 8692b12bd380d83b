import { describe, expect, it } from 'vitest';
import { checkEdits } from './state-edits';

const blocks = new Set(['input', 'classify', 'reply']);
const vars = new Set(['notes']);
const recorded = { input: { t: 1 }, classify: { label: 'bug', confidence: 0.9 } };

describe('state edits', () => {
  it('sends only the outputs that changed, and the vars typed', () => {
    const r = checkEdits(
      JSON.stringify({ input: { t: 1 }, classify: { confidence: 0.9, label: 'billing' } }),
      '{"notes": ["x"]}',
      recorded,
      blocks,
      vars,
    );
    expect(r).toEqual({
      ok: true,
      edits: { out: { classify: { confidence: 0.9, label: 'billing' } }, vars: { notes: ['x'] } },
    });
  });

  it('sends nothing when nothing changed', () => {
    expect(checkEdits(JSON.stringify(recorded), '', recorded, blocks, vars)).toEqual({
      ok: true,
      edits: undefined,
    });
  });

  it('refuses invalid JSON, unknown blocks and undeclared vars, saying why', () => {
    const r = checkEdits('{"nope": 1}', '{"other": 2}', recorded, blocks, vars);
    expect(r).toEqual({
      ok: false,
      errors: {
        out: 'No block "nope" in this graph: out is keyed by block id.',
        vars: 'Undeclared var "other": the graph declares notes.',
      },
    });
    const bad = checkEdits('{', '[]', recorded, blocks, vars);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.out).toMatch(/^Not JSON/);
      expect(bad.errors.vars).toBe('Expected a JSON object ({ … })');
    }
  });
});
