import { finish64, HashTag, sortedKeys } from './hash64';

/**
 * Writes what a graph's content hash is taken over as bytes, field by field, with no intermediate
 * text: a JSON text of the same fields took longer to build than the SHA-256 over it. Every value
 * is tagged and every string and list carries its length, so the bytes are injective (two
 * different field sequences never give the same bytes). Units (tags, lengths, numbers' halves)
 * are unsigned LEB128 (one byte for most); a string's UTF-16 units are one byte each below 0x80,
 * three otherwise (the first >= 0x80), lone surrogates kept as they are (UTF-8 would replace them
 * and let two different prompts hash alike).
 *
 * Between beginVersion and endVersion the same values also feed Hash64's two lanes (hash64.ts)
 * as the 32-bit units block versions have always been hashed from (a string's UTF-16 units two at
 * a time): a block's version comes out of the same pass, and stays what it was.
 */
const f64 = new Float64Array(1);
const f64Units = new Uint32Array(f64.buffer);
/**
 * The characters JSON.stringify adds to each ASCII character: 1 for " and \ and the control
 * characters with a one-letter escape (\b \t \n \f \r), 5 for the other control characters
 * (\u00XX), none for the rest.
 */
const ASCII_ESCAPES = new Uint8Array(128);
for (let c = 0; c < 0x20; c++) ASCII_ESCAPES[c] = 5;
for (const c of [8, 9, 10, 12, 13, 34, 92]) ASCII_ESCAPES[c] = 1;
/** The same for two ASCII characters at once, indexed by (first << 7) | second: one look-up a pair. */
const PAIR_ESCAPES = new Uint8Array(1 << 14);
for (let i = 0; i < 1 << 14; i++)
  PAIR_ESCAPES[i] = (ASCII_ESCAPES[i >>> 7] as number) + (ASCII_ESCAPES[i & 0x7f] as number);

export class HashWriter {
  private buf = new Uint8Array(1 << 16);
  private at = 0;
  /** Hash64's lanes while a version is being written. */
  private mixing = false;
  private h1 = 0;
  private h2 = 0;
  /**
   * How many characters JSON.stringify's escapes would add to the strings written since reset()
   * (the document's exact size is read off it; see validate.ts), while `counting` is set.
   */
  escapes = 0;
  counting = false;
  /** While set, values feed only the version being written: no bytes, no escapes counted. */
  versionOnly = false;

  /** Starts a new stream (the buffer is kept: one writer serves every compile). */
  reset(countEscapes: boolean): void {
    this.at = 0;
    this.escapes = 0;
    this.counting = countEscapes;
    this.mixing = false;
    this.versionOnly = false;
  }

