import {
  type CompiledBlock,
  type CompiledTransition,
  DEFAULT_RETRY,
  type ResolvedRecovery,
} from './compiled';
import { HashWriter } from './hash-writer';
import { HashTag } from './hash64';
import { LIMITS } from './limits';
import type { Block, GraphDocument, SubGraph, Transition } from './schema';

/*
 * The graph hash is a SHA-256 over bytes written field by field (hash-writer.ts): the graph's
 * settings, one row per block (wiring and behaviour, no position or description) and one per
 * transition. Each row holds its block's behaviour, which also feeds the block's 64-bit version
 * hash as it is written: both come out of one pass, once the graph has no errors.
 */

/** The seed of each block type's version (a version never equals another type's). */
enum BlockTag {
  Input = 101,
  Output = 102,
  Transform = 103,
  Llm = 104,
  Composite = 105,
}

/**
 * Writes what a block's version covers and returns the version: everything that changes what the
 * block does (model, prompts, output schema, parameters, recovery, timeout, expression), nothing
 * that does not (id, name, position, description, how it is wired). An LLM block's version includes
 * its resolved recovery and timeout; a composite's, the hash of its nested graph. The units (and
 * so the versions) are those of the earlier per-block hash: statistics recorded under a version
 * still match it.
 */
function writeBehaviour(
  w: HashWriter,
  b: Block,
  c: CompiledBlock,
  childHash: string | undefined,
  memo: RecoveryMemo,
): string {
  // Each case seeds its own version (a look-up by type name would be a megamorphic keyed load).
  switch (b.type) {
    case 'input':
      w.beginVersion(BlockTag.Input);
      w.json(b.fields ?? []);
      return w.endVersion();
    case 'output':
      w.beginVersion(BlockTag.Output);
      w.optStr(b.value);
      return w.endVersion();
    case 'transform':
      w.beginVersion(BlockTag.Transform);
      w.str(b.expr);
      return w.endVersion();
    case 'llm': {
      w.beginVersion(BlockTag.Llm);
      w.str(b.provider);
      w.str(b.model);
      w.json(b.selection ?? null);
      w.optStr(b.system);
      const messages = b.messages;
      w.unit(messages.length);
      for (let i = 0; i < messages.length; i++) {
        const m = messages[i] as (typeof messages)[number];
        w.str(m.role);
        w.str(m.content);
      }
      w.json(b.outputSchema ?? null);
      w.optNum(b.temperature);
      w.optNum(b.maxTokens);
      w.optNum(b.topP);
      w.json(b.stop ?? null);
      if (c.type === 'llm') writeResolved(w, c.recovery, c.timeoutMs, memo);
      else {
        // Stand-ins (tests) have no resolved recovery.
        w.unit(0);
        w.optNum(c.timeoutMs);
      }
      return w.endVersion();
    }
    case 'composite':
      w.beginVersion(BlockTag.Composite);
      w.json(b.inputMap ?? null);
      w.optStr(childHash);
      return w.endVersion();
  }
}

/** The last resolved recovery written and the units it fed (blocks without their own share one). */
interface RecoveryMemo {
  recovery: ResolvedRecovery | undefined;
  units: number[];
}

/**
 * The resolved recovery and timeout: they come from the block's own settings and the graph
 * defaults, both written elsewhere in the stream, so they feed only the version (no bytes, no
 * escapes counted).
 */
function writeResolved(
  w: HashWriter,
  r: ResolvedRecovery,
  timeoutMs: number | undefined,
  memo: RecoveryMemo,
): void {
  w.versionOnly = true;
  if (r === memo.recovery) w.mixUnits(memo.units);
  else {
    w.recording = [];
    const t = r.retry;
    w.unit(1);
    w.num(t.maxAttempts);
    w.num(t.baseDelayMs);
    w.num(t.multiplier);
    w.num(t.maxDelayMs);
    w.num(t.jitter);
    w.num(t.maxTotalMs);
    w.num(t.maxRetryAfterMs);
    w.unit(r.fallback.length);
    for (const m of r.fallback) {
      w.str(m.provider);
      w.str(m.model);
    }
    w.num(r.repairAttempts);
    memo.recovery = r;
    memo.units = w.recording;
    w.recording = undefined;
  }
  w.optNum(timeoutMs);
  w.versionOnly = false;
}

/** The built-in defaults a compiled graph falls back to: they change what a graph does too. */
const BUILT_IN = JSON.stringify([
  DEFAULT_RETRY,
  LIMITS.defaultMaxIterations,
  LIMITS.defaultMaxVisitsPerBlock,
]);

