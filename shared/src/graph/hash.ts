import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { hex48, hex64 } from './hash64';

/** A SHA-256 of a string as hex. The server injects node:crypto's (same result, ~15x faster). */
export type Sha256Hex = (text: string) => string;

export const sha256Hex: Sha256Hex = (text) => bytesToHex(sha256(utf8ToBytes(text)));

/**
 * A fast 64-bit hash (two FNV-1a lanes) as 16 hex characters. Non-cryptographic: it tells versions
 * of one thing apart (block versions use its streaming form, hash64.ts); a collision between two
 * versions is ~1e-19 likely.
 */
export function fastHash64(text: string): string {
  fastHashLanes(text);
  return hex64(lane1, lane2);
}

/** The first 12 hex digits of fastHash64 (a transition's condition hash). */
export function fastHash48(text: string): string {
  fastHashLanes(text);
  return hex48(lane1, lane2);
}

let lane1 = 0;
let lane2 = 0;

function fastHashLanes(text: string): void {
  // Two 32-bit multiplicative lanes over pairs of UTF-16 units, finalised with murmur3's mixer.
  let h1 = 0x811c9dc5 ^ text.length;
  let h2 = 0x01000193;
  const n = text.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const c = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h1 >>> 13);
  }
  if (i < n) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h1 >>> 13);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
  h1 = Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b);
  h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  lane1 = h1;
  lane2 = h2;
}

/** JSON with object keys sorted, so that two equal documents serialise identically. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let s = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) s += ',';
      s += canonicalJson(value[i]);
    }
    return `${s}]`;
  }
  const keys = Object.keys(value).sort();
  let s = '{';
  let first = true;
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (!first) s += ',';
    first = false;
    s += `${JSON.stringify(k)}:${canonicalJson(v)}`;
  }
  return `${s}}`;
}
