import { BLOCK_KEYS, prototypesClean, type Rec } from './fast-parse-keys';
import { DAY_MS, WalkerParts } from './fast-parse-parts';
import { miss } from './json-size';
import { LIMITS } from './limits';
import {
  ParsedCompositeBlock,
  ParsedInputBlock,
  ParsedLlmBlock,
  ParsedOutputBlock,
  ParsedTransformBlock,
  ParsedTransition,
} from './records';
import type { GraphDocument } from './schema';

/**
 * A hand-written structural parser that accepts exactly what graphDocumentSchema accepts for plain
 * JSON data and returns what its safeParse returns (new objects with the schema's key order,
 * defaults filled in, unknown keys stripped), measuring the length of JSON.stringify(input) in the
 * same walk. On any doubt (a schema problem, or data that is not plain JSON) it returns undefined
 * and the caller takes the general path (JSON.stringify and zod), which also writes the
 * diagnostics. A property test checks that both agree on fuzzed documents.
 */
export interface FastParse {
  readonly doc: GraphDocument;
  /**
   * JSON.stringify(input).length without the escapes in the strings the top-level hash input holds:
   * the exact size is minSize plus the escapes counted as the hash is written (version.ts), or at
   * most minSize + 5 * textChars.
   */
  readonly minSize: number;
  readonly textChars: number;
  /** Whether the document has composites (whose nested graphs the top-level hash input leaves out). */
  readonly nested: boolean;
}

export function fastParseGraph(input: object): FastParse | undefined {
  if (!prototypesClean()) return undefined;
  const w = new Walker();
  try {
    const doc = w.document(input);
    w.finish();
    return { doc, minSize: w.size, textChars: w.textChars, nested: w.nested };
  } catch {
    // A miss, or anything odd (a getter that throws, a stack overflow): the general path runs on
    // the same input and reports it as it always has.
    return undefined;
  }
}

interface GraphBody {
  vars?: Rec;
  defaults?: Rec;
  limits?: Rec;
  blocks?: Rec[];
  transitions?: Rec[];
}

const ROUTINGS = ['first', 'all'];
const JOINS = ['any', 'all'];
const LIMIT_KEYS = ['maxIterations', 'maxVisitsPerBlock', 'deadlineMs'];
const LIMIT_BOUNDS = [1, 10_000_000, 1, 1_000_000, 1, DAY_MS];
const BUDGET_KEYS = ['maxCostUsd', 'maxLatencyMs'];
const BUDGET_BOUNDS = [0, Infinity, 0, Infinity];

// One bit per block key (1 << its index), and the keys of each block type.
enum K {
  id = 1 << 0,
  name = 1 << 1,
  description = 1 << 2,
  position = 1 << 3,
  routing = 1 << 4,
  join = 1 << 5,
  assign = 1 << 6,
  timeoutMs = 1 << 7,
  maxVisits = 1 << 8,
  type = 1 << 9,
  fields = 1 << 10,
  value = 1 << 11,
  provider = 1 << 12,
  model = 1 << 13,
  selection = 1 << 14,
  system = 1 << 15,
  messages = 1 << 16,
  outputSchema = 1 << 17,
  temperature = 1 << 18,
  maxTokens = 1 << 19,
  topP = 1 << 20,
  stop = 1 << 21,
  recovery = 1 << 22,
  expr = 1 << 23,
  inputMap = 1 << 24,
  graph = 1 << 25,
}
const BASE = (1 << 10) - 1;
const LLM =
  BASE |
  K.provider |
  K.model |
  K.selection |
  K.system |
  K.messages |
  K.outputSchema |
  K.temperature |
  K.maxTokens |
  K.topP |
  K.stop |
  K.recovery;
const REQUIRED = K.id | K.name | K.type;

function typeMask(type: unknown): number {
  switch (type) {
    case 'llm':
      return LLM;
    case 'transform':
      return BASE | K.expr;
    case 'input':
      return BASE | K.fields;
    case 'output':
      return BASE | K.value;
    case 'composite':
      return BASE | K.inputMap | K.graph;
    default:
      return miss();
  }
}

function requiredOf(type: unknown): number {
  switch (type) {
    case 'llm':
      return REQUIRED | K.provider | K.model | K.messages;
    case 'transform':
      return REQUIRED | K.expr;
    case 'composite':
      return REQUIRED | K.graph;
    default:
      return REQUIRED;
  }
}

