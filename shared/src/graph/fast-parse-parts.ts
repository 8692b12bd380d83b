import { WalkerBase } from './fast-parse-base';
import type { Rec } from './fast-parse-keys';
import { miss } from './json-size';
import { LIMITS } from './limits';
import { ParsedMessage } from './records';
import { ID_PATTERN } from './schema';

/** The fast parser's small objects (see fast-parse.ts), each mirroring one zod schema in schema.ts. */
export class WalkerParts extends WalkerBase {
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
        initial = this.any(x, 0, false);
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
        this.textString(k);
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
      if (k === '__proto__') this.unknown(k, o[k]);
      else {
        this.textString(k);
        this.size += 1;
        out[k] = this.any(o[k], 1, false);
      }
    }
    this.closeSeen(n);
    return out;
  }

  protected position(v: unknown): Rec {
    const o = this.object(v);
    let x: number | undefined;
    let y: number | undefined;
    let firstX = false;
    let n = 0;
    for (const k in o) {
      n++;
      if (k === 'x') {
        x = this.num(o[k], -Infinity, Infinity);
        if (n === 1) firstX = true;
      } else if (k === 'y') y = this.num(o[k], -Infinity, Infinity);
      else {
        this.unknown(k, o[k]);
        continue;
      }
      this.key(k);
    }
    this.closeSeen(n);
    if (x === undefined || y === undefined) return miss();
    // Exactly {x, y} in that order (as almost every position is): the object itself is the result.
    if (n === 2 && firstX) return o;
    return { x, y };
  }

  protected messages(v: unknown): Rec[] {
    const a = this.array(v, 0, LIMITS.maxMessages);
    // A copy overwritten item by item (a slice has no allocation site: see records.ts).
    const out = a.slice() as Rec[];
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
      out[i] = new ParsedMessage(role, content);
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
          dflt = this.any(x, 0, false);
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
