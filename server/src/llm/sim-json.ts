/**
 * Deterministic JSON that satisfies a JSON Schema, for the simulated provider. It covers what
 * block output schemas use (types, properties/required, items, enum/const, bounds, anyOf/oneOf/
 * allOf, local $ref) and borrows words and numbers from the prompt so replies read plausibly
 * ("people": ["Ada", "Lovelace"], "years": [1843]). Exotic keywords (pattern, multipleOf on
 * decimals, if/then) are not solved: the service's validation then reports invalid_output, which
 * is what a real model's miss would produce too.
 */

export type Rand = () => number;

type Schema = Record<string, unknown>;

/** FNV-1a, 32 bits: a stable seed from text. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const FALLBACK_WORDS = [
  'alpha',
  'beta',
  'gamma',
  'delta',
  'summary',
  'result',
  'item',
  'value',
  'example',
  'note',
];

export interface PromptMaterial {
  readonly words: readonly string[];
  readonly numbers: readonly number[];
}

export function promptMaterial(text: string): PromptMaterial {
  const words = (text.match(/[A-Za-z][A-Za-z'-]{2,}/g) ?? []).slice(0, 200);
  const numbers = (text.match(/-?\d+(\.\d+)?/g) ?? []).slice(0, 50).map(Number);
  return { words: words.length > 0 ? words : FALLBACK_WORDS, numbers };
}

const MAX_DEPTH = 8;

function pick<T>(rand: Rand, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length) % xs.length] as T;
}

function resolveRef(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node && typeof node === 'object' ? (node as Schema)[key] : undefined;
  }
  return node && typeof node === 'object' ? (node as Schema) : undefined;
}

function typeOf(s: Schema): string | undefined {
  const t = s.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return (t.find((x) => x !== 'null') ?? t[0]) as string | undefined;
  if (s.properties || s.required) return 'object';
  if (s.items || s.prefixItems) return 'array';
  return undefined;
}

function stringValue(s: Schema, rand: Rand, m: PromptMaterial): string {
  switch (s.format) {
    case 'date':
      return '2024-05-17';
    case 'date-time':
      return '2024-05-17T09:30:00Z';
    case 'time':
      return '09:30:00Z';
    case 'email':
      return `${pick(rand, m.words).toLowerCase()}@example.com`;
    case 'uri':
    case 'url':
      return `https://example.com/${pick(rand, m.words).toLowerCase()}`;
    case 'uuid':
      return '123e4567-e89b-42d3-a456-426614174000';
  }
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = typeof s.maxLength === 'number' ? s.maxLength : Number.POSITIVE_INFINITY;
  let out = pick(rand, m.words);
  while (out.length < min) out += ` ${pick(rand, m.words)}`;
  return out.length > max ? out.slice(0, max) : out;
}

function numberValue(s: Schema, rand: Rand, m: PromptMaterial, integer: boolean): number {
  const lo =
    typeof s.minimum === 'number'
      ? s.minimum
      : typeof s.exclusiveMinimum === 'number'
        ? s.exclusiveMinimum + (integer ? 1 : 0.001)
        : undefined;
  const hi =
    typeof s.maximum === 'number'
      ? s.maximum
      : typeof s.exclusiveMaximum === 'number'
        ? s.exclusiveMaximum - (integer ? 1 : 0.001)
        : undefined;
  const fits = (n: number): boolean =>
    (!integer || Number.isInteger(n)) && (lo === undefined || n >= lo) && (hi === undefined || n <= hi);
  const fromPrompt = m.numbers.filter(fits);
  if (fromPrompt.length > 0) return pick(rand, fromPrompt);
  const a = lo ?? (hi !== undefined ? hi - 100 : 0);
  const b = hi ?? a + 100;
  const n = a + rand() * (b - a);
  if (integer) return Math.min(Math.max(Math.ceil(a), Math.round(n)), Math.floor(b));
  // Two decimals read better, unless rounding leaves the range (0.004 with exclusiveMinimum 0).
  const r = Math.round(n * 100) / 100;
  return r >= a && r <= b ? r : n;
}

/** A value valid against `schema` (for the schemas block outputs use), chosen by `rand`. */
export function generateFromSchema(root: Schema, rand: Rand, m: PromptMaterial): unknown {
  const gen = (s: Schema, depth: number): unknown => {
    if (depth > MAX_DEPTH) return null;
    if (typeof s.$ref === 'string') {
      const target = resolveRef(root, s.$ref);
      return target ? gen(target, depth + 1) : null;
    }
    if ('const' in s) return s.const;
    if (Array.isArray(s.enum) && s.enum.length > 0) return pick(rand, s.enum);
    const alt = (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined) as
      | Schema[]
      | undefined;
    if (alt && alt.length > 0) return gen({ ...s, anyOf: undefined, oneOf: undefined, ...alt[0] }, depth + 1);
    if (Array.isArray(s.allOf) && s.allOf.length > 0) {
      const merged: Schema = { ...s, allOf: undefined };
      const props: Schema = { ...((s.properties as Schema | undefined) ?? {}) };
      const required: unknown[] = [...((s.required as unknown[] | undefined) ?? [])];
      for (const part of s.allOf as Schema[]) {
        Object.assign(merged, part);
        Object.assign(props, (part.properties as Schema | undefined) ?? {});
        required.push(...((part.required as unknown[] | undefined) ?? []));
      }
      return gen({ ...merged, properties: props, required }, depth + 1);
    }
    switch (typeOf(s)) {
      case 'object': {
        const out: Record<string, unknown> = {};
        const props = (s.properties ?? {}) as Record<string, Schema>;
        for (const [k, sub] of Object.entries(props)) out[k] = gen(sub, depth + 1);
        for (const k of (s.required ?? []) as string[]) if (!(k in out)) out[k] = pick(rand, m.words);
        return out;
      }
      case 'array': {
        const min = typeof s.minItems === 'number' ? s.minItems : 1;
        const max = typeof s.maxItems === 'number' ? s.maxItems : Math.max(min, 3);
        const n = Math.min(max, Math.max(min, 1 + Math.floor(rand() * 3)));
        const prefix = (Array.isArray(s.prefixItems) ? s.prefixItems : []) as Schema[];
        const items = (s.items && typeof s.items === 'object' ? s.items : {}) as Schema;
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) out.push(gen(prefix[i] ?? items, depth + 1));
        if (s.uniqueItems === true) {
          const seen = new Set<string>();
          return out.filter((v) => !seen.has(JSON.stringify(v)) && seen.add(JSON.stringify(v)));
        }
        return out;
      }
      case 'string':
        return stringValue(s, rand, m);
      case 'integer':
        return numberValue(s, rand, m, true);
      case 'number':
        return numberValue(s, rand, m, false);
      case 'boolean':
        return rand() < 0.5;
      case 'null':
        return null;
      default:
        return stringValue(s, rand, m);
    }
  };
  return gen(root, 0);
}