/** Changed whenever the layout below changes, so that an old and a new layout never meet. */
const LAYOUT = 'graph-hash/3';

const writer = new HashWriter();
const EMPTY = Object.freeze({});

/** Which block type a row holds. */
function typeUnit(type: Block['type']): number {
  switch (type) {
    case 'input':
      return 1;
    case 'output':
      return 2;
    case 'transform':
      return 3;
    case 'llm':
      return 4;
    case 'composite':
      return 5;
  }
}

/**
 * Writes the bytes the graph's content hash is taken over, and sets each compiled block's version
 * (compiledBlocks[i] is block i: the graph has no errors). Covered: everything that affects
 * execution (the graph's settings, every block's wiring and behaviour, the transitions, the
 * built-in defaults), not positions and descriptions. `childHashes[i]` is the hash of composite
 * block i's nested graph; a transition's ends are written as block indexes (the ids are in the
 * block rows). Free-form records are written with their keys sorted, so that key order does not
 * matter. The returned view is valid until the next call.
 *
 * With `countEscapes`, hashEscapes() then tells how many characters JSON escapes add to the
 * document's strings: every string of a document without composites is written here exactly once
 * (counted once), except descriptions and what the schema drops (the fast parser measures those
 * itself) and the ends of a transition that name a block (ids have nothing to escape). A property
 * test holds it to that.
 */
export function graphHashBytes(
  g: GraphDocument | SubGraph,
  childHashes: readonly (string | undefined)[],
  blockIndex: ReadonlyMap<string, number>,
  compiledBlocks: readonly CompiledBlock[],
  compiledTransitions: readonly CompiledTransition[],
  countEscapes = false,
): Uint8Array {
  const w = writer;
  w.reset(countEscapes);
  w.str(LAYOUT);
  w.str(BUILT_IN);
  w.escapes = 0;
  w.str(g.name ?? '');
  // Absent and empty settings mean the same: they hash the same.
  w.json(g.vars ?? EMPTY);
  w.json(g.defaults ?? EMPTY);
  w.json(g.limits ?? EMPTY);
  const blocks = g.blocks;
  const memo: RecoveryMemo = { recovery: undefined, units: [] };
  w.unit(blocks.length);
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i] as Block;
    const c = compiledBlocks[i] as CompiledBlock;
    w.str(b.id);
    w.str(b.name);
    w.unit(typeUnit(b.type));
    if (
      b.routing === undefined &&
      b.join === undefined &&
      b.assign === undefined &&
      b.timeoutMs === undefined &&
      b.maxVisits === undefined
    )
      w.absent(5);
    else {
      w.optStr(b.routing);
      w.optStr(b.join);
      w.optJson(b.assign);
      w.optNum(b.timeoutMs);
      w.optNum(b.maxVisits);
    }
    (c as { version: string }).version = writeBehaviour(w, b, c, childHashes[i], memo);
    // The block's own recovery: the version holds it resolved (with the graph defaults).
    if (b.type === 'llm') w.optJson(b.recovery);
  }
  const transitions = g.transitions;
  w.unit(transitions.length);
  for (let i = 0; i < transitions.length; i++) {
    const t = transitions[i] as Transition;
    w.str(t.id);
    // A compiled graph has every transition compiled, in order, with its ends' indexes.
    const c = compiledTransitions[i];
    writeEnd(w, t.from, c === undefined ? blockIndex.get(t.from) : c.from);
    writeEnd(w, t.to, c === undefined ? blockIndex.get(t.to) : c.to);
    if (t.when === undefined) w.unit(HashTag.Absent);
    else {
      w.unit(HashTag.String);
      const h = w.strHash64(t.when);
      // The condition's hash (branch statistics are kept by it): fastHash48 of its text.
      if (c !== undefined) (c as { conditionHash: string }).conditionHash = h.slice(0, 12);
    }
    w.unit(t.else === undefined ? HashTag.Absent : t.else ? HashTag.True : HashTag.False);
    w.optStr(t.label);
  }
  return w.bytes();
}

/** A transition's end: the block's index, or (in a graph that does not compile) the text itself. */
function writeEnd(w: HashWriter, id: string, at: number | undefined): void {
  if (at === undefined) w.optStr(id);
  else {
    w.unit(HashTag.Number);
    w.unit(at);
  }
}

/** The escapes counted by the last graphHashBytes call with `countEscapes`. */
export function hashEscapes(): number {
  return writer.escapes;
}
