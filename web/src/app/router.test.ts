import { describe, expect, it } from 'vitest';
import { graphPath, parseRoute, sharePath } from './router';

describe('routes', () => {
  it('parses graph and share paths, and round-trips ids with odd characters', () => {
    expect(parseRoute('/')).toEqual({ name: 'list' });
    expect(parseRoute(graphPath('g 1/2'))).toEqual({ name: 'graph', id: 'g 1/2' });
    expect(parseRoute(sharePath('AbC_-x'))).toEqual({ name: 'share', id: 'AbC_-x' });
    expect(parseRoute('/share/AbC/')).toEqual({ name: 'share', id: 'AbC' });
  });

  it('treats a mangled share link as an unknown one instead of throwing', () => {
    expect(parseRoute('/share/%E0%A4%A')).toEqual({ name: 'share', id: '' });
    expect(parseRoute('/graphs/%')).toEqual({ name: 'list' });
  });
});
