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
    // Digits by comparison (no division): most numbers here are canvas coordinates and counts.
    const a = x < 0 ? -x : x;
    const digits =
      a < 1e4
        ? a < 10
          ? 1
          : a < 100
            ? 2
            : a < 1e3
              ? 3
              : 4
        : a < 1e6
          ? a < 1e5
            ? 5
            : 6
          : a < 1e7
            ? 7
            : a < 1e8
              ? 8
              : 9;
    return x < 0 ? digits + 1 : digits;
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
