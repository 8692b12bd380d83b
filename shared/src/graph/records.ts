import type { ParsedExpr } from './cel';
import type {
  CompiledAssign,
  CompiledBlock,
  CompiledGraph,
  CompiledLlmBlock,
  CompiledMessage,
  CompiledTransition,
} from './compiled';
import type { Block, InputField, MessageTemplate } from './schema';
import type { ParsedTemplate, TemplatePart, TemplatePath } from './template';

/*
 * The objects a compile makes by the thousand (one or more per block and per transition) are made
 * by `new` on these functions, not by object literals. V8 tracks where each literal is allocated,
 * and when a garbage collection finds most of one site's objects still alive (as it does in the
 * middle of a compile, when everything made so far is part of the result) it allocates that
 * site's objects in the old generation from then on: every later compile then paid for old-space
 * allocation and write barriers (~40% slower, in whichever processes it happened to). Objects
 * made by `new` are never moved to the old generation that way.
 *
 * Each function's prototype is Object.prototype, so what it makes is a plain object, with its keys
 * in the order written here (the schema's order for parsed blocks and transitions).
 */

type Rec = Record<string, unknown>;

/** Makes a constructor's objects plain (their prototype is Object.prototype). */
function plain<T>(ctor: T): T {
  (ctor as { prototype: object }).prototype = Object.prototype;
  return ctor;
}

/** A parsed transition: every key present (undefined when absent), in the schema's order. */
export const ParsedTransition = plain(function (
  this: Rec,
  id: string,
  from: string,
  to: string,
  when: string | undefined,
  isElse: boolean | undefined,
  label: string | undefined,
) {
  this.id = id;
  this.from = from;
  this.to = to;
  this.when = when;
  this.else = isElse;
  this.label = label;
} as unknown as new (
  id: string,
  from: string,
  to: string,
  when: string | undefined,
  isElse: boolean | undefined,
  label: string | undefined,
) => Rec);

/*
 * Parsed blocks, one shape per type: the common keys, then the type's own, in the schema's order.
 * `v` holds the values by key index (fast-parse.ts, BLOCK_KEYS order). One function per type, alike
 * on purpose: a single function (or one made by a factory) would store into all five shapes from
 * one place, and those stores would no longer be monomorphic.
 */
type BlockValues = readonly unknown[];
type BlockCtor = new (v: BlockValues) => Rec;

/** The index of each block key in BLOCK_KEYS (fast-parse-keys.ts), where `v` holds its value. */
enum Key {
  id,
  name,
  description,
  position,
  routing,
  join,
  assign,
  timeoutMs,
  maxVisits,
  type,
  fields,
  value,
  provider,
  model,
  selection,
  system,
  messages,
  outputSchema,
  temperature,
  maxTokens,
  topP,
  stop,
  recovery,
  expr,
  inputMap,
  graph,
}

function common(o: Rec, v: BlockValues): void {
  o.id = v[Key.id];
  o.name = v[Key.name];
  o.description = v[Key.description];
  o.position = v[Key.position];
  o.routing = v[Key.routing];
  o.join = v[Key.join];
  o.assign = v[Key.assign];
  o.timeoutMs = v[Key.timeoutMs];
  o.maxVisits = v[Key.maxVisits];
}

export const ParsedLlmBlock = plain(function (this: Rec, v: BlockValues) {
  common(this, v);
  this.type = 'llm';
  this.provider = v[Key.provider];
  this.model = v[Key.model];
  this.selection = v[Key.selection];
  this.system = v[Key.system];
  this.messages = v[Key.messages];
  this.outputSchema = v[Key.outputSchema];
  this.temperature = v[Key.temperature];
  this.maxTokens = v[Key.maxTokens];
  this.topP = v[Key.topP];
  this.stop = v[Key.stop];
  this.recovery = v[Key.recovery];
} as unknown as BlockCtor);

export const ParsedTransformBlock = plain(function (this: Rec, v: BlockValues) {
  common(this, v);
  this.type = 'transform';
  this.expr = v[Key.expr];
} as unknown as BlockCtor);

export const ParsedInputBlock = plain(function (this: Rec, v: BlockValues) {
  common(this, v);
  this.type = 'input';
  this.fields = v[Key.fields];
} as unknown as BlockCtor);

export const ParsedOutputBlock = plain(function (this: Rec, v: BlockValues) {
  common(this, v);
  this.type = 'output';
  this.value = v[Key.value];
} as unknown as BlockCtor);

export const ParsedCompositeBlock = plain(function (this: Rec, v: BlockValues) {
  common(this, v);
  this.type = 'composite';
  this.inputMap = v[Key.inputMap];
  this.graph = v[Key.graph];
} as unknown as BlockCtor);

/** A message of a parsed LLM block. */
export const ParsedMessage = plain(function (this: Rec, role: string, content: string) {
  this.role = role;
  this.content = content;
} as unknown as new (
  role: string,
  content: string,
) => Rec);

/** A variable path of a prompt template. */
export const TemplatePathRecord = plain(function (
  this: Rec,
  root: string,
  segments: readonly (string | number)[],
  start: number,
  end: number,
) {
  this.root = root;
  this.segments = segments;
  this.start = start;
  this.end = end;
} as unknown as new (
  root: string,
  segments: readonly (string | number)[],
  start: number,
  end: number,
) => TemplatePath);

