import { analyzeBlocks, parseChecked } from './analyze-blocks';
import { initialFor } from './analyze-helpers';
import type { CompiledGraph, CompiledTransition, CompiledVar } from './compiled';
import type { RefScope } from './expr-checks';
import type { Sha256Hex } from './hash';
import type { DiagnosticCollector } from './issues';
import { LIMITS } from './limits';
import { checkParallelWrites } from './parallel';
import { CompiledTransitionRecord } from './records';
import type { Block, GraphDocument, SubGraph, Transition } from './schema';
import { type Adjacency, computeTopology, reachableFrom } from './topology';
import { graphHashBytes, hashEscapes } from './version';

export interface AnalyzeOptions {
  readonly sha256: Sha256Hex;
  /** For a document whose size the fast parser could only bound: settles it (see KeptEscapes). */
  readonly keep?: KeptEscapes | undefined;
}

/**
 * The document's JSON size is the fast parser's minimum plus the escapes its text strings need, at
 * most 5 a character. The ends of a transition that name a block are text the parser could not
 * tell from any other, but a block id has nothing to escape: without them the bound may settle the
 * size. Otherwise the escapes are counted as the graph's hash is written (when it compiles).
 */
export interface KeptEscapes {
  /** In: the characters of the text strings (fast-parse.ts). */
  readonly textChars: number;
  /** In: how many text characters the limit leaves room for, at 5 escapes each. */
  readonly allowance: number;
  /** Out: set when the text left once the transitions' ends are taken out is within the allowance. */
  withinLimit?: boolean;
  /** Out: else the escapes JSON adds to the top-level graph's strings, when it compiles. */
  escapes?: number;
}

/**
 * The index of the block with this id: one of the guesses a, b, c (-1 or past the end: none) when
 * its id matches (only when ids are unique, `ids` given), else blockIndex's.
 */
function locateBlock(
  id: string,
  ids: readonly Block[] | undefined,
  blockIndex: ReadonlyMap<string, number>,
  a: number,
  b: number,
  c: number,
): number | undefined {
  if (ids !== undefined) {
    const n = ids.length;
    if (a >= 0 && a < n && (ids[a] as Block).id === id) return a;
    if (b >= 0 && b < n && (ids[b] as Block).id === id) return b;
    if (c >= 0 && c < n && (ids[c] as Block).id === id) return c;
  }
  return blockIndex.get(id);
}

/**
 * Checks one graph level (recursing into composites) and, when it has no errors, builds its
 * compiled form. Validation and compilation are one pass, so `compile` succeeds exactly when
 * `validate` reports no errors.
 */
