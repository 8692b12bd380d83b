import { BLOCK_TYPES, type BlockType, type ModelRef } from '@graphwright/shared';
import {
  Background,
  BackgroundVariant,
  type Connection,
  ControlButton,
  Controls,
  type EdgeChange,
  type IsValidConnection,
  MiniMap,
  type NodeChange,
  type NodeMouseHandler,
  type OnDelete,
  ReactFlow,
  SelectionMode,
  useReactFlow,
} from '@xyflow/react';
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { EstimateLegend } from '../estimate/EstimateLegend';
import { useEditor, useEditorActions, useEditorStore } from '../store/context';
import { nodeTypes } from './BlockNode';
import {
  type BlockFlowNode,
  createFlowModelCache,
  deriveEdges,
  deriveNodes,
  type TransitionFlowEdge,
} from './flow-model';
import { edgeTypes } from './TransitionEdge';

export const BLOCK_DRAG_TYPE = 'application/x-graphwright-block';

const DELETE_KEYS = ['Delete', 'Backspace'];
const PAN_BUTTONS = [1, 2];
const FIT_OPTIONS = { padding: 0.2, maxZoom: 1.2 };
const PRO_OPTIONS = { hideAttribution: true };

const TYPE_COLORS: Record<string, string> = {
  'gw-input': '#0c8599',
  'gw-output': '#5f3dc4',
  'gw-llm': '#3b5bdb',
  'gw-transform': '#e8590c',
  'gw-composite': '#2b8a3e',
};
function miniMapColor(n: { type?: string | undefined }): string {
  return TYPE_COLORS[n.type ?? ''] ?? '#868e96';
}

/** Graphs this large get the mini map without asking; on small ones it would only cover blocks. */
const MINIMAP_FROM_BLOCKS = 40;

function useMiniMap(blockCount: number): [boolean, () => void] {
  const [chosen, setChosen] = useState<boolean | undefined>(undefined);
  const shown = chosen ?? blockCount >= MINIMAP_FROM_BLOCKS;
  return [shown, () => setChosen(!shown)];
}

function isBlockType(v: string): v is BlockType {
  return (BLOCK_TYPES as readonly string[]).includes(v);
}

/**
 * The graph canvas. React Flow is controlled by the editor store: every node and edge change is
 * turned into a store action, and nodes/edges are derived from the document with a per-element
 * cache so that an edit rebuilds only the objects it touched.
 */
