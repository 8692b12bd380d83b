import type { Rec } from './fast-parse-keys';
import { isPlainArray, isPlainRecord, jsonNumberLength, miss } from './json-size';
import { LIMITS } from './limits';

/**
 * The fast parser's primitives (see fast-parse.ts; its small objects are in fast-parse-parts.ts). Each
 * check mirrors one zod schema in schema.ts and leaves the fast path (miss) on what it would reject.
 *
 * Size accounting: every character of JSON.stringify(input) is counted as the walk goes, except the
 * escapes in strings. Strings that the graph hash input also holds ("text": exactly once there, see
 * version.ts) are counted without their escapes, and their length is summed so that the escapes
 * are bounded (at most 5 more characters each); the escapes themselves are counted as the graph's
 * hash is written (graphHashBytes). The other strings ("quiet": descriptions, keys and values
 * the schema drops) are collected and measured exactly at the end.
 */
export class WalkerBase {
  size = 0;
  /** Characters in text strings: their escapes add at most 5 characters each. */
  textChars = 0;
  /** Whether a composite was seen: its nested graph is not in the top-level hash input. */
  nested = false;
  private readonly quietStrs: string[] = [];

  /** Adds the exact size of the quiet strings, once the walk is done. */
  finish(): void {
    const n = this.quietStrs.length;
    if (n > 0) this.size += JSON.stringify(this.quietStrs).length - n - 1;
  }

  /** A string the hash input holds: counted without escapes. */
  protected textString(s: string): void {
    this.size += s.length + 2;
    this.textChars += s.length;
  }

  /** A plain object (its braces and separators are added by `close`). */
  protected object(v: unknown): Rec {
    if (typeof v !== 'object' || v === null || !isPlainRecord(v)) return miss();
    return v as Rec;
  }

  /**
   * Adds the braces and commas of an object whose for...in walk saw `n` keys. zod reads declared
   * keys with `key in input`, which also sees non-enumerable properties that for...in and
   * JSON.stringify skip: an object with any of those leaves the fast path. (Inherited keys cannot
   * differ: prototypesClean() holds.)
   */
  protected close(o: object, n: number): void {
    if (Object.getOwnPropertyNames(o).length !== n) miss();
    this.size += n > 0 ? n + 1 : 2;
  }

  /**
   * `close` for an object that cannot hide a declared key: a record (zod reads only enumerable keys
   * of a record), or an object whose declared keys were all seen (or that is rejected otherwise).
   */
  protected closeSeen(n: number): void {
    this.size += n > 0 ? n + 1 : 2;
  }

  /** A key the schema does not declare (or a value it drops): counted, not kept. */
  protected unknown(k: string, x: unknown): void {
    this.quietStrs.push(k);
    this.size += 1;
    this.any(x, 0, true);
  }

  /** A key the schema declares (no character to escape in it). */
  protected key(k: string): void {
    this.size += k.length + 3;
  }

  /** A record (z.record): no symbol keys, which zod would reject. */
  protected record(v: unknown): Rec {
    const o = this.object(v);
    if (Object.getOwnPropertySymbols(o).length > 0) return miss();
    return o;
  }

  protected array(v: unknown, min: number, max: number): unknown[] {
    if (!isPlainArray(v)) return miss();
    const n = v.length;
    if (n < min || n > max) return miss();
    this.size += n > 0 ? n + 1 : 2;
    return v;
  }

  protected str(v: unknown, min: number, max: number): string {
    if (typeof v !== 'string' || v.length < min || v.length > max) return miss();
    this.textString(v);
    return v;
  }

  protected text(v: unknown): string {
    if (typeof v !== 'string') return miss();
    this.textString(v);
    return v;
  }

  /** A description: kept, but not in the hash. */
  protected description(v: unknown, max: number): string {
    if (typeof v !== 'string' || v.length > max) return miss();
    this.quietStrs.push(v);
    return v;
  }

  /** A string matching the id pattern (nothing in it to escape). */
  protected ident(v: unknown, max: number): string {
    if (typeof v !== 'string' || v.length > max || !isIdentifier(v)) return miss();
    this.size += v.length + 2;
    return v;
  }

  protected expr(v: unknown): string {
    return this.str(v, 1, LIMITS.maxExpressionLength);
  }

  protected name(v: unknown): string {
    return this.str(v, 0, LIMITS.maxNameLength);
  }

  protected oneOf(v: unknown, values: readonly string[]): string {
    if (typeof v !== 'string' || !values.includes(v)) return miss();
    this.size += v.length + 2;
    return v;
  }

  /** z.number() with bounds (finite), and a safe integer when `int`. */
  protected num(v: unknown, min: number, max: number, int = false): number {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) return miss();
    if (int && !Number.isSafeInteger(v)) return miss();
    this.size += jsonNumberLength(v);
    return v;
  }

  protected bool(v: unknown): boolean {
    if (typeof v !== 'boolean') return miss();
    this.size += v ? 4 : 5;
    return v;
  }

  /** Any plain JSON value (z.unknown), kept as it is; `quiet` when the hash input does not hold it. */
  protected any(v: unknown, depth: number, quiet: boolean): unknown {
    switch (typeof v) {
      case 'string':
        if (quiet) this.quietStrs.push(v);
        else this.textString(v);
        return v;
      case 'number':
        this.size += jsonNumberLength(v);
        return v;
      case 'boolean':
        this.size += v ? 4 : 5;
        return v;
      case 'object':
        break;
      default:
        return miss();
    }
    if (v === null) {
      this.size += 4;
      return v;
    }
    if (depth > MAX_DEPTH) return miss();
    if (Array.isArray(v)) {
      const a = this.array(v, 0, Infinity);
      for (let i = 0; i < a.length; i++) this.any(a[i], depth + 1, quiet);
      return v;
    }
    const o = this.object(v);
    let n = 0;
    for (const k in o) {
      n++;
      if (quiet) this.quietStrs.push(k);
      else this.textString(k);
      this.size += 1;
      this.any(o[k], depth + 1, quiet);
    }
    this.size += n > 0 ? n + 1 : 2;
    return v;
  }
}

const MAX_DEPTH = 100;

/**
 * ID_PATTERN (schema.ts: a letter or _, then letters, digits and _), tested by hand: for ids of a
 * few characters a call into the regular expression cost more than the test.
 */
export function isIdentifier(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  const c = s.charCodeAt(0);
  if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95)) return false;
  for (let i = 1; i < n; i++) {
    const d = s.charCodeAt(i);
    if (!((d >= 97 && d <= 122) || (d >= 65 && d <= 90) || d === 95 || (d >= 48 && d <= 57))) return false;
  }
  return true;
}
