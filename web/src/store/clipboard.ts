import { type Block, blockSchema, type Transition, transitionSchema } from '@graphwright/shared';
import { transitionIdFor, uniqueId } from './defaults';
import { rewriteBlockRefs, rewriteTransitionRefs } from './refs';
import type { GraphData, XY } from './types';

/** What copy puts on the clipboard: plain JSON, so it can be pasted into another graph or a text editor. */
export interface ClipboardPayload {
  readonly kind: typeof CLIPBOARD_KIND;
  readonly version: 1;
  readonly blocks: readonly Block[];
  readonly transitions: readonly Transition[];
}

export const CLIPBOARD_KIND = 'graphwright/blocks';

/** The selected blocks and every transition between two of them. */
export function copyPayload(data: GraphData, blockIds: ReadonlySet<string>): ClipboardPayload | undefined {
  const blocks = data.blocks.filter((b) => blockIds.has(b.id));
  if (blocks.length === 0) return undefined;
  const transitions = data.transitions.filter((t) => blockIds.has(t.from) && blockIds.has(t.to));
  return { kind: CLIPBOARD_KIND, version: 1, blocks, transitions };
}

export function serializeClipboard(p: ClipboardPayload): string {
  return JSON.stringify(p, null, 2);
}

export type ParseClipboardResult = { ok: true; payload: ClipboardPayload } | { ok: false; message: string };

/**
 * Reads pasted text: a copied selection, a whole graph document, or one block. Every block and
 * transition is checked against the schema, so nothing malformed enters the document.
 */
export function parseClipboard(text: string): ParseClipboardResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, message: 'The clipboard does not hold JSON: copy blocks from a Graphwright canvas.' };
  }
  if (typeof raw !== 'object' || raw === null)
    return { ok: false, message: 'The clipboard does not hold Graphwright blocks.' };
  const obj = raw as { blocks?: unknown; transitions?: unknown; type?: unknown };
  const rawBlocks = Array.isArray(obj.blocks) ? obj.blocks : typeof obj.type === 'string' ? [obj] : undefined;
  if (!rawBlocks || rawBlocks.length === 0)
    return { ok: false, message: 'The clipboard does not hold Graphwright blocks.' };
  const blocks: Block[] = [];
  for (const [i, b] of rawBlocks.entries()) {
    const r = blockSchema.safeParse(b);
    if (!r.success) {
      const issue = r.error.issues[0];
      return {
        ok: false,
        message: `Pasted block ${i + 1} is not a valid block${issue ? ` (${issue.path.join('.')}: ${issue.message})` : ''}.`,
      };
    }
    blocks.push(r.data as Block);
  }
  const transitions: Transition[] = [];
  const rawTransitions = Array.isArray(obj.transitions) ? obj.transitions : [];
  for (const t of rawTransitions) {
    const r = transitionSchema.safeParse(t);
    if (r.success) transitions.push(r.data);
  }
  return { ok: true, payload: { kind: CLIPBOARD_KIND, version: 1, blocks, transitions } };
}

export interface PreparedPaste {
  readonly blocks: Block[];
  readonly transitions: Transition[];
  /** Old id → new id for every pasted block. */
  readonly ids: ReadonlyMap<string, string>;
}

/**
 * Gives pasted blocks ids that are free in the target graph, moves them by `offset`, and keeps
 * the transitions (and `out.<id>` references) among them pointing at the renamed blocks.
 */
export function preparePaste(payload: ClipboardPayload, target: GraphData, offset: XY): PreparedPaste {
  const takenBlocks = new Set(target.blocks.map((b) => b.id));
  const takenTransitions = new Set(target.transitions.map((t) => t.id));
  const ids = new Map<string, string>();
  for (const b of payload.blocks) {
    if (ids.has(b.id)) continue;
    const id = uniqueId(b.id, (x) => takenBlocks.has(x));
    takenBlocks.add(id);
    ids.set(b.id, id);
  }
  const renamed = new Map([...ids].filter(([a, b]) => a !== b));
  const seen = new Set<string>();
  const blocks: Block[] = [];
  for (const b of payload.blocks) {
    if (seen.has(b.id)) continue;
    seen.add(b.id);
    const pos = b.position ?? { x: 0, y: 0 };
    const moved = {
      ...rewriteBlockRefs(b, renamed),
      id: ids.get(b.id) as string,
      position: { x: pos.x + offset.x, y: pos.y + offset.y },
    } as Block;
    blocks.push(moved);
  }
  const transitions: Transition[] = [];
  for (const t of payload.transitions) {
    const from = ids.get(t.from);
    const to = ids.get(t.to);
    if (from === undefined || to === undefined) continue;
    const id = takenTransitions.has(t.id) ? transitionIdFor(from, to, (x) => takenTransitions.has(x)) : t.id;
    takenTransitions.add(id);
    transitions.push({ ...rewriteTransitionRefs(t, renamed), id, from, to });
  }
  return { blocks, transitions, ids };
}