export function Canvas({
  defaultModel,
  readOnly = false,
  onLayout,
  onHelp,
}: {
  defaultModel: ModelRef | undefined;
  /** A shared view: blocks can be selected (to inspect them) but not moved, connected or deleted. */
  readOnly?: boolean;
  onLayout?: () => void;
  onHelp?: () => void;
}) {
  const store = useEditorStore();
  const actions = useEditorActions();
  const blocks = useEditor((s) => s.blocks);
  const transitions = useEditor((s) => s.transitions);
  const blockLookup = useEditor((s) => s.blockLookup);
  const selectedBlocks = useEditor((s) => s.selectedBlocks);
  const selectedTransitions = useEditor((s) => s.selectedTransitions);
  const measured = useEditor((s) => s.measured);
  const cache = useRef(createFlowModelCache()).current;
  const scope = useEditor((s) => s.scope);
  const [miniMap, toggleMiniMap] = useMiniMap(blocks.length);
  const { screenToFlowPosition, fitView } = useReactFlow();

  // Opening or leaving a composite shows another graph: frame it once its nodes are measured.
  const firstScope = useRef(scope);
  useEffect(() => {
    if (scope === firstScope.current) return;
    const t = setTimeout(() => void fitView(FIT_OPTIONS), 50);
    return () => clearTimeout(t);
  }, [scope, fitView]);

  const nodes = useMemo(
    () => deriveNodes(blocks, selectedBlocks, measured, cache),
    [blocks, selectedBlocks, measured, cache],
  );
  const edges = useMemo(
    () => deriveEdges(transitions, (id) => blockLookup.has(id), selectedTransitions, cache),
    [transitions, blockLookup, selectedTransitions, cache],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<BlockFlowNode>[]) => {
      const moves: { id: string; position: { x: number; y: number } }[] = [];
      const sizes: { id: string; dimensions: { width: number; height: number } }[] = [];
      const selects: { id: string; selected: boolean }[] = [];
      for (const c of changes) {
        if (c.type === 'position' && c.position) moves.push({ id: c.id, position: c.position });
        else if (c.type === 'dimensions' && c.dimensions) sizes.push({ id: c.id, dimensions: c.dimensions });
        else if (c.type === 'select') selects.push({ id: c.id, selected: c.selected });
        // 'remove' arrives again, together with the edges, in onDelete: one undo step for both.
      }
      if (sizes.length > 0) actions.setMeasured(sizes);
      if (selects.length > 0) actions.applySelection('block', selects);
      if (moves.length > 0)
        actions.moveBlocks(
          moves.map((m) => ({
            id: m.id,
            position: { x: Math.round(m.position.x), y: Math.round(m.position.y) },
          })),
        );
    },
    [actions],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<TransitionFlowEdge>[]) => {
      const selects: { id: string; selected: boolean }[] = [];
      for (const c of changes) if (c.type === 'select') selects.push({ id: c.id, selected: c.selected });
      if (selects.length > 0) actions.applySelection('transition', selects);
    },
    [actions],
  );

  const onDelete: OnDelete<BlockFlowNode, TransitionFlowEdge> = useCallback(
    ({ nodes: ns, edges: es }) =>
      actions.removeElements(
        ns.map((n) => n.id),
        es.map((e) => e.id),
      ),
    [actions],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const id = actions.connect(c.source, c.target);
      if (id) actions.setSelection({ transitions: [id] });
    },
    [actions],
  );

  const onReconnect = useCallback(
    (old: TransitionFlowEdge, c: Connection) => actions.reconnect(old.id, c.source, c.target),
    [actions],
  );

  const isValidConnection: IsValidConnection<TransitionFlowEdge> = useCallback(
    (c) => {
      if (c.source === c.target) return false;
      const s = store.getState();
      return s.blockLookup.get(c.target)?.type !== 'input' && s.blockLookup.get(c.source)?.type !== 'output';
    },
    [store],
  );

  const onNodeDoubleClick: NodeMouseHandler<BlockFlowNode> = useCallback(
    (_e, node) => {
      if (store.getState().blockLookup.get(node.id)?.type === 'composite') actions.openComposite(node.id);
    },
    [store, actions],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(BLOCK_DRAG_TYPE)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(BLOCK_DRAG_TYPE);
      if (!isBlockType(type)) return;
      e.preventDefault();
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      // Center the new node under the pointer (nodes are about 220×80).
      actions.addBlock(type, { x: p.x - 110, y: p.y - 40 }, defaultModel);
    },
    [actions, screenToFlowPosition, defaultModel],
  );

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target for palette drags; clicking a palette item is the keyboard way
    <div
      className="canvas"
      data-testid="canvas"
      data-readonly={readOnly || undefined}
      onDragOver={readOnly ? undefined : onDragOver}
      onDrop={readOnly ? undefined : onDrop}
    >
      <ReactFlow<BlockFlowNode, TransitionFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onDelete={readOnly ? undefined : onDelete}
        onConnect={readOnly ? undefined : onConnect}
        onReconnect={readOnly ? undefined : onReconnect}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesReconnectable={!readOnly}
        onNodeDoubleClick={readOnly ? undefined : onNodeDoubleClick}
        zoomOnDoubleClick={false}
        isValidConnection={isValidConnection}
        onNodeDragStart={actions.endCoalescing}
        onNodeDragStop={actions.endCoalescing}
        onSelectionDragStart={actions.endCoalescing}
        onSelectionDragStop={actions.endCoalescing}
        deleteKeyCode={readOnly ? null : DELETE_KEYS}
        selectionOnDrag
        selectionMode={SelectionMode.Partial}
        panOnDrag={PAN_BUTTONS}
        panOnScroll
        minZoom={0.1}
        maxZoom={2}
        fitView
        fitViewOptions={FIT_OPTIONS}
        proOptions={PRO_OPTIONS}
        aria-label="Graph canvas"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
        <Controls showInteractive={false} fitViewOptions={FIT_OPTIONS}>
          {onLayout && (
            <ControlButton
              onClick={onLayout}
              title="Auto-layout (Shift+L)"
              aria-label="Auto-layout"
              data-testid="auto-layout"
            >
              ⇶
            </ControlButton>
          )}
          <ControlButton
            onClick={toggleMiniMap}
            title={miniMap ? 'Hide the mini map' : 'Show the mini map'}
            aria-label="Mini map"
            aria-pressed={miniMap}
            data-testid="minimap-toggle"
          >
            ▣
          </ControlButton>
          {onHelp && (
            <ControlButton
              onClick={onHelp}
              title="Keyboard shortcuts (?)"
              aria-label="Keyboard shortcuts"
              data-testid="shortcuts"
            >
              ?
            </ControlButton>
          )}
        </Controls>
        {miniMap && (
          <MiniMap pannable zoomable nodeColor={miniMapColor} nodeStrokeWidth={0} ariaLabel="Mini map" />
        )}
        <EstimateLegend />
      </ReactFlow>
    </div>
  );
}
