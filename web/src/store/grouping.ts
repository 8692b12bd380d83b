import type { Block, CompositeBlock, Transition, VarSpec } from '@graphwright/shared';
import { uniqueId } from './defaults';
import { mappedOutputs, passOutsideOutputs } from './group-refs';
import { rewriteBlockRefs, rewriteTransitionRefs } from './refs';
import type { GraphData, XY } from './types';

/**
 * "Group selection into composite" and "ungroup", as pure functions of the document, built so that
 * ungrouping a group gives back the graph it came from:
 * - a transition that crossed into the group keeps its id, condition and place in the outer graph
 *   and now ends at the composite; inside, a plain transition with the same id leads from the
 *   nested input to the block it reached;
 * - a transition that left the group keeps its id, condition and place among its source's
 *   transitions inside (ending at the nested output); outside, a transition with the same id
 *   leaves the composite. Ungrouping pairs the two by id.
 * Blocks keep their positions inside; the composite sits at their anchor (leftmost x, mean y), so
 * moving the composite moves the blocks by as much when they come back out.
 */

export type GroupResult = { data: GraphData; id: string } | { error: string };
export type UngroupResult = { data: GraphData; ids: string[] } | { error: string };

const GAP = 280;

function anchorOf(blocks: readonly Block[]): XY {
  if (blocks.length === 0) return { x: 0, y: 0 };
  let minX = Number.POSITIVE_INFINITY;
  let sumY = 0;
  for (const b of blocks) {
    minX = Math.min(minX, b.position?.x ?? 0);
    sumY += b.position?.y ?? 0;
  }
  return { x: minX, y: Math.round(sumY / blocks.length) };
}

export function groupBlocks(data: GraphData, selected: ReadonlySet<string>): GroupResult {
  const chosen = data.blocks.filter((b) => selected.has(b.id));
  if (chosen.length === 0) return { error: 'Select the blocks to group first.' };
  if (chosen.some((b) => b.type === 'input' || b.type === 'output'))
    return { error: 'Input and output blocks stay in their graph: leave them out of the group.' };
  const inside = new Set(chosen.map((b) => b.id));
  const taken = new Set(data.blocks.map((b) => b.id));
  // Freed by the group, so "group" may reuse a chosen block's id; that block keeps its id inside.
  const id = uniqueId('group', (x) => taken.has(x) && !inside.has(x));
  const inId = uniqueId('input', (x) => inside.has(x));
  const outId = uniqueId('output', (x) => inside.has(x));
  const anchor = anchorOf(chosen);
  const maxX = Math.max(...chosen.map((b) => b.position?.x ?? 0));

  const outer: Transition[] = [];
  const inner: Transition[] = [];
  const entered = new Set<string>();
  const left = new Set<string>();
  for (const t of data.transitions) {
    const from = inside.has(t.from);
    const to = inside.has(t.to);
    if (from && to) inner.push(t);
    else if (to) {
      outer.push({ ...t, to: id });
      inner.push({ id: t.id, from: inId, to: t.to });
      entered.add(t.to);
    } else if (from) {
      outer.push({ ...t, from: id });
      inner.push({ id: t.id, from: t.from, to: outId });
      left.add(t.from);
    } else outer.push(t);
  }
  // A group nothing leads into (or out of) still needs its nested input (output) wired up.
  const innerTaken = new Set(inner.map((t) => t.id));
  const fresh = (base: string): string => {
    const t = uniqueId(base, (x) => innerTaken.has(x));
    innerTaken.add(t);
    return t;
  };
  if (entered.size === 0)
    for (const b of chosen)
      if (!inner.some((t) => t.to === b.id))
        inner.push({ id: fresh(`t_${inId}_${b.id}`), from: inId, to: b.id });
  if (left.size === 0)
    for (const b of chosen)
      if (!inner.some((t) => t.from === b.id))
        inner.push({ id: fresh(`t_${b.id}_${outId}`), from: b.id, to: outId });

  // Vars the moved blocks assign or read must be declared in the nested graph too (a nested graph
  // has its own state; its vars do not flow back out).
  const parentVars = (data.meta as { vars?: Record<string, VarSpec> }).vars ?? {};
  const text = JSON.stringify(chosen);
  const vars = Object.fromEntries(
    Object.entries(parentVars).filter(
      ([name]) => chosen.some((b) => b.assign?.[name] !== undefined) || text.includes(`vars.${name}`),
    ),
  );
  const outerIds = new Set(data.blocks.map((b) => b.id));
  const passed = passOutsideOutputs(chosen, inner, (x) => !inside.has(x) && outerIds.has(x));
  const composite: CompositeBlock = {
    id,
    name: 'Group',
    type: 'composite',
    position: anchor,
    ...(chosen.some((b) => left.has(b.id) && b.routing === 'all') ? { routing: 'all' as const } : {}),
    ...(passed.inputMap ? { inputMap: passed.inputMap } : {}),
    graph: {
      ...(Object.keys(vars).length > 0 ? { vars } : {}),
      blocks: [
        { id: inId, name: 'In', type: 'input', position: { x: anchor.x - GAP, y: anchor.y } },
        ...passed.blocks,
        { id: outId, name: 'Out', type: 'output', position: { x: maxX + GAP, y: anchor.y } },
      ],
      transitions: passed.transitions,
    },
  };
  // The composite's output is what reaches its nested output: with one block leading there, what
  // outside read that block's output now reads the composite's.
  const exits = new Set(inner.filter((t) => t.to === outId).map((t) => t.from));
  const toGroup = new Map<string, string>(exits.size === 1 ? [[[...exits][0] as string, id]] : []);
  const blocks: Block[] = [];
  for (const b of data.blocks) {
    if (b === chosen[0]) blocks.push(composite);
    else if (!inside.has(b.id)) blocks.push(rewriteBlockRefs(b, toGroup));
  }
  const transitions = outer.map((t) => rewriteTransitionRefs(t, toGroup));
  return { data: { meta: data.meta, blocks, transitions }, id };
}

