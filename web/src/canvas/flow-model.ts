import type { Block, Transition } from '@graphwright/shared';
import { type Edge, MarkerType, type Node } from '@xyflow/react';
import { fallbackPosition } from '../store/defaults';
import type { Dimensions } from '../store/types';

/**
 * React Flow's node and edge objects, derived from the document. A node object is rebuilt only when
 * its block, selection or measured size changes, so React Flow re-renders only the nodes that
 * changed; node components read everything else (name, status, diagnostics) from the editor store
 * by their own id.
 */
export type BlockFlowNode = Node<Record<string, never>>;
export type TransitionFlowEdge = Edge<Record<string, never>>;

/** React Flow node type names; prefixed so that React Flow's own input/output node styles do not apply. */
export function nodeTypeOf(type: Block['type']): string {
  return `gw-${type}`;
}

const NO_DATA: Record<string, never> = Object.freeze({}) as Record<string, never>;
const ARROW = Object.freeze({ type: MarkerType.ArrowClosed, width: 18, height: 18 });

interface NodeEntry {
  block: Block;
  selected: boolean;
  measured: Dimensions | undefined;
  index: number;
  node: BlockFlowNode;
}

interface EdgeEntry {
  transition: Transition;
  selected: boolean;
  edge: TransitionFlowEdge;
}

export interface FlowModelCache {
  nodes: Map<string, NodeEntry>;
  edges: Map<string, EdgeEntry>;
}

export function createFlowModelCache(): FlowModelCache {
  return { nodes: new Map(), edges: new Map() };
}

export function deriveNodes(
  blocks: readonly Block[],
  selected: ReadonlySet<string>,
  measured: ReadonlyMap<string, Dimensions>,
  cache: FlowModelCache,
): BlockFlowNode[] {
  const next = new Map<string, NodeEntry>();
  const nodes: BlockFlowNode[] = [];
  blocks.forEach((block, index) => {
    if (next.has(block.id)) return; // duplicate ids: the validator reports them; draw the first
    const isSelected = selected.has(block.id);
    const size = measured.get(block.id);
    const old = cache.nodes.get(block.id);
    let entry: NodeEntry;
    if (
      old &&
      old.block === block &&
      old.selected === isSelected &&
      old.measured === size &&
      (block.position !== undefined || old.index === index)
    ) {
      entry = old;
    } else {
      const node: BlockFlowNode = {
        id: block.id,
        type: nodeTypeOf(block.type),
        position: block.position ?? fallbackPosition(index),
        data: NO_DATA,
        selected: isSelected,
      };
      if (size) node.measured = { width: size.width, height: size.height };
      entry = { block, selected: isSelected, measured: size, index, node };
    }
    next.set(block.id, entry);
    nodes.push(entry.node);
  });
  cache.nodes = next;
  return nodes;
}

export function deriveEdges(
  transitions: readonly Transition[],
  blockExists: (id: string) => boolean,
  selected: ReadonlySet<string>,
  cache: FlowModelCache,
): TransitionFlowEdge[] {
  const next = new Map<string, EdgeEntry>();
  const edges: TransitionFlowEdge[] = [];
  for (const t of transitions) {
    // Transitions to unknown blocks cannot be drawn; the problems list names them.
    if (next.has(t.id) || !blockExists(t.from) || !blockExists(t.to)) continue;
    const isSelected = selected.has(t.id);
    const old = cache.edges.get(t.id);
    const entry =
      old && old.transition === t && old.selected === isSelected
        ? old
        : {
            transition: t,
            selected: isSelected,
            edge: {
              id: t.id,
              source: t.from,
              target: t.to,
              type: 'transition',
              data: NO_DATA,
              selected: isSelected,
              markerEnd: ARROW,
            },
          };
    next.set(t.id, entry);
    edges.push(entry.edge);
  }
  cache.edges = next;
  return edges;
}
