import type { AttemptAggregate, BlockIdentity, BranchCounts } from '@graphwright/shared';
import type { AggregateCache } from './cache';
import type { LineageCache, TransitionCount, VisitCount } from './reads';
import type { EstimateContext } from './types';

/** What estimates read: the aggregate, and the earlier version it belongs to when it falls back. */
export interface ResolvedAggregate {
  readonly agg: AttemptAggregate;
  readonly version: string | undefined;
}

const MAX_LINEAGE_STEPS = 5;
const SEP = '\u0001';

/**
 * The aggregate behind an estimate: this version's when it has `minSamples`, else the nearest
 * earlier version (along the lineage) that has, else whichever has the most samples.
 */
export function resolveAggregate(
  aggs: AggregateCache,
  lineage: LineageCache,
  minSamples: number,
  identity: BlockIdentity,
  ctx: EstimateContext,
): ResolvedAggregate | undefined {
  const provider = ctx.provider ?? '';
  const model = ctx.model ?? '';
  const cur = aggs.get(identity.name, identity.type, identity.version, provider, model);
  if (cur && cur.count >= minSamples) return { agg: cur, version: undefined };
  // Too little history on this version: walk back along the lineage to one that has enough.
  let best: { agg: AttemptAggregate; version: string } | undefined;
  let name = identity.name;
  let type: string = identity.type;
  let version = identity.version;
  for (let step = 0; step < MAX_LINEAGE_STEPS; step++) {
    const prev = lineage.previous(ctx.graphId, ctx.blockId, version);
    if (!prev) break;
    name = prev.name ?? name;
    type = prev.type ?? type;
    version = prev.version;
    const a = aggs.get(name, type, version, provider, model);
    if (!a) continue;
    if (a.count >= minSamples) return { agg: a, version };
    if (a.count > (best?.agg.count ?? cur?.count ?? 0)) best = { agg: a, version };
  }
  // None has enough: show whichever has the most, labelled when it is not this version.
  if (best) return best;
  return cur ? { agg: cur, version: undefined } : undefined;
}

/** Branch and finish counts of one graph, as the graph estimate reads them. */
export function branchCounts(
  transitions: readonly TransitionCount[],
  visits: readonly VisitCount[],
): BranchCounts {
  const taken = new Map<string, number>();
  for (const t of transitions)
    taken.set(t.scope + SEP + t.from + SEP + t.to + SEP + t.conditionHash, t.count);
  const finished = new Map<string, number>();
  for (const v of visits) finished.set(v.scope + SEP + v.blockId, v.finishes);
  return {
    taken: (path, from, to, hash) => taken.get(path.join('/') + SEP + from + SEP + to + SEP + hash) ?? 0,
    finished: (path, blockId) => finished.get(path.join('/') + SEP + blockId) ?? 0,
  };
}
