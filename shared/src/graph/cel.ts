import { type ASTNode, Environment, type ParseResult } from '@marcbachmann/cel-js';

/**
 * CEL for conditions, transforms, `assign` and composite input maps. Expressions are parsed once,
 * at compile time; evaluation walks the parsed tree (no eval, no Function, no vm anywhere).
 *
 * The number boundary, decided once here:
 * - JSON numbers arrive in CEL as doubles. CEL keeps int and double apart, so `input.n + 1` would
 *   fail; we register mixed int/double arithmetic so that it works as a person expects.
 * - CEL integer results are BigInt; results are converted back to JS numbers (or to decimal
 *   strings when outside the safe-integer range) so that every value in the run state stays JSON.
 */

/** The roots an expression may read. `output` exists only in `assign` (the block's own output). */
export type ExprRoot = 'input' | 'out' | 'vars' | 'output';

const ARITH = ['+', '-', '*', '/', '%'] as const;
type Arith = (typeof ARITH)[number];
function arith(op: Arith, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
  }
}

function buildEnv(withOutput: boolean): Environment {
  const env = new Environment({
    homogeneousAggregateLiterals: false,
    enableOptionalTypes: true,
    limits: { maxAstNodes: 2_000, maxDepth: 64, maxListElements: 1_000, maxMapEntries: 1_000 },
  })
    .registerVariable('input', 'dyn')
    .registerVariable('out', 'map')
    .registerVariable('vars', 'map');
  if (withOutput) env.registerVariable('output', 'dyn');
  for (const op of ARITH) {
    env.registerOperator(`int ${op} double`, (a: bigint, b: number) => arith(op, Number(a), b));
    env.registerOperator(`double ${op} int`, (a: number, b: bigint) => arith(op, a, Number(b)));
  }
  env.registerOperator('double % double', (a: number, b: number) => a % b);
  return env;
}

let envPlain: Environment | undefined;
let envWithOutput: Environment | undefined;
function env(withOutput: boolean): Environment {
  if (withOutput) {
    envWithOutput ??= buildEnv(true);
    return envWithOutput;
  }
  envPlain ??= buildEnv(false);
  return envPlain;
}

export interface ExprReferences {
  /** Roots the expression reads. */
  readonly roots: ReadonlySet<string>;
  /** Block ids read as `out.<id>`; `all` when `out` is used in any other way (e.g. `out[x]`, `size(out)`). */
  readonly outRefs: readonly string[] | 'all';
  /** Var names read as `vars.<name>`; `all` when `vars` is used dynamically. */
  readonly varRefs: readonly string[] | 'all';
}

export interface ParsedExpr {
  readonly source: string;
  readonly program: ParseResult;
  readonly refs: ExprReferences;
}

export type ParseOutcome =
  | { ok: true; expr: ParsedExpr }
  | { ok: false; message: string; code: 'cel_syntax' | 'cel_unknown_root' };

// One cache per scope (with or without `output`), keyed by the text; it holds the outcome handed out.
const parseCache = new Map<string, ParseOutcome>();
const parseCacheWithOutput = new Map<string, ParseOutcome>();
const PARSE_CACHE_MAX = 20_000;

/** Forgets every parsed expression (the benchmark times a compile that has seen none). */
export function clearExpressionCache(): void {
  parseCache.clear();
  parseCacheWithOutput.clear();
}

/**
 * Parses (and type-checks) an expression. The result depends only on the text and on whether
 * `output` is in scope, so parsed programs are cached by that key: recompiling an edited graph
 * re-parses only the expressions that changed.
 */
export function parseExpr(source: string, withOutput = false): ParseOutcome {
  const cache = withOutput ? parseCacheWithOutput : parseCache;
  const cached = cache.get(source);
  if (cached) return cached;
  let program: ParseResult;
  try {
    program = env(withOutput).parse(source);
  } catch (e) {
    return { ok: false, code: 'cel_syntax', message: describeCelError(e, source) };
  }
  const refs = collectRefs(program.ast);
  const unknown = [...refs.roots].filter(
    (r) => r !== 'input' && r !== 'out' && r !== 'vars' && r !== 'output',
  );
  if (unknown.length > 0 || (!withOutput && refs.roots.has('output'))) {
    const name = unknown[0] ?? 'output';
    return {
      ok: false,
      code: 'cel_unknown_root',
      message: `Unknown name "${name}" in \`${source}\`: an expression reads only input, out.<blockId> and vars.<name>${withOutput ? ', and output' : ''}.`,
    };
  }
  try {
    const checked = program.check();
    if (!checked.valid && checked.error)
      return { ok: false, code: 'cel_syntax', message: describeCelError(checked.error, source) };
  } catch (e) {
    return { ok: false, code: 'cel_syntax', message: describeCelError(e, source) };
  }
  const outcome: ParseOutcome = { ok: true, expr: { source, program, refs } };
  if (cache.size >= PARSE_CACHE_MAX) cache.clear();
  cache.set(source, outcome);
  return outcome;
}

