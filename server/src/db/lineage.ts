import type { BlockType, CompiledBlock, CompiledGraph } from '@graphwright/shared';

/** One row of block lineage: this block (scoped id) now has `version`, which replaced `previousVersion`. */
export interface LineageEntry {
  /** Scoped: nested blocks are "composite/inner". */
  readonly blockId: string;
  readonly version: string;
  readonly previousVersion: string | null;
  readonly name?: string | undefined;
  readonly type?: BlockType | undefined;
  readonly previousName?: string | undefined;
  readonly previousType?: BlockType | undefined;
}

function flatten(g: CompiledGraph, prefix: string, out: Map<string, CompiledBlock>): void {
  for (const b of g.blocks) {
    const id = prefix + b.id;
    out.set(id, b);
    if (b.type === 'composite') flatten(b.child, `${id}/`, out);
  }
}

/**
 * What a save changed, block by block (nested blocks included): a block whose version differs from
 * the previous saved graph's block with the same id gets an entry naming its predecessor; a new
 * block gets one with no predecessor; an unchanged block gets none.
 */
export function lineageEntries(previous: CompiledGraph | undefined, next: CompiledGraph): LineageEntry[] {
  const before = new Map<string, CompiledBlock>();
  if (previous) flatten(previous, '', before);
  const after = new Map<string, CompiledBlock>();
  flatten(next, '', after);
  const out: LineageEntry[] = [];
  for (const [id, b] of after) {
    const p = before.get(id);
    if (p && p.version === b.version) continue;
    out.push({
      blockId: id,
      version: b.version,
      previousVersion: p ? p.version : null,
      name: b.name,
      type: b.type,
      previousName: p?.name,
      previousType: p?.type,
    });
  }
  return out;
}
