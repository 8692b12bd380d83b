import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { Hash64 } from './hash64';

/**
 * A SHA-256 as hex, of a string's UTF-8 or of bytes. The server injects node:crypto's (same result,
 * ~15x faster). Bytes are read before it returns (the compiler hands it a reused buffer).
 */
export type Sha256Hex = (data: string | Uint8Array) => string;

export const sha256Hex: Sha256Hex = (data) =>
  bytesToHex(sha256(typeof data === 'string' ? utf8ToBytes(data) : data));

/**
 * A fast 64-bit hash (two FNV-1a lanes) as 16 hex characters. Non-cryptographic: it tells versions
 * of one thing apart (block versions use its streaming form, hash64.ts); a collision between two
 * versions is ~1e-19 likely.
 */
export function fastHash64(text: string): string {
  shared.reset(text.length);
  shared.chars(text);
  return shared.hex();
}

/** The first 12 hex digits of fastHash64 (a transition's condition hash). */
export function fastHash48(text: string): string {
  return fastHash64(text).slice(0, 12);
}

const shared = new Hash64();

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