export function analyzeGraph(
  g: GraphDocument | SubGraph,
  dc: DiagnosticCollector,
  depth: number,
  opts: AnalyzeOptions,
): CompiledGraph | undefined {
  const startErrors = dc.errorCount;
  const blocks = g.blocks;
  const n = blocks.length;

  // Ids.
  const blockIndex = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const b = blocks[i] as Block;
    // One look-up per block: an id seen before leaves the size as it was (and gets its first
    // block's index back).
    const size = blockIndex.size;
    blockIndex.set(b.id, i);
    if (blockIndex.size === size) {
      blockIndex.set(
        b.id,
        blocks.findIndex((x) => x.id === b.id),
      );
      dc.add('duplicate_block_id', `Two blocks have the id "${b.id}": give each block its own id.`, {
        path: ['blocks', i, 'id'],
        blockId: b.id,
      });
    }
  }

  // Transitions. The valid ones (both ends known) are kept as three parallel lists.
  const transitions = g.transitions;
  const transitionIds = new Set<string>();
  const elseSeen = new Uint8Array(n);
  const validTi = new Int32Array(transitions.length);
  const validFrom = new Int32Array(transitions.length);
  const validTo = new Int32Array(transitions.length);
  const outDegree = new Int32Array(n);
  let validCount = 0;
  // Where the last transition started and ended (-1: nowhere known), to guess the next one's ends.
  const ids = blockIndex.size === n ? blocks : undefined;
  let lastFrom = -1;
  let lastTo = -1;
  // Characters of transition ends that name a block (for KeptEscapes).
  let endChars = 0;
  for (let ti = 0; ti < transitions.length; ti++) {
    const t = transitions[ti] as Transition;
    const idCount = transitionIds.size;
    transitionIds.add(t.id);
    if (transitionIds.size === idCount) {
      dc.add('duplicate_transition_id', `Two transitions have the id "${t.id}": give each its own id.`, {
        path: ['transitions', ti],
        transitionId: t.id,
      });
    }
    // Transitions are mostly listed as the graph was drawn: out of the block the last one left or
    // entered, or the block after it, into the block after the last target or the same one. Those
    // are tried before a look-up.
    const from = locateBlock(t.from, ids, blockIndex, lastFrom, lastTo, lastFrom + 1);
    const to = locateBlock(t.to, ids, blockIndex, lastTo + 1, lastTo, -1);
    lastFrom = from ?? -1;
    lastTo = to ?? -1;
    if (from === undefined) {
      dc.add(
        'unknown_transition_source',
        `Transition "${t.id}" starts at "${t.from}", which is not a block of this graph: connect it to an existing block or delete it.`,
        { path: ['transitions', ti, 'from'], transitionId: t.id },
      );
    }
    if (to === undefined) {
      dc.add(
        'unknown_transition_target',
        `Transition "${t.id}" goes to "${t.to}", which is not a block of this graph: connect it to an existing block or delete it.`,
        { path: ['transitions', ti, 'to'], transitionId: t.id },
      );
    }
    if (t.else && t.when !== undefined) {
      dc.add(
        'else_with_condition',
        `Transition "${t.id}" is an else transition and also has a condition: remove one of the two.`,
        { path: ['transitions', ti, 'when'], transitionId: t.id },
      );
    }
    if (from === undefined || to === undefined) continue;
    endChars += t.from.length + t.to.length;
    if (t.else) {
      if (elseSeen[from]) {
        dc.add('multiple_else', `Block "${t.from}" has more than one else transition: keep one.`, {
          path: ['transitions', ti],
          transitionId: t.id,
          blockId: t.from,
        });
      }
      elseSeen[from] = 1;
    }
    validTi[validCount] = ti;
    validFrom[validCount] = from;
    validTo[validCount] = to;
    validCount++;
    outDegree[from] = (outDegree[from] as number) + 1;
  }
  const keep = depth === 0 ? opts.keep : undefined;
  if (keep && keep.textChars - endChars <= keep.allowance) keep.withinLimit = true;

  // Successors, in transition order, as one list sorted by block (no list per block).
  const succStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) succStart[i + 1] = (succStart[i] as number) + (outDegree[i] as number);
  const succTo = new Int32Array(validCount);
  const succFill = succStart.slice(0, n);
  for (let k = 0; k < validCount; k++) {
    const from = validFrom[k] as number;
    succTo[succFill[from] as number] = validTo[k] as number;
    succFill[from] = (succFill[from] as number) + 1;
  }
  const succ: Adjacency = { start: succStart, to: succTo };

  // Input and output blocks.
  const inputs: number[] = [];
  const outputs: number[] = [];
  for (let i = 0; i < n; i++) {
    const type = (blocks[i] as Block).type;
    if (type === 'input') inputs.push(i);
    else if (type === 'output') outputs.push(i);
  }
  if (inputs.length === 0)
    dc.add('missing_input', 'The graph has no input block: add one where the run starts.', {
      path: ['blocks'],
    });
  for (let k = 1; k < inputs.length; k++) {
    const i = inputs[k] as number;
    dc.add(
      'multiple_inputs',
      'The graph has more than one input block: keep exactly one where the run starts.',
      { path: ['blocks', i], blockId: blocks[i]?.id },
    );
  }
  if (outputs.length === 0)
    dc.add('missing_output', 'The graph has no output block: add one where the run ends.', {
      path: ['blocks'],
    });
  const inputIndex = inputs[0];
  for (let k = 0; k < validCount; k++) {
    const ti = validTi[k] as number;
    const t = transitions[ti] as Transition;
    if (validTo[k] === inputIndex)
      dc.add(
        'input_has_incoming',
        `Transition "${t.id}" goes into the input block: a run starts there, so nothing can lead into it. Point it at another block.`,
        { path: ['transitions', ti], transitionId: t.id },
      );
    if (blocks[validFrom[k] as number]?.type === 'output')
      dc.add(
        'output_has_outgoing',
        `Transition "${t.id}" leaves output block "${t.from}": a run ends at an output block. Move the output to the end.`,
        { path: ['transitions', ti], transitionId: t.id },
      );
  }

  // Reachability from the input block.
  if (inputIndex !== undefined) {
    const reachable = reachableFrom(inputIndex, succ, n);
    let outputReached = false;
    for (const o of outputs) if (reachable[o]) outputReached = true;
    if (outputs.length > 0 && !outputReached) {
      dc.add(
        'no_reachable_output',
        'No output block can be reached from the input block: connect a path from the input to an output.',
        { path: ['transitions'] },
      );
    }
    for (let i = 0; i < n; i++) {
      if (!reachable[i]) {
        const b = blocks[i] as Block;
        dc.add(
          'unreachable_block',
          `Block "${b.name || b.id}" can never run: no path leads to it from the input block. Connect it or delete it.`,
          { path: ['blocks', i], blockId: b.id },
        );
      }
    }
  }

  const topo = computeTopology(n, succ);

  // Cycles need a way out: a transition leaving the cycle and a condition that can choose it.
  const sccCount = topo.sccMembers.length;
  for (let c = 0; c < sccCount; c++) {
    if (!topo.sccCyclic[c]) continue;
    const members = topo.sccMembers[c] as readonly number[];
    let exits = false;
    let conditional = false;
    for (let k = 0; k < validCount; k++) {
      if (topo.sccOf[validFrom[k] as number] !== c) continue;
      const t = transitions[validTi[k] as number] as Transition;
      if (t.when !== undefined || t.else) conditional = true;
      if (topo.sccOf[validTo[k] as number] !== c) exits = true;
    }
    if (!exits || !conditional) {
      const first = blocks[Math.min(...members)] as Block;
      const names = members
        .map((m) => `"${blocks[m]?.id}"`)
        .slice(0, 5)
        .join(', ');
      dc.add(
        'cycle_without_exit',
        !exits
          ? `The loop through ${names} has no transition leaving it, so a run could never finish: add a conditional transition out of the loop.`
          : `The loop through ${names} has no condition, so it would run until the iteration limit: give one of its transitions a condition (e.g. vars.tries >= 3).`,
        { path: ['blocks', Math.min(...members)], blockId: first.id },
      );
    }
  }

  // Vars.
  const vars = new Map<string, CompiledVar>();
  const specs = g.vars;
  if (specs) {
    for (const name of Object.keys(specs)) {
      const spec = specs[name] as NonNullable<typeof specs>[string];
      vars.set(name, { name, reducer: spec.reducer, initial: spec.initial ?? initialFor(spec.reducer) });
    }
  }
  if (vars.size > LIMITS.maxVars)
    dc.add('schema', `The graph declares ${vars.size} vars; the limit is ${LIMITS.maxVars}.`, {
      path: ['vars'],
    });

  const inputBlock = inputIndex !== undefined ? blocks[inputIndex] : undefined;
  const inputFields =
    inputBlock?.type === 'input' && inputBlock.fields && inputBlock.fields.length > 0
      ? inputBlock.fields.map((f) => f.name)
      : undefined;
  // Each block's direct predecessors (a transition leads from each to it), as one list sorted by
  // block: most references name one of them, found without a look-up in blockIndex.
  const predStart = new Int32Array(n + 1);
  for (let k = 0; k < validCount; k++) {
    const to = validTo[k] as number;
    predStart[to + 1] = (predStart[to + 1] as number) + 1;
  }
  for (let i = 0; i < n; i++) predStart[i + 1] = (predStart[i + 1] as number) + (predStart[i] as number);
  const preds = new Int32Array(validCount);
  const fill = predStart.slice(0, n);
  for (let k = 0; k < validCount; k++) {
    const to = validTo[k] as number;
    preds[fill[to] as number] = validFrom[k] as number;
    fill[to] = (fill[to] as number) + 1;
  }
  const scope: RefScope = {
    blockIndex,
    vars,
    inputFields,
    inputFieldSet: inputFields && inputFields.length > 8 ? new Set(inputFields) : undefined,
    topo,
    ids,
    predStart,
    preds,
  };

  // Transitions, compiled (their conditions parsed and checked).
  const compiledTransitions: CompiledTransition[] = new Array(validCount);
  const whenPath: (string | number)[] = ['transitions', 0, 'when'];
  // Scratch: a diagnostic copies it when it is added.
  const whenWhere = { transitionId: '' };
  for (let k = 0; k < validCount; k++) {
    const ti = validTi[k] as number;
    const from = validFrom[k] as number;
    const t = transitions[ti] as Transition;
    let when: CompiledTransition['when'];
    if (t.when !== undefined) {
      whenPath[1] = ti;
      whenWhere.transitionId = t.id;
      when = parseChecked(t.when, whenPath, from, false, whenWhere, scope, dc);
    }
    compiledTransitions[k] = new CompiledTransitionRecord(
      k,
      t.id,
      from,
      validTo[k] as number,
      when,
      t.else === true,
      // A condition's hash is set as the graph's hash is written (version.ts).
      t.else ? 'else' : t.when !== undefined ? '' : 'always',
    );
  }

  const { compiledBlocks, childHashes } = analyzeBlocks(
    g,
    compiledTransitions,
    scope,
    dc,
    depth,
    opts,
    analyzeGraph,
  );

  checkParallelWrites(g, succ, topo, dc);

  // A block that did not compile (a composite whose nested graph has errors counts them there).
  if (dc.errorCount > startErrors || inputIndex === undefined || compiledBlocks.length !== n)
    return undefined;
  const countEscapes = keep !== undefined && !keep.withinLimit;
  // Sets the block versions too.
  const hash = opts.sha256(
    graphHashBytes(g, childHashes, blockIndex, compiledBlocks, compiledTransitions, countEscapes),
  );
  if (countEscapes) keep.escapes = hashEscapes();
  const compiled: CompiledGraph = {
    hash,
    name: 'name' in g && typeof g.name === 'string' ? g.name : '',
    doc: g,
    blocks: compiledBlocks,
    blockIndex,
    transitions: compiledTransitions,
    inputIndex,
    outputIndices: outputs,
    vars,
    limits: {
      maxIterations: g.limits?.maxIterations ?? LIMITS.defaultMaxIterations,
      maxVisitsPerBlock: g.limits?.maxVisitsPerBlock ?? LIMITS.defaultMaxVisitsPerBlock,
      deadlineMs: g.limits?.deadlineMs,
    },
    diagnostics: [],
    depth,
  };
  // Frozen so that a cached compiled graph cannot be changed by a run that holds it.
  for (const t of compiledTransitions) Object.freeze(t);
  for (const b of compiledBlocks) {
    // The shared empty list is frozen already.
    if (b.outgoing.length > 0) Object.freeze(b.outgoing);
    Object.freeze(b);
  }
  Object.freeze(compiledBlocks);
  Object.freeze(compiledTransitions);
  return Object.freeze(compiled);
}
