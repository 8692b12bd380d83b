/**
 * A streaming form of fastHash64 (hash.ts): the same two 32-bit lanes and finaliser, fed with
 * length-prefixed strings, numbers and type tags instead of one serialised text, so that block
 * versions are hashed straight from the parsed fields without building a string per block.
 * Non-cryptographic, like fastHash64: it only tells the versions of one block apart.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

enum Tag {
  Null = 1,
  False = 2,
  True = 3,
  Number = 4,
  String = 5,
  Array = 6,
  Object = 7,
  End = 8,
  Absent = 9,
}

export class Hash64 {
  private h1 = 0;
  private h2 = 0;

  reset(seed: number): void {
    this.h1 = 0x811c9dc5 ^ seed;
    this.h2 = 0x01000193;
  }

  /** Mixes one 32-bit unit. */
  unit(c: number): void {
    const h1 = Math.imul(this.h1 ^ c, 0x01000193);
    this.h1 = h1;
    this.h2 = Math.imul(this.h2 ^ c, 0x5bd1e995) ^ (h1 >>> 13);
  }

  /** A string, length first, then its UTF-16 units in pairs. */
  str(s: string): void {
    this.unit(s.length);
    this.chars(s);
  }

  /** A string's UTF-16 units in pairs (no length: fastHash64 seeds with it instead). */
  chars(s: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    const n = s.length;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const c = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h1 >>> 13);
    }
    if (i < n) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h1 >>> 13);
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  /** A number as JSON sees it: -0 is 0, and a non-finite number is null. */
  num(x: number): void {
    if (!Number.isFinite(x)) {
      this.unit(Tag.Null);
      return;
    }
    f64[0] = x === 0 ? 0 : x;
    this.unit(Tag.Number);
    this.unit(u32[0] as number);
    this.unit(u32[1] as number);
  }

  /** Tagged either way: an untagged string starts with its length, which could equal Tag.Absent. */
  optStr(s: string | undefined): void {
    if (s === undefined) this.unit(Tag.Absent);
    else {
      this.unit(Tag.String);
      this.str(s);
    }
  }

  optNum(x: number | undefined): void {
    if (x === undefined) this.unit(Tag.Absent);
    else this.num(x);
  }

  /** Any JSON value, canonically: object keys sorted, undefined properties skipped (as canonicalJson). */
  json(v: unknown): void {
    switch (typeof v) {
      case 'string':
        this.unit(Tag.String);
        this.str(v);
        return;
      case 'number':
        this.num(v);
        return;
      case 'boolean':
        this.unit(v ? Tag.True : Tag.False);
        return;
      case 'object':
        break;
      default:
        this.unit(Tag.Null);
        return;
    }
    if (v === null) {
      this.unit(Tag.Null);
      return;
    }
    if (Array.isArray(v)) {
      this.unit(Tag.Array);
      this.unit(v.length);
      for (let i = 0; i < v.length; i++) this.json(v[i]);
      return;
    }
    this.unit(Tag.Object);
    const keys = sortedKeys(v);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined) continue;
      this.str(k);
      this.json(x);
    }
    this.unit(Tag.End);
  }

  /** The hash as 16 hex characters (murmur3's finaliser on each lane). */
  hex(): string {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
    h1 = Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
    h1 ^= h1 >>> 16;
    h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b);
    h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
    h2 ^= h2 >>> 16;
    return hex64(h1, h2);
  }
}

/**
 * An object's keys in the order Array.prototype.sort gives (UTF-16 code units), sorted in place
 * by insertion: records are small, and sort() would allocate a work copy for each.
 */
export function sortedKeys(o: object): string[] {
  const keys = Object.keys(o);
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > k) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

const HEX = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];

/** Two 32-bit words as 16 lowercase hex digits (what toString(16).padStart(8, '0') twice gives). */
export function hex64(a: number, b: number): string {
  return String.fromCharCode(
    HEX[(a >>> 28) & 15] as number,
    HEX[(a >>> 24) & 15] as number,
    HEX[(a >>> 20) & 15] as number,
    HEX[(a >>> 16) & 15] as number,
    HEX[(a >>> 12) & 15] as number,
    HEX[(a >>> 8) & 15] as number,
    HEX[(a >>> 4) & 15] as number,
    HEX[a & 15] as number,
    HEX[(b >>> 28) & 15] as number,
    HEX[(b >>> 24) & 15] as number,
    HEX[(b >>> 20) & 15] as number,
    HEX[(b >>> 16) & 15] as number,
    HEX[(b >>> 12) & 15] as number,
    HEX[(b >>> 8) & 15] as number,
    HEX[(b >>> 4) & 15] as number,
    HEX[b & 15] as number,
  );
}
