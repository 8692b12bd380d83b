import { sortedKeys } from './hash64';

/**
 * Writes what a graph's content hash is taken over as bytes, field by field, with no intermediate
 * text: a JSON text of the same fields took longer to build than the SHA-256 over it. Every value
 * is tagged and every string and list carries its length, so the encoding is injective (two
 * different field sequences never give the same bytes).
 *
 * Strings are written as their UTF-16 units: a unit below 0x80 as one byte, any other unit as
 * three (the first >= 0x80). Lone surrogates are kept as they are (UTF-8 would replace them and
 * let two different prompts hash alike).
 */
export enum HashTag {
  Absent = 0,
  String = 1,
  Number = 2,
  Null = 3,
  True = 4,
  False = 5,
  Array = 6,
  Object = 7,
  Count = 8,
}

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const encoder = new TextEncoder();
/** Strings this long are copied by TextEncoder (native) when they are ASCII; shorter ones by hand. */
const NATIVE_MIN = 48;
/** The control characters JSON writes with a one-letter escape (\b \t \n \f \r); the rest as \u00XX. */
const SHORT_ESCAPE = new Uint8Array(32);
for (const c of [8, 9, 10, 12, 13]) SHORT_ESCAPE[c] = 1;

export class HashWriter {
  private buf = new Uint8Array(1 << 16);
  private at = 0;

  /** Starts a new text (the buffer is kept: one writer serves every compile). */
  reset(countEscapes: boolean): void {
    this.at = 0;
    this.escapes = 0;
    this.countEscapes = countEscapes;
  }

  /** The bytes written since reset(): a view, valid until the next write. */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.at);
  }

  private room(n: number): Uint8Array {
    if (this.at + n > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
      grown.set(this.buf.subarray(0, this.at));
      this.buf = grown;
    }
    return this.buf;
  }

  tag(t: HashTag): void {
    this.room(1)[this.at++] = t;
  }

  /** A count (a list's length): tagged, then LEB128. */
  count(n: number): void {
    const b = this.room(6);
    let p = this.at;
    b[p++] = HashTag.Count;
    while (n >= 0x80) {
      b[p++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    b[p++] = n;
    this.at = p;
  }

  /**
   * How many characters JSON.stringify's escapes would add to the strings written since reset()
   * (the document's exact size is read off it; see validate.ts). Counted only while
   * `countEscapes` is set.
   */
  escapes = 0;
  countEscapes = false;

  str(s: string): void {
    const n = s.length;
    const b = this.room(6 + 3 * n);
    let p = this.at;
    b[p++] = HashTag.String;
    let len = n;
    while (len >= 0x80) {
      b[p++] = (len & 0x7f) | 0x80;
      len >>>= 7;
    }
    b[p++] = len;
    if (n >= NATIVE_MIN && !this.countEscapes) {
      // ASCII (one byte per unit, as below) when TextEncoder writes exactly n bytes for n units.
      const r = encoder.encodeInto(s, b.subarray(p, p + 3 * n));
      if (r.written === n) {
        this.at = p + n;
        return;
      }
    }
    let escapes = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        b[p++] = c;
        // JSON writes " and \ with a backslash, control characters as \n or \u00XX.
        if (c < 0x20 || c === 34 || c === 92) escapes += c >= 0x20 || SHORT_ESCAPE[c] === 1 ? 1 : 5;
        continue;
      }
      b[p++] = 0x80 | (c >>> 12);
      b[p++] = 0x80 | ((c >>> 6) & 0x3f);
      b[p++] = 0x80 | (c & 0x3f);
      if ((c & 0xf800) === 0xd800) {
        // A surrogate: JSON writes a lone one as \uXXXX; a pair is written as it is.
        const d = s.charCodeAt(i + 1);
        if (c < 0xdc00 && (d & 0xfc00) === 0xdc00) {
          b[p++] = 0x80 | (d >>> 12);
          b[p++] = 0x80 | ((d >>> 6) & 0x3f);
          b[p++] = 0x80 | (d & 0x3f);
          i++;
        } else escapes += 5;
      }
    }
    if (this.countEscapes) this.escapes += escapes;
    this.at = p;
  }

  optStr(s: string | undefined): void {
    if (s === undefined) this.tag(HashTag.Absent);
    else this.str(s);
  }

  /** A number as JSON carries it (-0 is 0): tagged, then its 8 IEEE-754 bytes. */
  num(x: number): void {
    f64[0] = x === 0 ? 0 : x;
    const b = this.room(9);
    const p = this.at;
    b[p] = HashTag.Number;
    for (let i = 0; i < 8; i++) b[p + 1 + i] = f64Bytes[i] as number;
    this.at = p + 9;
  }

  optNum(x: number | undefined): void {
    if (x === undefined) this.tag(HashTag.Absent);
    else this.num(x);
  }

  /**
   * Any JSON value, canonically: object keys in sorted order, undefined properties left out (as
   * canonicalJson does), so that key order does not change the hash. undefined itself is Absent.
   */
  value(v: unknown): void {
    switch (typeof v) {
      case 'string':
        this.str(v);
        return;
      case 'number':
        if (Number.isFinite(v)) this.num(v);
        else this.tag(HashTag.Null);
        return;
      case 'boolean':
        this.tag(v ? HashTag.True : HashTag.False);
        return;
      case 'undefined':
        this.tag(HashTag.Absent);
        return;
      case 'object':
        break;
      default:
        this.tag(HashTag.Null);
        return;
    }
    if (v === null) {
      this.tag(HashTag.Null);
      return;
    }
    if (Array.isArray(v)) {
      this.tag(HashTag.Array);
      this.count(v.length);
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        // JSON writes an undefined item as null.
        if (x === undefined) this.tag(HashTag.Null);
        else this.value(x);
      }
      return;
    }
    const o = v as Record<string, unknown>;
    const keys = sortedKeys(o);
    let defined = 0;
    for (let i = 0; i < keys.length; i++) if (o[keys[i] as string] !== undefined) defined++;
    this.tag(HashTag.Object);
    this.count(defined);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      const x = o[k];
      if (x === undefined) continue;
      this.str(k);
      this.value(x);
    }
  }
}
