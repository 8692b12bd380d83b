import type { Rec } from './fast-parse-keys';
import { isPlainArray, isPlainRecord, jsonNumberLength, miss } from './json-size';
import { LIMITS } from './limits';
import { ID_PATTERN } from './schema';

/**
 * The fast parser's primitives and its small objects (see fast-parse.ts). Each check mirrors one zod
 * schema in schema.ts and leaves the fast path (miss) on anything that schema would reject.
 *
 * Size accounting: every character of JSON.stringify(input) is counted as the walk goes, except
 * those of free-text strings, which are collected and measured at the end with one
 * JSON.stringify over all of them (escapes included, at native speed).
 */
export class WalkerBase {
  size = 0;
  readonly strs: string[] = [];

  /** The size of the collected strings, added once the walk is done. */
  finish(): number {
    const n = this.strs.length;
    return n === 0 ? this.size : this.size + JSON.stringify(this.strs).length - n - 1;
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

  /** A key the schema does not declare: counted, not kept. */
  protected unknown(k: string, x: unknown): void {
    this.strs.push(k);
    this.size += 1;
    this.any(x, 0);
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
    this.strs.push(v);
    return v;
  }

  protected text(v: unknown): string {
    if (typeof v !== 'string') return miss();
    this.strs.push(v);
    return v;
  }

  /** A string matching the id pattern (nothing in it to escape). */
  protected ident(v: unknown, max: number): string {
    if (typeof v !== 'string' || v.length > max || !ID_PATTERN.test(v)) return miss();
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

  /** Any plain JSON value (z.unknown), kept as it is. */
  protected any(v: unknown, depth: number): unknown {
    switch (typeof v) {
      case 'string':
        this.strs.push(v);
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
      for (let i = 0; i < a.length; i++) this.any(a[i], depth + 1);
      return v;
    }
    const o = this.object(v);
    let n = 0;
    for (const k in o) {
      n++;
      this.strs.push(k);
      this.size += 1;
      this.any(o[k], depth + 1);
    }
    this.size += n > 0 ? n + 1 : 2;
    return v;
  }

  /** An object whose keys are all optional numbers with bounds (`ints`: bit i for an integer). */
  protected numbers(v: unknown, names: readonly string[], bounds: readonly number[], ints: number): Rec {
    const o = this.object(v);
    const values: (number | undefined)[] = [];
    let seen = 0;
    let n = 0;
    for (const k in o) {
      n++;
      const i = names.indexOf(k);
      if (i < 0) {
        this.unknown(k, o[k]);
        continue;
      }
      this.key(k);
      values[i] = this.num(
        o[k],
        bounds[2 * i] as number,
        bounds[2 * i + 1] as number,
        (ints & (1 << i)) !== 0,
      );
      seen |= 1 << i;
    }
    this.close(o, n);
    const out: Rec = {};
    for (let i = 0; i < names.length; i++) if (seen & (1 << i)) out[names[i] as string] = values[i];
    return out;
  }

  protected recovery(v: unknown): Rec {
    const o = this.object(v);
    let retry: Rec | undefined;
    let fallback: Rec[] | undefined;
    let repair: Rec | undefined;
    let n = 0;
    for (const k in o) {
      n++;
      const x = o[k];
      if (k === 'retry') retry = this.numbers(x, RETRY_KEYS, RETRY_BOUNDS, 1);
      else if (k === 'fallback') fallback = this.modelRefs(x, 0, 10);
      else if (k === 'repair') repair = this.repair(x);
      else {
        this.unknown(k, x);
        continue;
      }
      this.key(k);
    }
    this.close(o, n);
    const out: Rec = {};
    if (retry !== undefined) out.retry = retry;
    if (fallback !== undefined) out.fallback = fallback;
    if (repair !== undefined) out.repair = repair;
    return out;
  }

  private repair(v: unknown): Rec {
    const o = this.object(v);
    let maxAttempts: number | undefined;
    let n = 0;
    for (const k in o) {
      n++;
      if (k === 'maxAttempts') {
        this.key(k);
        maxAttempts = this.num(o[k], 0, 5, true);
      } else this.unknown(k, o[k]);
    }
    this.closeSeen(n);
    if (maxAttempts === undefined) return miss();
    return { maxAttempts };
  }

  protected modelRefs(v: unknown, min: number, max: number): Rec[] {
    const a = this.array(v, min, max);
    const out: Rec[] = [];
    for (let i = 0; i < a.length; i++) {
      const o = this.object(a[i]);
      let provider: string | undefined;
      let model: string | undefined;
      let n = 0;
      for (const k in o) {
        n++;
        if (k === 'provider') provider = this.str(o[k], 1, Infinity);
        else if (k === 'model') model = this.str(o[k], 1, Infinity);
        else {
          this.unknown(k, o[k]);
          continue;
        }
        this.key(k);
      }
      this.closeSeen(n);
      if (provider === undefined || model === undefined) return miss();
      out.push({ provider, model });
    }
    return out;
  }

  protected defaults(v: unknown): Rec {
    const o = this.object(v);
    let recovery: Rec | undefined;
    let timeoutMs: number | undefined;
    let n = 0;
    for (const k in o) {
      n++;
      const x = o[k];
      if (k === 'recovery') recovery = this.recovery(x);
      else if (k === 'timeoutMs') timeoutMs = this.num(x, 1, DAY_MS, true);
      else {
        this.unknown(k, x);
        continue;
      }
      this.key(k);
    }
    this.close(o, n);
    const out: Rec = {};
    if (recovery !== undefined) out.recovery = recovery;
    if (timeoutMs !== undefined) out.timeoutMs = timeoutMs;
    return out;
  }

  protected vars(v: unknown): Rec {
    const o = this.record(v);
    const out: Rec = {};
    let n = 0;
    for (const k in o) {
      n++;
      if (k === '__proto__') {
        // zod skips this key entirely (it would replace the prototype of its output).
        this.unknown(k, o[k]);
        continue;
      }
      if (!ID_PATTERN.test(k)) return miss();
      this.key(k);
      out[k] = this.varSpec(o[k]);
    }
    this.closeSeen(n);
    return out;
  }

  private varSpec(v: unknown): Rec {
    const o = this.object(v);
    let reducer: string | undefined;
    let initial: unknown;
    let description: string | undefined;
    let seen = 0;
    let n = 0;
    for (const k in o) {
      n++;
      const x = o[k];
      if (k === 'reducer') {
        reducer = this.oneOf(x, REDUCERS);
        seen |= 1;
      } else if (k === 'initial') {
        initial = this.any(x, 0);
        seen |= 2;
      } else if (k === 'description') {
        description = this.text(x);
        seen |= 4;
      } else {
        this.unknown(k, x);
        continue;
      }
      this.key(k);
    }
    this.close(o, n);
    const out: Rec = { reducer: reducer ?? 'replace' };
    if (seen & 2) out.initial = initial;
    if (description !== undefined) out.description = description;
    return out;
  }

  /** assign and inputMap: expressions by name. */
  protected exprRecord(v: unknown): Rec {
    const o = this.record(v);
    const out: Rec = {};
    let n = 0;
    for (const k in o) {
      n++;
      if (k === '__proto__') this.unknown(k, o[k]);
      else {
        this.strs.push(k);
        this.size += 1;
        out[k] = this.expr(o[k]);
      }
    }
    this.closeSeen(n);
    return out;
  }

  protected outputSchema(v: unknown): Rec {
    const o = this.record(v);
    const out: Rec = {};
    let n = 0;
    for (const k in o) {
      n++;
      this.strs.push(k);
      this.size += 1;
      const x = this.any(o[k], 1);
      if (k !== '__proto__') out[k] = x;
    }
    this.closeSeen(n);
    return out;
  }

  protected position(v: unknown): Rec {
    const o = this.object(v);
    let x: number | undefined;
    let y: number | undefined;
    let n = 0;
    for (const k in o) {
      n++;
      if (k === 'x') x = this.num(o[k], -Infinity, Infinity);
      else if (k === 'y') y = this.num(o[k], -Infinity, Infinity);
      else {
        this.unknown(k, o[k]);
        continue;
      }
      this.key(k);
    }
    this.closeSeen(n);
    if (x === undefined || y === undefined) return miss();
    return { x, y };
  }

  protected messages(v: unknown): Rec[] {
    const a = this.array(v, 0, LIMITS.maxMessages);
    const out: Rec[] = new Array(a.length);
    for (let i = 0; i < a.length; i++) {
      const o = this.object(a[i]);
      let role: string | undefined;
      let content: string | undefined;
      let n = 0;
      for (const k in o) {
        n++;
        if (k === 'role') role = this.oneOf(o[k], ROLES);
        else if (k === 'content') content = this.text(o[k]);
        else {
          this.unknown(k, o[k]);
          continue;
        }
        this.key(k);
      }
      this.closeSeen(n);
      if (role === undefined || content === undefined) return miss();
      out[i] = { role, content };
    }
    return out;
  }

  protected selection(v: unknown): Rec {
    const o = this.object(v);
    let models: Rec[] | undefined;
    let maxP95Ms: number | undefined;
    let minSuccessRate: number | undefined;
    let n = 0;
    for (const k in o) {
      n++;
      const x = o[k];
      if (k === 'models') models = this.modelRefs(x, 1, 20);
      else if (k === 'maxP95Ms') maxP95Ms = this.num(x, Number.MIN_VALUE, Infinity);
      else if (k === 'minSuccessRate') minSuccessRate = this.num(x, 0, 1);
      else {
        this.unknown(k, x);
        continue;
      }
      this.key(k);
    }
    this.close(o, n);
    if (models === undefined) return miss();
    const out: Rec = { models };
    if (maxP95Ms !== undefined) out.maxP95Ms = maxP95Ms;
    if (minSuccessRate !== undefined) out.minSuccessRate = minSuccessRate;
    return out;
  }

  protected inputFields(v: unknown): Rec[] {
    const a = this.array(v, 0, 100);
    const out: Rec[] = [];
    for (let i = 0; i < a.length; i++) {
      const o = this.object(a[i]);
      let name: string | undefined;
      let type: string | undefined;
      let required: boolean | undefined;
      let dflt: unknown;
      let description: string | undefined;
      let seen = 0;
      let n = 0;
      for (const k in o) {
        n++;
        const x = o[k];
        if (k === 'name') name = this.ident(x, Infinity);
        else if (k === 'type') {
          type = this.oneOf(x, FIELD_TYPES);
          seen |= 1;
        } else if (k === 'required') {
          required = this.bool(x);
          seen |= 2;
        } else if (k === 'default') {
          dflt = this.any(x, 0);
          seen |= 4;
        } else if (k === 'description') {
          description = this.text(x);
          seen |= 8;
        } else {
          this.unknown(k, x);
          continue;
        }
        this.key(k);
      }
      this.close(o, n);
      if (name === undefined) return miss();
      const f: Rec = { name, type: type ?? 'string' };
      if (required !== undefined) f.required = required;
      if (seen & 4) f.default = dflt;
      if (description !== undefined) f.description = description;
      out.push(f);
    }
    return out;
  }
}

const MAX_DEPTH = 100;
export const DAY_MS = 86_400_000;
const REDUCERS = ['replace', 'append', 'sum', 'merge'];
const FIELD_TYPES = ['string', 'number', 'boolean', 'json'];
const ROLES = ['user', 'assistant', 'system'];
const RETRY_KEYS = [
  'maxAttempts',
  'baseDelayMs',
  'multiplier',
  'maxDelayMs',
  'jitter',
  'maxTotalMs',
  'maxRetryAfterMs',
];
const RETRY_BOUNDS = [1, 20, 0, 600_000, 1, 10, 0, 3_600_000, 0, 1, 0, 86_400_000, 0, 3_600_000];