/** A parsed template (its parts: literal strings and paths). */
export const ParsedTemplateRecord = plain(function (this: Rec, parts: readonly TemplatePart[]) {
  this.parts = parts;
} as unknown as new (
  parts: readonly TemplatePart[],
) => ParsedTemplate);

export const CompiledTransitionRecord = plain(function (
  this: Rec,
  index: number,
  id: string,
  from: number,
  to: number,
  when: ParsedExpr | undefined,
  isElse: boolean,
  conditionHash: string,
) {
  this.index = index;
  this.id = id;
  this.from = from;
  this.to = to;
  this.when = when;
  this.isElse = isElse;
  this.conditionHash = conditionHash;
} as unknown as new (
  index: number,
  id: string,
  from: number,
  to: number,
  when: ParsedExpr | undefined,
  isElse: boolean,
  conditionHash: string,
) => CompiledTransition);

export const CompiledMessageRecord = plain(function (
  this: Rec,
  role: MessageTemplate['role'],
  template: ParsedTemplate,
) {
  this.role = role;
  this.template = template;
} as unknown as new (
  role: MessageTemplate['role'],
  template: ParsedTemplate,
) => CompiledMessage);

/** What every compiled block has, in the order each compiled block lists it (then its type's own). */
export interface BlockCommon {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly routing: 'first' | 'all';
  readonly join: 'any' | 'all';
  readonly joinAncestors: ReadonlySet<number> | undefined;
  readonly outgoing: readonly CompiledTransition[];
  readonly elseTransition: CompiledTransition | undefined;
  readonly assign: readonly CompiledAssign[];
  readonly timeoutMs: number | undefined;
  readonly maxVisits: number;
  readonly spec: Block;
}

function compiledCommon(o: Rec, c: BlockCommon): void {
  o.index = c.index;
  o.id = c.id;
  o.name = c.name;
  o.routing = c.routing;
  o.join = c.join;
  o.joinAncestors = c.joinAncestors;
  o.outgoing = c.outgoing;
  o.elseTransition = c.elseTransition;
  o.assign = c.assign;
  o.timeoutMs = c.timeoutMs;
  o.maxVisits = c.maxVisits;
  o.spec = c.spec;
}

/** A compiled block's version until the graph's hash is written (version.ts sets it then). */
const PENDING = '';

export const CompiledInputRecord = plain(function (this: Rec, c: BlockCommon, fields: readonly InputField[]) {
  compiledCommon(this, c);
  this.type = 'input';
  this.fields = fields;
  this.version = PENDING;
} as unknown as new (
  c: BlockCommon,
  fields: readonly InputField[],
) => CompiledBlock);

export const CompiledOutputRecord = plain(function (
  this: Rec,
  c: BlockCommon,
  value: ParsedExpr | undefined,
) {
  compiledCommon(this, c);
  this.type = 'output';
  this.value = value;
  this.version = PENDING;
} as unknown as new (
  c: BlockCommon,
  value: ParsedExpr | undefined,
) => CompiledBlock);

export const CompiledTransformRecord = plain(function (this: Rec, c: BlockCommon, expr: ParsedExpr) {
  compiledCommon(this, c);
  this.type = 'transform';
  this.expr = expr;
  this.version = PENDING;
} as unknown as new (
  c: BlockCommon,
  expr: ParsedExpr,
) => CompiledBlock);

/** What an LLM block's record takes beyond the common fields: its own, with the parameters flat. */
export type LlmParts = Pick<
  CompiledLlmBlock,
  'provider' | 'model' | 'selection' | 'system' | 'messages' | 'outputSchema' | 'recovery'
> & {
  readonly temperature: Params['temperature'];
  readonly maxTokens: Params['maxTokens'];
  readonly topP: Params['topP'];
  readonly stop: Params['stop'];
};
type Params = CompiledLlmBlock['params'];

/** An LLM block's sampling parameters. */
const LlmParams = plain(function (this: Rec, p: LlmParts) {
  this.temperature = p.temperature;
  this.maxTokens = p.maxTokens;
  this.topP = p.topP;
  this.stop = p.stop;
} as unknown as new (
  p: LlmParts,
) => Rec);

export const CompiledLlmRecord = plain(function (this: Rec, c: BlockCommon, p: LlmParts) {
  compiledCommon(this, c);
  this.type = 'llm';
  this.provider = p.provider;
  this.model = p.model;
  this.selection = p.selection;
  this.system = p.system;
  this.messages = p.messages;
  this.outputSchema = p.outputSchema;
  this.params = new LlmParams(p);
  this.recovery = p.recovery;
  this.version = PENDING;
} as unknown as new (
  c: BlockCommon,
  p: LlmParts,
) => CompiledBlock);

export const CompiledCompositeRecord = plain(function (
  this: Rec,
  c: BlockCommon,
  child: CompiledGraph,
  inputMap: readonly { readonly key: string; readonly expr: ParsedExpr }[] | undefined,
) {
  compiledCommon(this, c);
  this.type = 'composite';
  this.child = child;
  this.inputMap = inputMap;
  this.version = PENDING;
} as unknown as new (
  c: BlockCommon,
  child: CompiledGraph,
  inputMap: readonly { readonly key: string; readonly expr: ParsedExpr }[] | undefined,
) => CompiledBlock);
