import type { DiagnosticCollector } from './issues';
import type { Block, GraphDocument, SubGraph } from './schema';
import { type Adjacency, successors, type Topology } from './topology';

/**
 * Two branches of a fan-out (routing "all") that may both write the same `replace` var race: which
 * value wins would depend on timing. That is a compile error; `append`, `sum` and `merge` vars
 * combine both writes and are fine. A branch ends at a join "all" block, where branches meet.
 */
export function checkParallelWrites(
  g: GraphDocument | SubGraph,
  succ: Adjacency,
  _topo: Topology,
  dc: DiagnosticCollector,
): void {
  const blocks = g.blocks;
  const replaceVars = new Set(
    Object.entries(g.vars ?? {})
      .filter(([, spec]) => (spec.reducer ?? 'replace') === 'replace')
      .map(([name]) => name),
  );
  if (replaceVars.size === 0) return;
  blocks.forEach((b, f) => {
    if (b.routing !== 'all') return;
    const targets = [...new Set(successors(succ, f))];
    if (targets.length < 2) return;
    const writers = new Map<string, { branch: number; block: number }>();
    const reported = new Set<string>();
    targets.forEach((start, branch) => {
      for (const i of branchBlocks(start, f, succ, blocks)) {
        for (const v of Object.keys(blocks[i]?.assign ?? {})) {
          if (!replaceVars.has(v) || reported.has(v)) continue;
          const prev = writers.get(v);
          if (prev === undefined) writers.set(v, { branch, block: i });
          else if (prev.branch !== branch) {
            reported.add(v);
            const a = blocks[prev.block]?.id;
            const c = blocks[i]?.id;
            dc.add(
              'parallel_replace_conflict',
              `Blocks "${a}" and "${c}" run in parallel branches of "${b.id}" and both write var "${v}", so the result would depend on timing: give "${v}" the append, sum or merge reducer, or write different vars.`,
              { path: ['blocks', i, 'assign', v], blockId: c },
            );
          }
        }
      }
    });
  });
}

function branchBlocks(start: number, fanOut: number, succ: Adjacency, blocks: readonly Block[]): number[] {
  const seen = new Set<number>([start]);
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q] as number;
    if (blocks[v]?.join === 'all' && v !== start) continue;
    for (const w of successors(succ, v)) {
      if (w === fanOut || seen.has(w) || blocks[w]?.join === 'all') continue;
      seen.add(w);
      queue.push(w);
    }
  }
  return [...seen];
}
