import { DEFAULT_RETRY, type ResolvedRecovery } from './compiled';
import { HashTag, HashWriter } from './hash-writer';
import type { Hash64 } from './hash64';
import { LIMITS } from './limits';
import type { Block, GraphDocument, SubGraph, Transition } from './schema';

/*
 * Block versions are hashed (64-bit, hash64.ts) straight from the parsed fields. The graph hash is
 * a SHA-256 over bytes written field by field (hash-writer.ts): the graph's settings, one row per
 * block (wiring and behaviour, no position or description) and one per transition.
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

/** Bumped whenever the layout below changes, so that an old and a new layout never meet. */
const LAYOUT = 'graph-hash/2';

const writer = new HashWriter();
const EMPTY = Object.freeze({});

/**
 * The bytes the graph's content hash is taken over: everything that affects execution (the graph's
 * settings, every block's wiring and behaviour, the transitions, the built-in defaults), without
 * positions and descriptions. `childHashes[i]` is the hash of composite block i's nested graph;
 * a transition's ends are written as block indexes (the ids are in the block rows). Free-form
 * records (output schemas, vars, assign and input maps) are written with their keys sorted, so
 * that key order does not matter. The view is valid until the next call.
 *
 * With `countEscapes`, hashEscapes() then tells how many characters JSON escapes add to the
 * document's strings: every string of a document without composites is written here exactly once,
 * except descriptions and what the schema drops (the fast parser measures those itself), and the
 * ends of a transition that name a block (ids have nothing to escape). A property test holds it.
 */
export function graphHashBytes(
  g: GraphDocument | SubGraph,
  childHashes: readonly (string | undefined)[],
  blockIndex: ReadonlyMap<string, number>,
  countEscapes = false,
): Uint8Array {
  const w = writer;
  w.reset(countEscapes);
  w.str(LAYOUT);
  w.str(BUILT_IN);
  w.escapes = 0;
  w.str(g.name ?? '');
  // Absent and empty settings mean the same: they hash the same.
  w.value(g.vars ?? EMPTY);
  w.value(g.defaults ?? EMPTY);
  w.value(g.limits ?? EMPTY);
  const blocks = g.blocks;
  w.count(blocks.length);
  for (let i = 0; i < blocks.length; i++) writeBlock(w, blocks[i] as Block, childHashes[i]);
  const transitions = g.transitions;
  w.count(transitions.length);
  for (let i = 0; i < transitions.length; i++) {
    const t = transitions[i] as Transition;
    w.str(t.id);
    const from = blockIndex.get(t.from);
    const to = blockIndex.get(t.to);
    // An end that names no block (only in a graph that does not compile) is written as its text.
    if (from === undefined) w.str(t.from);
    else w.count(from);
    if (to === undefined) w.str(t.to);
    else w.count(to);
    w.optStr(t.when);
    w.tag(t.else === undefined ? HashTag.Absent : t.else ? HashTag.True : HashTag.False);
    w.optStr(t.label);
  }
  return w.bytes();
}

/** The escapes counted by the last graphHashBytes call with `countEscapes`. */
export function hashEscapes(): number {
  return writer.escapes;
}

const TYPE_TAG = { input: 1, output: 2, transform: 3, llm: 4, composite: 5 } as const;

/** A block's row: wiring and behaviour, without position or description. */
function writeBlock(w: HashWriter, b: Block, childHash: string | undefined): void {
  w.str(b.id);
  w.str(b.name);
  w.count(TYPE_TAG[b.type]);
  w.optStr(b.routing);
  w.optStr(b.join);
  w.value(b.assign);
  w.optNum(b.timeoutMs);
  w.optNum(b.maxVisits);
  switch (b.type) {
    case 'input':
      w.value(b.fields);
      return;
    case 'output':
      w.optStr(b.value);
      return;
    case 'transform':
      w.str(b.expr);
      return;
    case 'composite':
      w.value(b.inputMap);
      w.optStr(childHash);
      return;
    case 'llm': {
      w.str(b.provider);
      w.str(b.model);
      w.value(b.selection);
      w.optStr(b.system);
      const messages = b.messages;
      w.count(messages.length);
      for (let i = 0; i < messages.length; i++) {
        const m = messages[i] as (typeof messages)[number];
        w.str(m.role);
        w.str(m.content);
      }
      w.value(b.outputSchema);
      w.optNum(b.temperature);
      w.optNum(b.maxTokens);
      w.optNum(b.topP);
      w.value(b.stop);
      w.value(b.recovery);
      return;
    }
  }
}