class Walker extends WalkerParts {
  document(v: object): GraphDocument {
    const o = this.object(v);
    let schemaVersion: unknown;
    let name: string | undefined;
    let description: string | undefined;
    let budget: Rec | undefined;
    const body: GraphBody = {};
    let n = 0;
    for (const k in o) {
      n++;
      const x = o[k];
      switch (k) {
        case 'schemaVersion':
          if (x !== 1) return miss();
          this.size += 1;
          schemaVersion = x;
          break;
        case 'name':
          name = this.name(x);
          break;
        case 'description':
          description = this.description(x, 10_000);
          break;
        case 'budget':
          budget = this.numbers(x, BUDGET_KEYS, BUDGET_BOUNDS, 0);
          break;
        default:
          if (!this.bodyKey(k, x, body)) {
            this.unknown(k, x);
            continue;
          }
      }
      this.key(k);
    }
    this.close(o, n);
    if (schemaVersion === undefined || name === undefined) return miss();
    if (body.blocks === undefined || body.transitions === undefined) return miss();
    const out: Rec = { schemaVersion, name };
    if (description !== undefined) out.description = description;
    if (budget !== undefined) out.budget = budget;
    assignBody(out, body);
    return out as unknown as GraphDocument;
  }

  private subGraph(v: unknown): Rec {
    const o = this.object(v);
    let name: string | undefined;
    const body: GraphBody = {};
    let n = 0;
    for (const k in o) {
      n++;
      const x = o[k];
      if (k === 'name') name = this.name(x);
      else if (!this.bodyKey(k, x, body)) {
        this.unknown(k, x);
        continue;
      }
      this.key(k);
    }
    this.close(o, n);
    if (body.blocks === undefined || body.transitions === undefined) return miss();
    if (name === undefined && 'name' in o) return miss();
    const out: Rec = {};
    if (name !== undefined) out.name = name;
    assignBody(out, body);
    return out;
  }

  /** vars, defaults, limits, blocks and transitions, shared by documents and nested graphs. */
  private bodyKey(k: string, x: unknown, body: GraphBody): boolean {
    switch (k) {
      case 'blocks': {
        const a = this.array(x, 0, LIMITS.maxBlocks);
        // Copies overwritten item by item (a slice has no allocation site: see records.ts).
        const blocks = a.slice() as Rec[];
        for (let i = 0; i < a.length; i++) blocks[i] = this.block(a[i]);
        body.blocks = blocks;
        return true;
      }
      case 'transitions': {
        const a = this.array(x, 0, LIMITS.maxTransitions);
        const transitions = a.slice() as Rec[];
        for (let i = 0; i < a.length; i++) transitions[i] = this.transition(a[i]);
        body.transitions = transitions;
        return true;
      }
      case 'vars':
        body.vars = this.vars(x);
        return true;
      case 'defaults':
        body.defaults = this.defaults(x);
        return true;
      case 'limits':
        body.limits = this.numbers(x, LIMIT_KEYS, LIMIT_BOUNDS, 7);
        return true;
      default:
        return false;
    }
  }

  private transition(v: unknown): Rec {
    const o = this.object(v);
    let id: string | undefined;
    let from: string | undefined;
    let to: string | undefined;
    let when: string | undefined;
    let isElse: boolean | undefined;
    let label: string | undefined;
    let n = 0;
    for (const k in o) {
      n++;
      const x = o[k];
      switch (k) {
        case 'id':
          id = this.str(x, 1, LIMITS.maxIdLength);
          break;
        case 'from':
          from = this.text(x);
          break;
        case 'to':
          to = this.text(x);
          break;
        case 'when':
          when = this.expr(x);
          break;
        case 'else':
          isElse = this.bool(x);
          break;
        case 'label':
          label = this.name(x);
          break;
        default:
          this.unknown(k, x);
          continue;
      }
      this.key(k);
    }
    this.closeSeen(n);
    if (id === undefined || from === undefined || to === undefined) return miss();
    // The optional keys not seen must be absent (not hidden: see close).
    if ((when === undefined && 'when' in o) || (isElse === undefined && 'else' in o)) return miss();
    if (label === undefined && 'label' in o) return miss();
    // Every transition has one shape (absent keys are undefined), as blocks of a type do.
    return new ParsedTransition(id, from, to, when, isElse, label);
  }

