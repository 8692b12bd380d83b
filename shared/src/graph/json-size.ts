/**
 * Helpers for measuring JSON.stringify's output while a document is walked (fast-parse.ts). Only
 * plain JSON data is measured: anything else (undefined, functions, symbols, BigInt, class
 * instances, toJSON, cycles, deep nesting) throws FastPathMiss, and the caller takes the general
 * path (JSON.stringify and the zod schema).
 */

export class FastPathMiss extends Error {}

const MISS = new FastPathMiss('not for the fast path');

/** Leaves the fast path: the caller falls back to the general one. */
export function miss(): never {
  throw MISS;
}

/** Length of JSON.stringify(x) for a number (non-finite numbers are written as null). */
export function jsonNumberLength(x: number): number {
  if (x === Math.floor(x) && x > -1e9 && x < 1e9) {
    let len = 1;
    let a = x;
    if (a < 0) {
      len = 2;
      a = -a;
    }
    while (a >= 10) {
      a = Math.floor(a / 10);
      len++;
    }
    return len;
  }
  return Number.isFinite(x) ? String(x).length : 4;
}

/** An object JSON.stringify writes as its own enumerable properties (no class instance, no toJSON). */
export function isPlainRecord(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && !Array.isArray(v);
}

/** An array JSON.stringify writes element by element. */
export function isPlainArray(v: unknown): v is unknown[] {
  return (
    Array.isArray(v) &&
    Object.getPrototypeOf(v) === Array.prototype &&
    (v as { toJSON?: unknown }).toJSON === undefined
  );
}
