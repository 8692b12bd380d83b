import { BLOCK_TYPES, type BlockType, type ModelRef } from '@graphwright/shared';
import { useReactFlow } from '@xyflow/react';
import type { DragEvent } from 'react';
import { useEditorActions } from '../store/context';
import { BLOCK_DESCRIPTIONS, BLOCK_LABELS } from '../store/defaults';
import { BLOCK_DRAG_TYPE } from './Canvas';

/** Block types to drag onto the canvas (or click, to add one in the middle of the view). */
export function Palette({ defaultModel }: { defaultModel: ModelRef | undefined }) {
  const actions = useEditorActions();
  const { screenToFlowPosition } = useReactFlow();
  const onDragStart = (e: DragEvent, type: BlockType) => {
    e.dataTransfer.setData(BLOCK_DRAG_TYPE, type);
    e.dataTransfer.effectAllowed = 'copy';
  };
  const addInView = (type: BlockType) => {
    const canvas = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const center = canvas
      ? screenToFlowPosition({ x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 })
      : { x: 0, y: 0 };
    const jitter = Math.round(Math.random() * 40);
    actions.addBlock(type, { x: center.x - 110 + jitter, y: center.y - 40 + jitter }, defaultModel);
  };
  return (
    <nav className="palette" aria-label="Block palette">
      <h2 className="panel-title">Blocks</h2>
      <ul>
        {BLOCK_TYPES.map((type) => (
          <li key={type}>
            <button
              type="button"
              className={`palette-item palette-${type}`}
              draggable
              onDragStart={(e) => onDragStart(e, type)}
              onClick={() => addInView(type)}
              data-testid={`palette-${type}`}
              title={`${BLOCK_DESCRIPTIONS[type]}. Drag onto the canvas, or click to add.`}
            >
              <span className={`block-type type-${type}`}>{BLOCK_LABELS[type]}</span>
              <span className="palette-desc">{BLOCK_DESCRIPTIONS[type]}</span>
            </button>
          </li>
        ))}
      </ul>
      <p className="palette-hint">
        Drag onto the canvas. Connect a block’s right handle to another’s left handle.
      </p>
    </nav>
  );
}
