import type { Block, CompositeBlock, SubGraph } from '@graphwright/shared';
import { applyGraphChanges } from './changes';
import type { GraphData, GraphMeta } from './types';

/**
 * Editing a composite's nested graph in place. The canvas always edits one graph: the top-level
 * document, or the nested graph of a composite opened from it. Each open composite leaves a frame
 * behind with the graph around it and that graph's undo history; closing it writes the nested graph
 * back into its composite as one undo step of the outer graph.
 */
export interface ScopeFrame {
  /** Id of the composite, in the graph of the frame below. */
  readonly blockId: string;
  readonly name: string;
  /** The outer graph as it was when the composite was opened. */
  readonly parent: GraphData;
  readonly past: readonly GraphData[];
  readonly future: readonly GraphData[];
  /** The nested graph as it was opened: unchanged on close means nothing to write back. */
  readonly opened: GraphData;
  /**
   * The last write-back, kept so that writing back the same nested graph again gives the very same
   * outer graph: what was saved from inside a composite then compares equal to the document.
   */
  readonly last?: { readonly child: GraphData; readonly result: GraphData } | undefined;
}

/** A composite's nested graph as the editor's three parts. */
export function childData(block: CompositeBlock): GraphData {
  const { blocks, transitions, ...rest } = block.graph;
  // The nested graph has no schemaVersion; its meta is what SubGraph holds besides blocks.
  return { meta: rest as GraphMeta, blocks, transitions };
}

export function sameData(a: GraphData, b: GraphData): boolean {
  return a.meta === b.meta && a.blocks === b.blocks && a.transitions === b.transitions;
}

/** The outer graph with the nested one written back into its composite (the same object when unchanged). */
export function writeBack(frame: ScopeFrame, child: GraphData): GraphData {
  if (sameData(frame.opened, child)) return frame.parent;
  if (frame.last && sameData(frame.last.child, child)) return frame.last.result;
  const block = frame.parent.blocks.find((b) => b.id === frame.blockId);
  if (block?.type !== 'composite') return frame.parent;
  const graph: SubGraph = {
    ...(child.meta as Omit<SubGraph, 'blocks' | 'transitions'>),
    blocks: child.blocks as Block[],
    transitions: child.transitions as SubGraph['transitions'],
  };
  return applyGraphChanges(frame.parent, [
    { type: 'block.replace', id: block.id, block: { ...block, graph } },
  ]);
}

/** The top-level document's data with every open composite written back, innermost first. */
export function foldScopes(frames: readonly ScopeFrame[], current: GraphData): GraphData {
  let data = current;
  for (let i = frames.length - 1; i >= 0; i--) data = writeBack(frames[i] as ScopeFrame, data);
  return data;
}

/**
 * Folds like foldScopes and returns frames that remember each write-back, so that folding the same
 * nested graph again returns the identical outer objects. Frames come back unchanged when nothing
 * new was written back.
 */
export function foldAndRemember(
  frames: readonly ScopeFrame[],
  current: GraphData,
): { data: GraphData; frames: readonly ScopeFrame[] } {
  let data = current;
  let next: ScopeFrame[] | undefined;
  for (let i = frames.length - 1; i >= 0; i--) {
    const f = frames[i] as ScopeFrame;
    const result = writeBack(f, data);
    if (result !== f.parent && f.last?.result !== result) {
      next ??= frames.slice();
      next[i] = { ...f, last: { child: data, result } };
    }
    data = result;
  }
  return { data, frames: next ?? frames };
}

/** Scoped block id as estimates and run events name it: enclosing composite ids and the id, joined with "/". */
export function scopedKey(frames: readonly ScopeFrame[], id: string): string {
  if (frames.length === 0) return id;
  return `${frames.map((f) => f.blockId).join('/')}/${id}`;
}