  /** The bytes written since reset(): a view, valid until the next write. */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.at);
  }

  /** From here on the values also feed a block version's hash, seeded with `seed`. */
  beginVersion(seed: number): void {
    this.h1 = 0x811c9dc5 ^ seed;
    this.h2 = 0x01000193;
    this.mixing = true;
  }

  /** The version hashed since beginVersion, as 16 hex characters. */
  endVersion(): string {
    this.mixing = false;
    return finish64(this.h1, this.h2);
  }

  private room(n: number): Uint8Array {
    if (this.at + n > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
      grown.set(this.buf.subarray(0, this.at));
      this.buf = grown;
    }
    return this.buf;
  }

  /** One 32-bit unit: a tag, a length, a count or half a number. */
  unit(c: number): void {
    if (this.versionOnly) {
      this.mixUnit(c);
      return;
    }
    this.at = writeLeb(this.room(5), this.at, c);
    if (this.mixing) this.mixUnit(c);
  }

  /** `count` absent values (as many unit(HashTag.Absent) calls write), outside a version. */
  absent(count: number): void {
    const b = this.room(count);
    for (let p = this.at, end = p + count; p < end; p++) b[p] = HashTag.Absent;
    this.at += count;
  }

  /** A string: its length, then its UTF-16 units (fed to a version two at a time, as Hash64.str). */
  str(s: string): void {
    const n = s.length;
    if (!this.versionOnly) {
      // The length's unit is fed here; chars() writes its bytes (one call a string, not two).
      if (this.mixing) this.mixUnit(n);
      this.chars(s);
      return;
    }
    this.mixUnit(n);
    for (let i = 0; i < n; i += 2)
      this.mixUnit(i + 1 < n ? s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16) : s.charCodeAt(i));
  }

  /**
   * When set (only while versionOnly is), the units fed to the version are also kept here, to be
   * fed again with mixUnits (a resolved recovery that many blocks share).
   */
  recording: number[] | undefined;

  private mixUnit(c: number): void {
    const h1 = Math.imul(this.h1 ^ c, 0x01000193);
    this.h1 = h1;
    this.h2 = Math.imul(this.h2 ^ c, 0x5bd1e995) ^ (h1 >>> 13);
    if (this.recording !== undefined) this.recording.push(c);
  }

  /** Feeds recorded units to the version again. */
  mixUnits(units: readonly number[]): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < units.length; i++) {
      const c = units[i] as number;
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h1 >>> 13);
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  /**
   * A string, as str() writes it, returning its fastHash64 (hash.ts: seeded with the length, then
   * the units two at a time) from the same pass. Not inside a version.
   */
  strHash64(s: string): string {
    this.beginVersion(s.length);
    this.chars(s);
    return this.endVersion();
  }

  /** A string's length (as unit() writes it, not fed to a version), then its UTF-16 units. */
  private chars(s: string): void {
    const n = s.length;
    const b = this.room(3 * n + 5);
    let p = writeLeb(b, this.at, n);
    const mixing = this.mixing;
    let h1 = this.h1;
    let h2 = this.h2;
    let escapes = 0;
    let i = 0;
    // Unless escapes are counted (only for a document whose size is in doubt): pairs of ASCII
    // characters first, in a loop that does only what this string needs (mix it in a version),
    // left at the first pair that is not ASCII. The general loop below takes it from there.
    if (!this.counting) {
      if (mixing) {
        for (; i + 1 < n; i += 2) {
          const c0 = s.charCodeAt(i);
          const c1 = s.charCodeAt(i + 1);
          if ((c0 | c1) >= 0x80) break;
          const c = c0 | (c1 << 16);
          h1 = Math.imul(h1 ^ c, 0x01000193);
          h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h1 >>> 13);
          b[p] = c0;
          b[p + 1] = c1;
          p += 2;
        }
      } else {
        for (; i + 1 < n; i += 2) {
          const c0 = s.charCodeAt(i);
          const c1 = s.charCodeAt(i + 1);
          if ((c0 | c1) >= 0x80) break;
          b[p] = c0;
          b[p + 1] = c1;
          p += 2;
        }
      }
    }
    for (; i + 1 < n; i += 2) {
      const c0 = s.charCodeAt(i);
      const c1 = s.charCodeAt(i + 1);
      if (mixing) {
        const c = c0 | (c1 << 16);
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h1 >>> 13);
      }
      if ((c0 | c1) < 0x80) {
        // Both ASCII (the common case): one test for the pair.
        b[p] = c0;
        b[p + 1] = c1;
        p += 2;
        escapes += PAIR_ESCAPES[(c0 << 7) | c1] as number;
      } else {
        p = writeUnit(b, p, c0);
        p = writeUnit(b, p, c1);
        escapes += escapesOf(s, i, c0) + escapesOf(s, i + 1, c1);
      }
    }
    if (i < n) {
      const c = s.charCodeAt(i);
      if (mixing) {
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h1 >>> 13);
      }
      p = writeUnit(b, p, c);
      escapes += escapesOf(s, i, c);
    }
    this.h1 = h1;
    this.h2 = h2;
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
    this.unit(HashTag.Number);
    this.unit(f64Units[0] as number);
    this.unit(f64Units[1] as number);
  }

  optNum(x: number | undefined): void {
    if (x === undefined) this.unit(HashTag.Absent);
    else this.num(x);
  }

  /** Any JSON value, canonically: object keys sorted, undefined properties skipped (as canonicalJson). */
  json(v: unknown): void {
    // Most absent settings arrive as null: no look at the type for them.
    if (v === null) {
      this.unit(HashTag.Null);
      return;
    }
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

/** A unit as unsigned LEB128 at b[p] (most units, tags and lengths, take one byte); returns the end. */
function writeLeb(b: Uint8Array, p: number, c: number): number {
  let v = c >>> 0;
  while (v >= 0x80) {
    b[p++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  b[p] = v;
  return p + 1;
}

/** A UTF-16 unit: one byte below 0x80, else three, the first >= 0x80 (none reads as one byte). */
function writeUnit(b: Uint8Array, p: number, c: number): number {
  if (c < 0x80) {
    b[p] = c;
    return p + 1;
  }
  b[p] = 0x80 | (c >>> 12);
  b[p + 1] = 0x80 | ((c >>> 6) & 0x3f);
  b[p + 2] = 0x80 | (c & 0x3f);
  return p + 3;
}

/**
 * The characters JSON.stringify adds for the unit c at s[i]: from the table for ASCII, 5 for a
 * lone surrogate (written as \uXXXX), none otherwise (a unit of a pair included).
 */
function escapesOf(s: string, i: number, c: number): number {
  if (c < 0x80) return ASCII_ESCAPES[c] as number;
  if (c < 0xd800 || c > 0xdfff) return 0;
  if (c <= 0xdbff) return (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 0 : 5;
  return (s.charCodeAt(i - 1) & 0xfc00) === 0xd800 ? 0 : 5;
}
