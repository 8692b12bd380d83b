import type { Block, Transition } from '@graphwright/shared';
import type { Dimensions, XY } from '../store/types';

/** Size assumed for a block the canvas has not measured yet (nodes are about 220 wide). */
const DEFAULT_SIZE: Dimensions = { width: 220, height: 110 };

const OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.spacing.nodeNode': '40',
  'elk.layered.spacing.nodeNodeBetweenLayers': '90',
  'elk.spacing.edgeNode': '24',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  'elk.separateConnectedComponents': 'true',
};

/**
 * Positions for every block from ELK's layered algorithm, left to right along the transitions, with
 * each node's measured size so that no two nodes overlap. ELK (about 1.5 MB) is loaded on first
 * use, so opening the editor does not pay for it.
 */
export async function autoLayout(
  blocks: readonly Block[],
  transitions: readonly Transition[],
  measured: ReadonlyMap<string, Dimensions>,
): Promise<Map<string, XY>> {
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const elk = new ELK();
  const ids = new Set(blocks.map((b) => b.id));
  const graph = {
    id: 'root',
    layoutOptions: OPTIONS,
    children: blocks.map((b) => {
      const size = measured.get(b.id) ?? DEFAULT_SIZE;
      return { id: b.id, width: size.width, height: size.height };
    }),
    edges: transitions
      .filter((t) => ids.has(t.from) && ids.has(t.to) && t.from !== t.to)
      .map((t) => ({ id: t.id, sources: [t.from], targets: [t.to] })),
  };
  const out = await elk.layout(graph);
  const positions = new Map<string, XY>();
  for (const c of out.children ?? [])
    positions.set(c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) });
  return positions;
}
