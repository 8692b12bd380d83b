import type { Block, BlockType, Diagnostic } from '@graphwright/shared';
import { Handle, type NodeProps, type NodeTypes, Position } from '@xyflow/react';
import { memo, type ReactNode } from 'react';
import { useEstimate } from '../estimate/context';
import { EstimateBadge } from '../estimate/EstimateBadge';
import { BlockRunLine } from '../run/BlockRunLine';
import { useEditor, useEditorActions } from '../store/context';
import { BLOCK_LABELS } from '../store/defaults';
import type { BlockStatus } from '../store/types';
import { renderProbe } from './probe';

const STATUS_TEXT: Record<BlockStatus, string> = {
  idle: 'idle',
  queued: 'queued',
  running: 'running',
  done: 'done',
  failed: 'failed',
  skipped: 'skipped',
};

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line that says what the block does, per type. */
function summaryOf(block: Block): ReactNode {
  switch (block.type) {
    case 'input': {
      const fields = block.fields ?? [];
      return fields.length > 0
        ? `fields: ${truncate(fields.map((f) => f.name).join(', '), 40)}`
        : 'any input';
    }
    case 'output':
      return block.value ? <code>{truncate(block.value, 40)}</code> : 'returns the last output';
    case 'llm':
      return (
        <span data-testid={`block-model-${block.id}`}>
          {block.provider} · {block.model}
          {block.outputSchema ? ' · JSON' : ''}
        </span>
      );
    case 'transform':
      return <code>{truncate(block.expr, 40)}</code>;
    case 'composite':
      return `${block.graph.blocks.length} blocks inside`;
  }
}

export function DiagnosticBadge({
  list,
  testId,
}: {
  list: readonly Diagnostic[] | undefined;
  testId: string;
}) {
  if (!list || list.length === 0) return null;
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.length - errors;
  const title = list.map((d) => d.message).join('\n');
  return (
    <span
      className={`diag-badge ${errors > 0 ? 'diag-error' : 'diag-warning'}`}
      data-testid={testId}
      title={title}
      role="img"
      aria-label={`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}: ${list[0]?.message ?? ''}`}
    >
      {errors > 0 ? `✕ ${errors}` : `! ${warnings}`}
    </span>
  );
}

/**
 * The frame every block type shares. It subscribes to its own block, status and diagnostics only,
 * so a change to another block (or to this block's status) re-renders this node alone.
 */
function BlockNodeFrame({ id, selected, type }: { id: string; selected: boolean; type: BlockType }) {
  renderProbe.onRender?.('block', id);
  const block = useEditor((s) => s.blockLookup.get(id));
  const status = useEditor((s) => s.status.get(id) ?? 'idle');
  const diagnostics = useEditor((s) => s.diagnosticsByBlock.get(id));
  const prefix = useEditor((s) => s.scopePrefix);
  const critical = useEstimate((s) => s.visible && s.critical.has(prefix + id));
  const actions = useEditorActions();
  if (!block) return null;
  return (
    <div
      className={`block-node block-${type} status-${status}${selected ? ' is-selected' : ''}${critical ? ' on-critical' : ''}`}
      data-testid={`block-node-${id}`}
      data-status={status}
      data-critical={critical ? 'true' : undefined}
    >
      {type !== 'input' && (
        <Handle type="target" position={Position.Left} data-testid={`handle-in-${id}`} aria-label="input" />
      )}
      <div className="block-head">
        <span className={`block-type type-${type}`}>{BLOCK_LABELS[type]}</span>
        <span className="block-name" data-testid={`block-name-${id}`}>
          {block.name || block.id}
        </span>
        <DiagnosticBadge list={diagnostics} testId={`diag-badge-${id}`} />
      </div>
      <div className="block-summary">{summaryOf(block)}</div>
      {type === 'composite' && (
        <button
          type="button"
          className="btn btn-small block-open nodrag"
          onClick={() => actions.openComposite(id)}
          title="Edit the graph inside this composite (double-click the block works too)"
          data-testid={`open-composite-${id}`}
        >
          Open ▸
        </button>
      )}
      <EstimateBadge id={id} type={type} />
      <BlockRunLine id={id} />
      <div className="block-foot">
        <span className="block-id">{id}</span>
        <span className="block-flags">
          {block.routing === 'all' && <span title="routing: every matching transition fires">fan-out</span>}
          {block.join === 'all' && <span title="join: waits for every branch">join all</span>}
        </span>
        <span className={`block-status st-${status}`} data-testid={`block-status-${id}`}>
          <span className="status-dot" aria-hidden="true" />
          {STATUS_TEXT[status]}
        </span>
      </div>
      {type !== 'output' && (
        <Handle
          type="source"
          position={Position.Right}
          data-testid={`handle-out-${id}`}
          aria-label="output"
        />
      )}
    </div>
  );
}

export const InputNode = memo(function InputNode({ id, selected }: NodeProps) {
  return <BlockNodeFrame id={id} selected={selected} type="input" />;
});
export const OutputNode = memo(function OutputNode({ id, selected }: NodeProps) {
  return <BlockNodeFrame id={id} selected={selected} type="output" />;
});
export const LlmNode = memo(function LlmNode({ id, selected }: NodeProps) {
  return <BlockNodeFrame id={id} selected={selected} type="llm" />;
});
export const TransformNode = memo(function TransformNode({ id, selected }: NodeProps) {
  return <BlockNodeFrame id={id} selected={selected} type="transform" />;
});
export const CompositeNode = memo(function CompositeNode({ id, selected }: NodeProps) {
  return <BlockNodeFrame id={id} selected={selected} type="composite" />;
});

/** One node component per block type. */
export const nodeTypes: NodeTypes = {
  'gw-input': InputNode,
  'gw-output': OutputNode,
  'gw-llm': LlmNode,
  'gw-transform': TransformNode,
  'gw-composite': CompositeNode,
};
