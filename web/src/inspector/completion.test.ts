import { describe, expect, it } from 'vitest';
import { applyCompletion, completionContext, filterSuggestions } from './completion';

const all = [
  { path: 'input.topic', detail: '' },
  { path: 'out.write', detail: '' },
  { path: 'out.write.title', detail: '' },
  { path: 'vars.notes', detail: '' },
];

describe('template completion', () => {
  it('finds the open {{ the caret is in', () => {
    expect(completionContext('Hello {{', 8)).toEqual({ start: 8, caret: 8, partial: '' });
    expect(completionContext('Hello {{ out.wr', 15)).toEqual({ start: 8, caret: 15, partial: 'out.wr' });
    expect(completionContext('Hello {{out.a}} and', 19)).toBeUndefined();
    expect(completionContext('Hello {{out a', 13)).toBeUndefined();
    expect(completionContext('no braces', 3)).toBeUndefined();
  });

  it('filters by prefix, then by substring', () => {
    expect(filterSuggestions(all, 'out.w').map((s) => s.path)).toEqual(['out.write', 'out.write.title']);
    expect(filterSuggestions(all, 'title').map((s) => s.path)).toEqual(['out.write.title']);
    expect(filterSuggestions(all, '')).toHaveLength(4);
  });

  it('inserts the path and closes the braces once', () => {
    const text = 'About {{inp';
    const ctx = completionContext(text, text.length);
    if (!ctx) throw new Error('no context');
    expect(applyCompletion(text, ctx, 'input.topic')).toEqual({ text: 'About {{input.topic}}', caret: 21 });
    const text2 = 'About {{inp}} now';
    const ctx2 = completionContext(text2, 11);
    if (!ctx2) throw new Error('no context');
    expect(applyCompletion(text2, ctx2, 'input.topic').text).toBe('About {{input.topic}} now');
    const text3 = 'About {{input.to}} now';
    const ctx3 = completionContext(text3, 11);
    if (!ctx3) throw new Error('no context');
    expect(applyCompletion(text3, ctx3, 'input.topic').text).toBe('About {{input.topic}} now');
  });
});
