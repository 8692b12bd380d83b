import { DEFAULT_RETRY, type ResolvedRecovery } from './compiled';
import { type Hash64, sortedKeys } from './hash64';
import { LIMITS } from './limits';
import type { Block, GraphDocument, SubGraph, Transition } from './schema';

/*
 * Block versions are hashed (64-bit, hash64.ts) straight from the parsed fields. The graph hash is
 * a SHA-256 over one JSON text built by a single JSON.stringify: the graph's settings, one row per
 * block (wiring and behaviour, no position or description) and one per transition. The parser fixes
 * the key order of every parsed object; free-form records (output schemas, var specs, assign and
 * input maps) go through canonicalValue, so that their key order does not matter.
 */

enum BlockTag {
  Input = 101,
  Output = 102,
  Transform = 103,
  Llm = 104,
  Composite = 105,
}

/**
 * A block's version: a hash of everything that changes what the block does (model, prompts, output
 * schema, parameters, recovery, timeout, expression), nothing that does not (id, name, position,
 * description, how it is wired). An LLM block's version includes its resolved recovery and timeout;
 * a composite's, the hash of its nested graph.
 */
export function blockVersion(
  h: Hash64,
  b: Block,
  recovery?: ResolvedRecovery,
  timeoutMs?: number,
  childHash?: string,
): string {
  switch (b.type) {
    case 'input':
      h.reset(BlockTag.Input);
      h.json(b.fields ?? []);
      break;
    case 'output':
      h.reset(BlockTag.Output);
      h.optStr(b.value);
      break;
    case 'transform':
      h.reset(BlockTag.Transform);
      h.str(b.expr);
      break;
    case 'llm': {
      h.reset(BlockTag.Llm);
      h.str(b.provider);
      h.str(b.model);
      h.json(b.selection ?? null);
      h.optStr(b.system);
      const messages = b.messages;
      h.unit(messages.length);
      for (let i = 0; i < messages.length; i++) {
        const m = messages[i] as (typeof messages)[number];
        h.str(m.role);
        h.str(m.content);
      }
      h.json(b.outputSchema ?? null);
      h.optNum(b.temperature);
      h.optNum(b.maxTokens);
      h.optNum(b.topP);
      h.json(b.stop ?? null);
      if (recovery) hashRecovery(h, recovery);
      else h.unit(0);
      h.optNum(timeoutMs);
      break;
    }
    case 'composite':
      h.reset(BlockTag.Composite);
      h.json(b.inputMap ?? null);
      h.optStr(childHash);
      break;
  }
  return h.hex();
}

function hashRecovery(h: Hash64, r: ResolvedRecovery): void {
  const t = r.retry;
  h.unit(1);
  h.num(t.maxAttempts);
  h.num(t.baseDelayMs);
  h.num(t.multiplier);
  h.num(t.maxDelayMs);
  h.num(t.jitter);
  h.num(t.maxTotalMs);
  h.num(t.maxRetryAfterMs);
  h.unit(r.fallback.length);
  for (const m of r.fallback) {
    h.str(m.provider);
    h.str(m.model);
  }
  h.num(r.repairAttempts);
}

/** The built-in defaults a compiled graph falls back to: they change what a graph does too. */
const BUILT_IN = JSON.stringify([
  DEFAULT_RETRY,
  LIMITS.defaultMaxIterations,
  LIMITS.defaultMaxVisitsPerBlock,
]);

/** How many characters JSON escapes add in a JSON text (each escape starts with a backslash). */
function escapesIn(json: string): number {
  let extra = 0;
  let i = json.indexOf('\\');
  while (i >= 0) {
    const unicode = json.charCodeAt(i + 1) === 117; // \uXXXX
    extra += unicode ? 5 : 1;
    i = json.indexOf('\\', i + (unicode ? 6 : 2));
  }
  return extra;
}

const BUILT_IN_ESCAPES = escapesIn(JSON.stringify([BUILT_IN]));

/**
 * The characters JSON escapes add to the document's own strings in a top-level hash text. Every
 * string of a document without composites is there exactly once, except descriptions and what the
 * schema drops (the fast parser measures those itself); the only other string with escapes is the
 * built-in defaults. Numbers, keys and enum values have none.
 */
export function hashTextEscapes(text: string): number {
  return escapesIn(text) - BUILT_IN_ESCAPES;
}

/*
 * Rows are arrays in a fixed order per block type; an absent field is written short: 0 where the
 * field holds a string, an object or a boolean (never 0 itself), -1 where it holds a number (all
 * of them are at least 0). Messages are written inline after their count.
 */
