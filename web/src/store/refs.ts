import type { Block, Transition } from '@graphwright/shared';

/** The roots of the state a reference can name: a block's output, or the graph's input. */
export type RefRoot = 'out' | 'input';

const REF: Record<RefRoot, RegExp> = {
  out: /(^|[^A-Za-z0-9_.])out\.([A-Za-z_][A-Za-z0-9_]*)/g,
  input: /(^|[^A-Za-z0-9_.])input\.([A-Za-z_][A-Za-z0-9_]*)/g,
};

/** How references are rewritten: `<from>.<key>` becomes `<to>.<ids.get(key)>` for each key in ids. */
interface RefRewrite {
  readonly ids: ReadonlyMap<string, string>;
  readonly from: RefRoot;
  readonly to: RefRoot;
}

function rewrite(text: string, r: RefRewrite): string {
  if (r.ids.size === 0 || !text.includes(`${r.from}.`)) return text;
  return text.replace(REF[r.from], (m, pre: string, key: string) => {
    const to = r.ids.get(key);
    return to === undefined ? m : `${pre}${r.to}.${to}`;
  });
}

/** Rewrites `out.<old>` to `out.<new>` in a template or CEL text for every renamed block id. */
export function rewriteOutRefs(text: string, ids: ReadonlyMap<string, string>): string {
  return rewrite(text, { ids, from: 'out', to: 'out' });
}

/** The `<root>.<key>` names a template or CEL text uses, in order of first use. */
export function refsIn(text: string, root: RefRoot): string[] {
  const keys = new Set<string>();
  for (const m of text.matchAll(REF[root])) keys.add(m[2] as string);
  return [...keys];
}

function mapRecord(
  r: Record<string, string> | undefined,
  how: RefRewrite,
): Record<string, string> | undefined {
  if (!r) return r;
  let changed = false;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) {
    const nv = rewrite(v, how);
    if (nv !== v) changed = true;
    out[k] = nv;
  }
  return changed ? out : r;
}

/**
 * The block with every `<from>.<key>` reference in its config rewritten to `<to>.<ids.get(key)>`
 * (by default: `out.<id>` following renamed block ids); the same object when none changes.
 */
export function rewriteBlockRefs(
  block: Block,
  ids: ReadonlyMap<string, string>,
  from: RefRoot = 'out',
  to: RefRoot = from,
): Block {
  if (ids.size === 0) return block;
  const how: RefRewrite = { ids, from, to };
  const assign = mapRecord(block.assign, how);
  let next: Block = assign === block.assign ? block : { ...block, assign };
  switch (next.type) {
    case 'llm': {
      const system = next.system === undefined ? undefined : rewrite(next.system, how);
      let msgsChanged = false;
      const messages = next.messages.map((m) => {
        const content = rewrite(m.content, how);
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
      const expr = rewrite(next.expr, how);
      if (expr !== next.expr) next = { ...next, expr };
      break;
    }
    case 'output': {
      if (next.value !== undefined) {
        const value = rewrite(next.value, how);
        if (value !== next.value) next = { ...next, value };
      }
      break;
    }
    case 'composite': {
      const inputMap = mapRecord(next.inputMap, how);
      if (inputMap !== next.inputMap) next = { ...next, inputMap };
      break;
    }
    case 'input':
      break;
  }
  return next;
}

export function rewriteTransitionRefs(
  t: Transition,
  ids: ReadonlyMap<string, string>,
  from: RefRoot = 'out',
  to: RefRoot = from,
): Transition {
  if (t.when === undefined) return t;
  const when = rewrite(t.when, { ids, from, to });
  return when === t.when ? t : { ...t, when };
}

/** The template and CEL texts of a block's own config (not those inside a composite's nested graph). */
export function blockTexts(b: Block): string[] {
  const texts = Object.values(b.assign ?? {});
  switch (b.type) {
    case 'llm':
      if (b.system !== undefined) texts.push(b.system);
      for (const m of b.messages) texts.push(m.content);
      break;
    case 'transform':
      texts.push(b.expr);
      break;
    case 'output':
      if (b.value !== undefined) texts.push(b.value);
      break;
    case 'composite':
      texts.push(...Object.values(b.inputMap ?? {}));
      break;
    case 'input':
      break;
  }
  return texts;
}
