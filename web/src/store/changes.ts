import type { Block, GraphDocument, Transition } from '@graphwright/shared';
import type { GraphChange, GraphData, GraphIndex, GraphMeta } from './types';

/** Splits a document into the editor's three parts. */
export function fromDocument(doc: GraphDocument): GraphData {
  const { blocks, transitions, ...meta } = doc;
  return { meta, blocks, transitions };
}

/** The document the editor holds, as the server and the validator take it. */
export function toDocument(data: GraphData): GraphDocument {
  return { ...data.meta, blocks: data.blocks as Block[], transitions: data.transitions as Transition[] };
}

/**
 * Applies typed changes to the document, purely: untouched blocks and transitions keep their
 * identity, and with no effective change the input object itself comes back.
 */
export function applyGraphChanges(data: GraphData, changes: readonly GraphChange[]): GraphData {
  let meta: GraphMeta = data.meta;
  let blocks: Block[] | undefined;
  let transitions: Transition[] | undefined;
  let blockPos: Map<string, number> | undefined;
  let transitionPos: Map<string, number> | undefined;

  const writableBlocks = (): Block[] => {
    blocks ??= data.blocks.slice();
    return blocks;
  };
  const writableTransitions = (): Transition[] => {
    transitions ??= data.transitions.slice();
    return transitions;
  };
  const blockAt = (id: string): number => {
    if (!blockPos) {
      blockPos = new Map();
      const list = blocks ?? data.blocks;
      for (let i = list.length - 1; i >= 0; i--) blockPos.set((list[i] as Block).id, i);
    }
    return blockPos.get(id) ?? -1;
  };
  const transitionAt = (id: string): number => {
    if (!transitionPos) {
      transitionPos = new Map();
      const list = transitions ?? data.transitions;
      for (let i = list.length - 1; i >= 0; i--) transitionPos.set((list[i] as Transition).id, i);
    }
    return transitionPos.get(id) ?? -1;
  };
  const removeTransitionsWhere = (pred: (t: Transition) => boolean): void => {
    const list = transitions ?? data.transitions;
    if (!list.some(pred)) return;
    transitions = list.filter((t) => !pred(t));
    transitionPos = undefined;
  };

  for (const c of changes) {
    switch (c.type) {
      case 'block.add':
        writableBlocks().push(c.block);
        if (blockPos && !blockPos.has(c.block.id)) blockPos.set(c.block.id, (blocks as Block[]).length - 1);
        break;
      case 'block.replace': {
        const i = blockAt(c.id);
        if (i < 0 || (blocks ?? data.blocks)[i] === c.block) break;
        writableBlocks()[i] = c.block;
        if (c.block.id !== c.id) {
          blockPos = undefined;
          const from = c.id;
          const to = c.block.id;
          const list = transitions ?? data.transitions;
          if (list.some((t) => t.from === from || t.to === from)) {
            transitions = list.map((t) =>
              t.from === from || t.to === from
                ? { ...t, from: t.from === from ? to : t.from, to: t.to === from ? to : t.to }
                : t,
            );
          }
        }
        break;
      }
      case 'block.remove': {
        const i = blockAt(c.id);
        if (i < 0) break;
        writableBlocks().splice(i, 1);
        blockPos = undefined;
        removeTransitionsWhere((t) => t.from === c.id || t.to === c.id);
        break;
      }
      case 'block.move': {
        const i = blockAt(c.id);
        const b = (blocks ?? data.blocks)[i];
        if (!b || (b.position?.x === c.position.x && b.position?.y === c.position.y)) break;
        writableBlocks()[i] = { ...b, position: { x: c.position.x, y: c.position.y } };
        break;
      }
      case 'transition.add':
        writableTransitions().push(c.transition);
        if (transitionPos && !transitionPos.has(c.transition.id))
          transitionPos.set(c.transition.id, (transitions as Transition[]).length - 1);
        break;
      case 'transition.replace': {
        const i = transitionAt(c.id);
        if (i < 0 || (transitions ?? data.transitions)[i] === c.transition) break;
        writableTransitions()[i] = c.transition;
        if (c.transition.id !== c.id) transitionPos = undefined;
        break;
      }
      case 'transition.remove':
        removeTransitionsWhere((t) => t.id === c.id);
        break;
      case 'transition.reorder': {
        const t = (transitions ?? data.transitions)[transitionAt(c.id)];
        if (!t) break;
        const siblings = (transitions ?? data.transitions).filter((x) => x.from === t.from);
        const target = Math.max(0, Math.min(siblings.length - 1, c.toIndex));
        if (siblings[target] === t) break;
        // The block's transitions keep their slots in the array; only their order among themselves changes.
        const reordered = siblings.filter((x) => x !== t);
        reordered.splice(target, 0, t);
        const list = writableTransitions();
        let k = 0;
        for (let j = 0; j < list.length; j++)
          if ((list[j] as Transition).from === t.from) list[j] = reordered[k++] as Transition;
        transitionPos = undefined;
        break;
      }
      case 'meta.set':
        meta = c.meta;
        break;
      case 'document.replace': {
        const next = fromDocument(c.doc);
        meta = next.meta;
        blocks = next.blocks.slice();
        transitions = next.transitions.slice();
        blockPos = undefined;
        transitionPos = undefined;
        break;
      }
    }
  }
  if (meta === data.meta && !blocks && !transitions) return data;
  return {
    meta,
    blocks: blocks ?? data.blocks,
    transitions: transitions ?? data.transitions,
  };
}

const EMPTY: readonly Transition[] = Object.freeze([]);

function groupBy(
  list: readonly Transition[],
  key: 'from' | 'to',
  prev: ReadonlyMap<string, readonly Transition[]> | undefined,
): ReadonlyMap<string, readonly Transition[]> {
  const groups = new Map<string, Transition[]>();
  for (const t of list) {
    const g = groups.get(t[key]);
    if (g) g.push(t);
    else groups.set(t[key], [t]);
  }
  const out = new Map<string, readonly Transition[]>();
  for (const [k, g] of groups) {
    const old = prev?.get(k);
    out.set(k, old && sameItems(old, g) ? old : g);
  }
  return out;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Builds the lookups for a document, reusing `prev`'s per-block transition lists where they did
 * not change so that a component selecting one of them re-renders only when it changes.
 */
export function indexGraph(data: GraphData, prev?: GraphData & GraphIndex): GraphIndex {
  const blocksSame = prev !== undefined && prev.blocks === data.blocks;
  const transitionsSame = prev !== undefined && prev.transitions === data.transitions;
  let blockLookup = prev?.blockLookup;
  if (!blocksSame || !blockLookup) {
    const m = new Map<string, Block>();
    // The first block with an id wins; the validator reports duplicates.
    for (const b of data.blocks) if (!m.has(b.id)) m.set(b.id, b);
    blockLookup = m;
  }
  if (transitionsSame && prev) {
    return {
      blockLookup,
      transitionLookup: prev.transitionLookup,
      outgoing: prev.outgoing,
      incoming: prev.incoming,
    };
  }
  const transitionLookup = new Map<string, Transition>();
  for (const t of data.transitions) if (!transitionLookup.has(t.id)) transitionLookup.set(t.id, t);
  return {
    blockLookup,
    transitionLookup,
    outgoing: groupBy(data.transitions, 'from', prev?.outgoing),
    incoming: groupBy(data.transitions, 'to', prev?.incoming),
  };
}

export function outgoingOf(index: GraphIndex, blockId: string): readonly Transition[] {
  return index.outgoing.get(blockId) ?? EMPTY;
}
