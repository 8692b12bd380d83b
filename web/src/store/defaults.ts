import { type Block, type BlockType, LIMITS, type ModelRef } from '@graphwright/shared';
import type { XY } from './types';

/** What a block type is called in the palette and on its node. */
export const BLOCK_LABELS: Record<BlockType, string> = {
  input: 'Input',
  output: 'Output',
  llm: 'LLM',
  transform: 'Transform',
  composite: 'Composite',
};

export const BLOCK_DESCRIPTIONS: Record<BlockType, string> = {
  input: 'Where a run starts: the fields a run is given',
  llm: 'Calls a model with a prompt; optional JSON output',
  transform: 'Reshapes data with a CEL expression',
  composite: 'A nested graph used as one block',
  output: 'Where a run ends: what it returns',
};

/** The model a new LLM block gets before the provider list has loaded. */
export const FALLBACK_MODEL: ModelRef = { provider: 'simulated', model: 'sim-fast' };

const ID_OK = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Turns any text into something usable as a block id (letters, digits and _). */
export function sanitizeId(text: string): string {
  let s = text.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!s) s = 'block';
  if (!/^[A-Za-z_]/.test(s)) s = `_${s}`;
  return s.slice(0, LIMITS.maxIdLength);
}

export function isValidId(id: string): boolean {
  return id.length > 0 && id.length <= LIMITS.maxIdLength && ID_OK.test(id);
}

/** `base` when free, else `base_2`, `base_3`, …, always within the id length limit. */
export function uniqueId(base: string, taken: (id: string) => boolean): string {
  const clean = sanitizeId(base);
  if (!taken(clean)) return clean;
  // A copy of `llm_2` becomes `llm_3`, not `llm_2_2`.
  const numbered = /^(.+)_(\d+)$/.exec(clean);
  const stem = numbered ? (numbered[1] as string) : clean;
  for (let n = numbered ? Number(numbered[2]) + 1 : 2; ; n++) {
    const suffix = `_${n}`;
    const id = `${stem.slice(0, LIMITS.maxIdLength - suffix.length)}${suffix}`;
    if (!taken(id)) return id;
  }
}

export function transitionIdFor(from: string, to: string, taken: (id: string) => boolean): string {
  return uniqueId(`t_${from}_${to}`, taken);
}

/** A new block of a type, with a config that passes the schema (so the validator can say more). */
export function newBlock(type: BlockType, id: string, name: string, position: XY, model?: ModelRef): Block {
  const base = { id, name, position: { x: Math.round(position.x), y: Math.round(position.y) } };
  switch (type) {
    case 'input':
      return { ...base, type, fields: [{ name: 'text', type: 'string', required: true }] };
    case 'output':
      return { ...base, type };
    case 'llm': {
      const m = model ?? FALLBACK_MODEL;
      return {
        ...base,
        type,
        provider: m.provider,
        model: m.model,
        messages: [{ role: 'user', content: '' }],
      };
    }
    case 'transform':
      return { ...base, type, expr: 'input' };
    case 'composite':
      return {
        ...base,
        type,
        graph: {
          blocks: [
            { id: 'input', name: 'In', type: 'input', position: { x: 0, y: 0 } },
            { id: 'output', name: 'Out', type: 'output', position: { x: 300, y: 0 } },
          ],
          transitions: [{ id: 't_input_output', from: 'input', to: 'output' }],
        },
      };
  }
}

/** Where a block without a stored position is drawn (positions are canvas-only). */
export function fallbackPosition(index: number): XY {
  return { x: (index % 6) * 280, y: Math.floor(index / 6) * 160 };
}