  /** A block: the discriminated union on `type`; each option has the common keys and its own. */
  private block(v: unknown): Rec {
    const o = this.object(v);
    const type = o.type;
    const mask = typeMask(type);
    // A block's values wait here (by key bit) until its keys are known; nested graphs have their own.
    const depth = this.blockDepth++;
    let values = this.blockValues[depth];
    if (!values) {
      values = new Array<unknown>(BLOCK_KEYS.length).fill(undefined);
      this.blockValues[depth] = values;
    }
    let seen = 0;
    let n = 0;
    for (const k in o) {
      n++;
      const x = o[k];
      let bit: number;
      let value: unknown;
      switch (k) {
        case 'id':
          bit = K.id;
          value = this.ident(x, LIMITS.maxIdLength);
          break;
        case 'name':
          bit = K.name;
          value = this.name(x);
          break;
        case 'type':
          bit = K.type;
          value = x;
          this.size += (x as string).length + 2;
          break;
        case 'position':
          bit = K.position;
          value = this.position(x);
          break;
        case 'description':
          bit = K.description;
          value = this.description(x, 10_000);
          break;
        case 'routing':
          bit = K.routing;
          value = this.oneOf(x, ROUTINGS);
          break;
        case 'join':
          bit = K.join;
          value = this.oneOf(x, JOINS);
          break;
        case 'assign':
          bit = K.assign;
          value = this.exprRecord(x);
          break;
        case 'timeoutMs':
          bit = K.timeoutMs;
          value = this.num(x, 1, DAY_MS, true);
          break;
        case 'maxVisits':
          bit = K.maxVisits;
          value = this.num(x, 1, 1_000_000, true);
          break;
        default:
          bit = this.typedField(k, x, mask);
          if (bit === 0) {
            this.unknown(k, x);
            continue;
          }
          value = this.fieldValue;
      }
      this.key(k);
      seen |= bit;
      values[31 - Math.clz32(bit)] = value;
    }
    this.close(o, n);
    const required = requiredOf(type);
    if ((seen & required) !== required) return miss();
    const out = blockOf(type as string, values);
    // Clears what this block set, for the next block at this depth.
    for (let rest = seen; rest !== 0; rest &= rest - 1) values[31 - Math.clz32(rest & -rest)] = undefined;
    this.blockDepth--;
    return out;
  }

  private fieldValue: unknown;
  private blockDepth = 0;
  private readonly blockValues: unknown[][] = [];

  /** A key of one block type: its bit (0 when this type has no such key), the value in fieldValue. */
  private typedField(k: string, x: unknown, mask: number): number {
    let bit: number;
    switch (k) {
      case 'provider':
      case 'model':
        bit = k === 'provider' ? K.provider : K.model;
        if (mask & bit) this.fieldValue = this.str(x, 1, Infinity);
        break;
      case 'messages':
        bit = K.messages;
        if (mask & bit) this.fieldValue = this.messages(x);
        break;
      case 'system':
        bit = K.system;
        if (mask & bit) this.fieldValue = this.text(x);
        break;
      case 'expr':
      case 'value':
        bit = k === 'expr' ? K.expr : K.value;
        if (mask & bit) this.fieldValue = this.expr(x);
        break;
      case 'outputSchema':
        bit = K.outputSchema;
        if (mask & bit) this.fieldValue = this.outputSchema(x);
        break;
      case 'temperature':
        bit = K.temperature;
        if (mask & bit) this.fieldValue = this.num(x, 0, 2);
        break;
      case 'maxTokens':
        bit = K.maxTokens;
        if (mask & bit) this.fieldValue = this.num(x, 1, 1_000_000, true);
        break;
      case 'topP':
        bit = K.topP;
        if (mask & bit) this.fieldValue = this.num(x, 0, 1);
        break;
      case 'stop':
        bit = K.stop;
        if (mask & bit) {
          const a = this.array(x, 0, 4);
          const stop: string[] = [];
          for (let i = 0; i < a.length; i++) stop.push(this.text(a[i]));
          this.fieldValue = stop;
        }
        break;
      case 'selection':
        bit = K.selection;
        if (mask & bit) this.fieldValue = this.selection(x);
        break;
      case 'recovery':
        bit = K.recovery;
        if (mask & bit) this.fieldValue = this.recovery(x);
        break;
      case 'fields':
        bit = K.fields;
        if (mask & bit) this.fieldValue = this.inputFields(x);
        break;
      case 'inputMap':
        bit = K.inputMap;
        if (mask & bit) this.fieldValue = this.exprRecord(x);
        break;
      case 'graph':
        bit = K.graph;
        if (mask & bit) {
          this.nested = true;
          this.fieldValue = this.subGraph(x);
        }
        break;
      default:
        return 0;
    }
    return mask & bit;
  }
}

/**
 * A parsed block: one object shape per block type, every key of the type present (undefined when
 * absent) in the schema's order, so that the compiler's many reads of blocks stay monomorphic
 * (blocks with different sets of keys made them megamorphic). `v` holds the values by key index.
 */
function blockOf(type: string, v: readonly unknown[]): Rec {
  switch (type) {
    case 'llm':
      return new ParsedLlmBlock(v);
    case 'transform':
      return new ParsedTransformBlock(v);
    case 'input':
      return new ParsedInputBlock(v);
    case 'output':
      return new ParsedOutputBlock(v);
    default:
      return new ParsedCompositeBlock(v);
  }
}

function assignBody(out: Rec, body: GraphBody): void {
  if (body.vars !== undefined) out.vars = body.vars;
  if (body.defaults !== undefined) out.defaults = body.defaults;
  if (body.limits !== undefined) out.limits = body.limits;
  out.blocks = body.blocks;
  out.transitions = body.transitions;
}
