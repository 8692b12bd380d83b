import { finish64, HashTag, sortedKeys } from './hash64';

/**
 * Writes what a graph's content hash is taken over as a stream of 32-bit units, field by field,
 * with no intermediate text: a JSON text of the same fields took longer to build than the SHA-256
 * over it. The units are those Hash64 (hash64.ts) consumes: every value is tagged and every string
 * and list carries its length, so the stream is injective (two different field sequences never
 * give the same units). A block's behaviour is one run of units, and its version is the Hash64 of
 * that run (hashFrom): the graph hash and the block versions are written in one pass.
 *
 * Strings are written as their UTF-16 units, two to a 32-bit unit (lone surrogates kept as they
 * are: UTF-8 would replace them and let two different prompts hash alike). SHA-256 reads the units'
 * bytes in the platform's order: little-endian on every engine Graphwright runs on.
 */
const f64 = new Float64Array(1);
const f64Units = new Uint32Array(f64.buffer);
/** The control characters JSON writes with a one-letter escape (\b \t \n \f \r); the rest as \u00XX. */
const SHORT_ESCAPE = new Uint8Array(32);
for (const c of [8, 9, 10, 12, 13]) SHORT_ESCAPE[c] = 1;

export class HashWriter {
  private buf = new Uint32Array(1 << 14);
  private at = 0;
  /**
   * How many characters JSON.stringify's escapes would add to the strings written since reset()
   * (the document's exact size is read off it; see validate.ts), while `counting` is set.
   */
  escapes = 0;
  counting = false;

  /** Starts a new stream (the buffer is kept: one writer serves every compile). */
  reset(countEscapes: boolean): void {
    this.at = 0;
    this.escapes = 0;
    this.counting = countEscapes;
  }

  /** The units written since reset(), as bytes: a view, valid until the next write. */
  bytes(): Uint8Array {
    return new Uint8Array(this.buf.buffer, 0, this.at * 4);
  }

  /** Where the next unit goes (for hashFrom). */
  get position(): number {
    return this.at;
  }

  /** Hash64 of the units from `from` on, seeded with `seed`: what Hash64 gives for the same units. */
  hashFrom(seed: number, from: number): string {
    const b = this.buf;
    let h1 = 0x811c9dc5 ^ seed;
    let h2 = 0x01000193;
    for (let i = from; i < this.at; i++) {
      const c = b[i] as number;
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h1 >>> 13);
    }
    return finish64(h1, h2);
  }

  private room(n: number): Uint32Array {
    if (this.at + n > this.buf.length) {
      const grown = new Uint32Array(Math.max(this.buf.length * 2, this.at + n));
      grown.set(this.buf.subarray(0, this.at));
      this.buf = grown;
    }
    return this.buf;
  }

  unit(c: number): void {
    this.room(1)[this.at++] = c;
  }

  /** A string: its length, then its UTF-16 units in pairs (as Hash64.str). */
  str(s: string): void {
    const n = s.length;
    const b = this.room(2 + (n >>> 1));
    let p = this.at;
    b[p++] = n;
    let escapes = 0;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const c0 = s.charCodeAt(i);
      const c1 = s.charCodeAt(i + 1);
      b[p++] = c0 | (c1 << 16);
      if (c0 < 0x20 || c0 === 34 || c0 === 92 || c0 >= 0xd800) escapes += escapeAt(s, i, c0);
      if (c1 < 0x20 || c1 === 34 || c1 === 92 || c1 >= 0xd800) escapes += escapeAt(s, i + 1, c1);
    }
    if (i < n) {
      const c = s.charCodeAt(i);
      b[p++] = c;
      if (c < 0x20 || c === 34 || c === 92 || c >= 0xd800) escapes += escapeAt(s, i, c);
    }
    this.at = p;
    if (this.counting) this.escapes += escapes;
  }

  /** Tagged either way: an untagged string starts with its length, which could equal a tag. */
  optStr(s: string | undefined): void {
    if (s === undefined) this.unit(HashTag.Absent);
    else {
      this.unit(HashTag.String);
      this.str(s);
    }
  }

  /** A number as JSON sees it: -0 is 0, and a non-finite number is null. */
  num(x: number): void {
    if (!Number.isFinite(x)) {
      this.unit(HashTag.Null);
      return;
    }
    f64[0] = x === 0 ? 0 : x;
    const b = this.room(3);
    const p = this.at;
    b[p] = HashTag.Number;
    b[p + 1] = f64Units[0] as number;
    b[p + 2] = f64Units[1] as number;
    this.at = p + 3;
  }

  optNum(x: number | undefined): void {
    if (x === undefined) this.unit(HashTag.Absent);
    else this.num(x);
  }

  /** Any JSON value, canonically: object keys sorted, undefined properties skipped (as canonicalJson). */
  json(v: unknown): void {
    switch (typeof v) {
      case 'string':
        this.unit(HashTag.String);
        this.str(v);
        return;
      case 'number':
        this.num(v);
        return;
      case 'boolean':
        this.unit(v ? HashTag.True : HashTag.False);
        return;
      case 'object':
        break;
      default:
        this.unit(HashTag.Null);
        return;
    }
    if (v === null) {
      this.unit(HashTag.Null);
      return;
    }
    if (Array.isArray(v)) {
      this.unit(HashTag.Array);
      this.unit(v.length);
      for (let i = 0; i < v.length; i++) this.json(v[i]);
      return;
    }
    this.unit(HashTag.Object);
    const keys = sortedKeys(v);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined) continue;
      this.str(k);
      this.json(x);
    }
    this.unit(HashTag.End);
  }

  /** json(v), or Absent when there is no value. */
  optJson(v: unknown): void {
    if (v === undefined) this.unit(HashTag.Absent);
    else this.json(v);
  }
}

/**
 * The characters JSON.stringify adds for the unit c at s[i]: 1 for " \ and \b \t \n \f \r, 5 for
 * other control characters (\u00XX) and lone surrogates, 0 otherwise.
 */
function escapeAt(s: string, i: number, c: number): number {
  if (c < 0x20) return SHORT_ESCAPE[c] === 1 ? 1 : 5;
  if (c === 34 || c === 92) return 1;
  if (c <= 0xdbff) return (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 0 : 5;
  if (c <= 0xdfff) return (s.charCodeAt(i - 1) & 0xfc00) === 0xd800 ? 0 : 5;
  return 0;
}
