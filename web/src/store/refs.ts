import type { Block, Transition } from '@graphwright/shared';

const OUT_REF = /(^|[^A-Za-z0-9_.])out\.([A-Za-z_][A-Za-z0-9_]*)/g;

/** Rewrites `out.<old>` to `out.<new>` in a template or CEL text for every renamed block id. */
export function rewriteOutRefs(text: string, ids: ReadonlyMap<string, string>): string {
  if (ids.size === 0 || !text.includes('out.')) return text;
  return text.replace(OUT_REF, (m, pre: string, id: string) => {
    const to = ids.get(id);
    return to === undefined ? m : `${pre}out.${to}`;
  });
}

function mapRecord(
  r: Record<string, string> | undefined,
  ids: ReadonlyMap<string, string>,
): Record<string, string> | undefined {
  if (!r) return r;
  let changed = false;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) {
    const nv = rewriteOutRefs(v, ids);
    if (nv !== v) changed = true;
    out[k] = nv;
  }
  return changed ? out : r;
}

/** The block with every `out.<id>` reference in its config following the renamed ids; the same object when none does. */
export function rewriteBlockRefs(block: Block, ids: ReadonlyMap<string, string>): Block {
  if (ids.size === 0) return block;
  const assign = mapRecord(block.assign, ids);
  let next: Block = assign === block.assign ? block : { ...block, assign };
  switch (next.type) {
    case 'llm': {
      const system = next.system === undefined ? undefined : rewriteOutRefs(next.system, ids);
      let msgsChanged = false;
      const messages = next.messages.map((m) => {
        const content = rewriteOutRefs(m.content, ids);
        if (content === m.content) return m;
        msgsChanged = true;
        return { ...m, content };
      });
      if (system !== next.system || msgsChanged) {
        const copy = { ...next, messages: msgsChanged ? messages : next.messages };
        if (system !== undefined) copy.system = system;
        next = copy;
      }
      break;
    }
    case 'transform': {
      const expr = rewriteOutRefs(next.expr, ids);
      if (expr !== next.expr) next = { ...next, expr };
      break;
    }
    case 'output': {
      if (next.value !== undefined) {
        const value = rewriteOutRefs(next.value, ids);
        if (value !== next.value) next = { ...next, value };
      }
      break;
    }
    case 'composite': {
      const inputMap = mapRecord(next.inputMap, ids);
      if (inputMap !== next.inputMap) next = { ...next, inputMap };
      break;
    }
    case 'input':
      break;
  }
  return next;
}

export function rewriteTransitionRefs(t: Transition, ids: ReadonlyMap<string, string>): Transition {
  if (t.when === undefined) return t;
  const when = rewriteOutRefs(t.when, ids);
  return when === t.when ? t : { ...t, when };
}