function collectRefs(ast: ASTNode): ExprReferences {
  const roots = new Set<string>();
  const out = new Set<string>();
  const vars = new Set<string>();
  let outAll = false;
  let varsAll = false;
  // Comprehension variables (e.g. `x` in `list.map(x, x * 2)`) are local names, not roots.
  const locals: string[] = [];
  const visit = (node: ASTNode, parentSelectsField: boolean): void => {
    switch (node.op) {
      case 'id': {
        const name = node.args;
        if (locals.includes(name)) return;
        roots.add(name);
        if (!parentSelectsField) {
          if (name === 'out') outAll = true;
          if (name === 'vars') varsAll = true;
        }
        return;
      }
      case '.':
      case '.?': {
        const [target, field] = node.args;
        if (target.op === 'id' && !locals.includes(target.args)) {
          roots.add(target.args);
          if (target.args === 'out') out.add(field);
          else if (target.args === 'vars') vars.add(field);
          return;
        }
        visit(target, false);
        return;
      }
      case 'value':
        return;
      case 'rcall': {
        const [fn, target, args] = node.args;
        // Macros bind their first argument as a local name: all, exists, exists_one, map, filter.
        const first = args[0];
        if (
          ['all', 'exists', 'exists_one', 'map', 'filter', 'existsOne'].includes(fn) &&
          first?.op === 'id'
        ) {
          visit(target, false);
          locals.push(first.args);
          for (const a of args.slice(1)) visit(a, false);
          locals.pop();
          return;
        }
        visit(target, false);
        for (const a of args) visit(a, false);
        return;
      }
      case 'call': {
        const [fn, args] = node.args;
        // has(out.x) reads a field selection; it must not count as a dynamic use of `out`.
        for (const a of args) visit(a, fn === 'has');
        return;
      }
      case 'list':
        for (const a of node.args) visit(a, false);
        return;
      case 'map':
        for (const [k, v] of node.args) {
          visit(k, false);
          visit(v, false);
        }
        return;
      case '!_':
      case '-_':
        visit(node.args, false);
        return;
      default: {
        const args = node.args as unknown;
        if (Array.isArray(args)) for (const a of args) if (isAst(a)) visit(a, false);
      }
    }
  };
  visit(ast, false);
  return { roots, outRefs: outAll ? 'all' : [...out], varRefs: varsAll ? 'all' : [...vars] };
}

function isAst(x: unknown): x is ASTNode {
  return typeof x === 'object' && x !== null && 'op' in x && 'args' in x;
}

/** Turns a cel-js error into a message that says what to change. */
export function describeCelError(e: unknown, source: string): string {
  const raw = e instanceof Error ? e.message : String(e);
  const first = raw.split('\n')[0] ?? raw;
  if (/no such overload/i.test(first) && /(int|double)/.test(first)) {
    return `${first} in \`${source}\`. CEL keeps whole numbers (int) and decimals (double) apart and JSON numbers are doubles: convert with int(x) or double(x), or write 2.0 instead of 2.`;
  }
  if (/no such key/i.test(first)) {
    return `${first} in \`${source}\`. Guard a field that may be missing with has(a.b), or read it with a.?b.orValue(default).`;
  }
  if (/unknown variable/i.test(first)) {
    return `${first} in \`${source}\`: an expression reads only input, out.<blockId> and vars.<name>.`;
  }
  return `${first} in \`${source}\``;
}

/** Converts a CEL result to a JSON-safe value: BigInt → number (or string past 2^53), Map → object. */
export function toJsonValue(value: unknown): unknown {
  switch (typeof value) {
    case 'bigint':
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : value.toString();
    case 'object':
      break;
    default:
      return value;
  }
  if (value === null || cleanValues.has(value)) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const c = toJsonValue(v);
      if (c !== v) {
        copy ??= value.slice();
        copy[i] = c;
      }
    }
    return copy ?? value;
  }
  if (value instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of value) o[String(k)] = toJsonValue(v);
    return o;
  }
  if (value instanceof Uint8Array) return Array.from(value);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    // cel-js wraps optionals and custom types; anything else is turned into its JSON form.
    if (typeof (value as { hasValue?: unknown }).hasValue === 'function') {
      const opt = value as { hasValue(): boolean; value(): unknown };
      return opt.hasValue() ? toJsonValue(opt.value()) : null;
    }
  }
  let copy: Record<string, unknown> | undefined;
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    const c = toJsonValue(v);
    if (c !== v) {
      copy ??= { ...(value as Record<string, unknown>) };
      copy[k] = c;
    }
  }
  return copy ?? value;
}

/**
 * Values already known to be JSON-safe (block outputs in the run state). A result that returns one
 * of them, or embeds one, is not walked again: a 1 MiB payload passes through a transform untouched.
 */
const cleanValues = new WeakSet<object>();
export function markJsonSafe(value: unknown): void {
  if (typeof value === 'object' && value !== null) cleanValues.add(value);
}

export class ExprEvaluationError extends Error {
  constructor(
    message: string,
    readonly source: string,
  ) {
    super(message);
    this.name = 'ExprEvaluationError';
  }
}

/** Evaluates a parsed expression against a context; errors become an ExprEvaluationError with a hint. */
export function evalExpr(expr: ParsedExpr, context: Record<string, unknown>): unknown {
  try {
    return toJsonValue(expr.program(context));
  } catch (e) {
    throw new ExprEvaluationError(describeCelError(e, expr.source), expr.source);
  }
}
