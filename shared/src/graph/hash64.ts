/**
 * The 64-bit hash behind fastHash64 (hash.ts) and block versions: two 32-bit lanes fed with 32-bit
 * units (a string's UTF-16 units two at a time), then murmur3's finaliser. Block versions hash a
 * run of the units hash-writer.ts writes (length-prefixed strings, numbers and type tags), with
 * the same lanes. Non-cryptographic: it only tells the versions of one thing apart.
 */

/** The tags of the unit stream (shared with hash-writer.ts, whose streams Hash64 must agree with). */
export enum HashTag {
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

  /** The hash as 16 hex characters. */
  hex(): string {
    return finish64(this.h1, this.h2);
  }
}

/** The two lanes as 16 hex characters, after murmur3's finaliser on each. */
export function finish64(h1: number, h2: number): string {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
  h1 = Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b);
  h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  return hex64(h1, h2);
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