export function ungroupBlock(data: GraphData, id: string): UngroupResult {
  const comp = data.blocks.find((b) => b.id === id);
  if (comp?.type !== 'composite') return { error: 'Select one composite block to ungroup.' };
  const kids = comp.graph.blocks;
  const ends = new Set(kids.filter((b) => b.type === 'input' || b.type === 'output').map((b) => b.id));
  const inputs = new Set(kids.filter((b) => b.type === 'input').map((b) => b.id));
  const outputs = new Set(kids.filter((b) => b.type === 'output').map((b) => b.id));
  const inner = kids.filter((b) => !ends.has(b.id));
  const outerIds = new Set(data.blocks.filter((b) => b.id !== id).map((b) => b.id));
  const clash = inner.filter((b) => outerIds.has(b.id)).map((b) => b.id);
  if (clash.length > 0)
    return {
      error: `Cannot ungroup: ${clash.join(', ')} ${clash.length === 1 ? 'is' : 'are'} also used outside. Rename ${clash.length === 1 ? 'it' : 'them'} inside first.`,
    };
  const anchor = anchorOf(inner);
  const dx = (comp.position?.x ?? anchor.x) - anchor.x;
  const dy = (comp.position?.y ?? anchor.y) - anchor.y;
  // Inputs the group's mapping filled from outer outputs are read from those outputs again.
  const back = mappedOutputs(comp.inputMap, (x) => outerIds.has(x));
  const moved = inner.map((b) => {
    const r = rewriteBlockRefs(b, back, 'input', 'out');
    return dx === 0 && dy === 0
      ? r
      : { ...r, position: { x: (r.position?.x ?? 0) + dx, y: (r.position?.y ?? 0) + dy } };
  });

  const fromIn = comp.graph.transitions.filter((t) => inputs.has(t.from) && !ends.has(t.to));
  const toOut = comp.graph.transitions.filter((t) => outputs.has(t.to) && !ends.has(t.from));
  const usedIds = new Set(data.transitions.map((t) => t.id));
  const fresh = (base: string): string => {
    const t = uniqueId(base, (x) => usedIds.has(x));
    usedIds.add(t);
    return t;
  };
  // Outside, what read the composite's output reads the one block that led to its nested output.
  const exits = new Set(toOut.map((c) => c.from));
  const fromGroup = new Map<string, string>(exits.size === 1 ? [[id, [...exits][0] as string]] : []);
  const fwd = (t: Transition): Transition => rewriteTransitionRefs(t, fromGroup);
  const transitions: Transition[] = [];
  const leaving = new Map<string, Transition>();
  for (const t of data.transitions) {
    if (t.from === id) {
      leaving.set(t.id, t);
      continue;
    }
    if (t.to !== id) {
      transitions.push(fwd(t));
      continue;
    }
    const match = fromIn.find((c) => c.id === t.id);
    const targets = match ? [match.to] : [...new Set(fromIn.map((c) => c.to))];
    targets.forEach((to, i) => {
      transitions.push(fwd(i === 0 ? { ...t, to } : { ...t, id: fresh(`${t.id}_${to}`), to }));
    });
  }
  // Inside transitions in their own order, so every inner block keeps its routing order.
  for (const raw of comp.graph.transitions) {
    if (inputs.has(raw.from)) continue;
    const c = rewriteTransitionRefs(raw, back, 'input', 'out');
    if (!outputs.has(c.to)) {
      transitions.push(usedIds.has(c.id) ? { ...c, id: fresh(c.id) } : c);
      usedIds.add(c.id);
      continue;
    }
    const out = leaving.get(c.id);
    if (out) {
      transitions.push(fwd({ ...out, from: c.from }));
      leaving.delete(c.id);
    }
  }
  // Transitions added to the composite after grouping leave from every block that led to its output.
  for (const t of leaving.values()) {
    const sources = [...new Set(toOut.map((c) => c.from))];
    sources.forEach((from, i) => {
      transitions.push(fwd(i === 0 ? { ...t, from } : { ...t, id: fresh(`${t.id}_${from}`), from }));
    });
  }
  const blocks: Block[] = [];
  for (const b of data.blocks) {
    if (b.id === id) blocks.push(...moved);
    else blocks.push(rewriteBlockRefs(b, fromGroup));
  }
  return { data: { meta: data.meta, blocks, transitions }, ids: moved.map((b) => b.id) };
}
