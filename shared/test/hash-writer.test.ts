import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HashWriter } from '../src/graph/hash-writer';
import { Hash64 } from '../src/graph/hash64';

/** The bytes str() writes, the slow way: LEB128 length, then each UTF-16 unit (1 byte or 3). */
function referenceBytes(s: string): number[] {
  const out: number[] = [];
  let v = s.length;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) out.push(c);
    else out.push(0x80 | (c >>> 12), 0x80 | ((c >>> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return out;
}

// ASCII (escapes included), alone or now and then with a character that is not: accented, astral
// (a surrogate pair) or a lone surrogate; long and short.
const ascii = fc.constantFrom(...'ab Z_9{}.\n\t"\\'.split(''), '\u0000', '\u001f', '\u007f');
const other = fc.constantFrom('\u00e9', '\u20ac', '\u{1F600}', '\ud800', '\udfff', '\uffff');
const mixed = fc.oneof({ weight: 20, arbitrary: ascii }, { weight: 1, arbitrary: other });
const strings = fc
  .oneof(fc.array(ascii, { maxLength: 300, size: 'max' }), fc.array(mixed, { maxLength: 300, size: 'max' }))
  .map((a) => a.join(''));

describe('HashWriter strings', () => {
  it('writes bytes, a version and escapes as the character-by-character definition does', () => {
    const w = new HashWriter();
    fc.assert(
      fc.property(strings, fc.boolean(), (s, counting) => {
        // Escapes are counted only when asked (each way has loops of its own).
        const escapes = counting ? JSON.stringify(s).length - 2 - s.length : 0;
        w.reset(counting);
        w.beginVersion(7);
        w.str(s);
        const version = w.endVersion();
        const h = new Hash64();
        h.reset(7);
        h.unit(s.length);
        h.chars(s);
        expect([...w.bytes()]).toEqual(referenceBytes(s));
        expect(version).toBe(h.hex());
        expect(w.escapes).toBe(escapes);
        // Outside a version too (a condition's hash comes from strHash64).
        w.reset(counting);
        const fast = w.strHash64(s);
        const f = new Hash64();
        f.reset(s.length);
        f.chars(s);
        expect(fast).toBe(f.hex());
        expect([...w.bytes()]).toEqual(referenceBytes(s));
        expect(w.escapes).toBe(escapes);
        // And as a plain string (an id, a name): bytes only.
        w.reset(counting);
        w.str(s);
        expect([...w.bytes()]).toEqual(referenceBytes(s));
        expect(w.escapes).toBe(escapes);
      }),
      { numRuns: 2_000 },
    );
  });
});