const NONE = 0;
const NO_NUMBER = -1;

/** A block's row in the graph hash text: wiring and behaviour, without position or description. */
function blockRow(b: Block, childHash: string | undefined): unknown[] {
  const assign = b.assign ? canonicalValue(b.assign) : NONE;
  const routing = b.routing ?? NONE;
  const join = b.join ?? NONE;
  const timeoutMs = b.timeoutMs ?? NO_NUMBER;
  const maxVisits = b.maxVisits ?? NO_NUMBER;
  switch (b.type) {
    case 'input':
      return [b.id, b.name, b.type, routing, join, assign, timeoutMs, maxVisits, b.fields ?? NONE];
    case 'output':
      return [b.id, b.name, b.type, routing, join, assign, timeoutMs, maxVisits, b.value ?? NONE];
    case 'transform':
      return [b.id, b.name, b.type, routing, join, assign, timeoutMs, maxVisits, b.expr];
    case 'composite': {
      const inputMap = b.inputMap ? canonicalValue(b.inputMap) : NONE;
      return [b.id, b.name, b.type, routing, join, assign, timeoutMs, maxVisits, inputMap, childHash ?? NONE];
    }
    case 'llm': {
      const schema = b.outputSchema === undefined ? NONE : canonicalValue(b.outputSchema);
      const temperature = b.temperature ?? NO_NUMBER;
      const maxTokens = b.maxTokens ?? NO_NUMBER;
      const topP = b.topP ?? NO_NUMBER;
      const messages = b.messages;
      const system = b.system ?? NONE;
      const selection = b.selection ?? NONE;
      const m = messages[0];
      // One message is the common case: a literal keeps the row packed and sized exactly (JSON.stringify
      // is slower on arrays with holes, and a growing array is copied as it grows).
      if (messages.length === 1 && m) {
        return [
          b.id,
          b.name,
          b.type,
          routing,
          join,
          assign,
          timeoutMs,
          maxVisits,
          b.provider,
          b.model,
          selection,
          system,
          1,
          m.role,
          m.content,
          schema,
          temperature,
          maxTokens,
          topP,
          b.stop ?? NONE,
          b.recovery ?? NONE,
        ];
      }
      const row = [b.id, b.name, b.type, routing, join, assign, timeoutMs, maxVisits, b.provider, b.model];
      row.push(selection, system, messages.length);
      for (const msg of messages) row.push(msg.role, msg.content);
      row.push(schema, temperature, maxTokens, topP, b.stop ?? NONE, b.recovery ?? NONE);
      return row;
    }
  }
}

/** A transition's row: id, ends, condition, else flag and label. */
function transitionRow(t: Transition): unknown[] {
  return [t.id, t.from, t.to, t.when ?? NONE, t.else ?? NONE, t.label ?? NONE];
}

/**
 * The text the graph's content hash is taken over: everything that affects execution (the graph's
 * settings, every block's wiring and behaviour, the transitions, the built-in defaults), without
 * positions and descriptions. `childHashes[i]` is the hash of composite block i's nested graph.
 * Each string of the graph (descriptions aside) is written exactly once: the document's size is
 * read off this text (hashTextEscapes), and a property test holds it to that.
 */
export function graphHashText(
  g: GraphDocument | SubGraph,
  childHashes: readonly (string | undefined)[],
): string {
  const blocks = g.blocks;
  const transitions = g.transitions;
  const rows: unknown[][] = [];
  for (let i = 0; i < blocks.length; i++) rows.push(blockRow(blocks[i] as Block, childHashes[i]));
  const transitionRows: unknown[][] = [];
  for (let i = 0; i < transitions.length; i++)
    transitionRows.push(transitionRow(transitions[i] as Transition));
  return JSON.stringify([
    BUILT_IN,
    g.name ?? '',
    canonicalValue(g.vars ?? {}),
    canonicalValue(g.defaults ?? {}),
    canonicalValue(g.limits ?? {}),
    rows,
    transitionRows,
  ]);
}

/**
 * A value JSON.stringify writes canonically: object keys in sorted order (integer-like keys come
 * first in any case), undefined properties left out, as canonicalJson does.
 */
export function canonicalValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(canonicalValue(value[i]));
    return out;
  }
  const keys = sortedKeys(value);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    // A "__proto__" key (an own property, as JSON.parse makes it) must stay a key, not a prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: canonicalValue(v), enumerable: true });
    else out[k] = canonicalValue(v);
  }
  return out;
}
