import type { BlockPath } from '../engine/events';
import type { CompiledBlock, CompiledGraph } from '../graph/compiled';
import type { BlockType } from '../graph/schema';
import { adjacencyOf, computeTopology, type Topology } from '../graph/topology';
import { type BranchCounts, branchProbabilities, expectedVisits, outgoingAll } from './flow';
import type { BlockEstimate } from './types';

/**
 * A graph's expected cost and latency before it runs: block estimates combined along the graph with
 * learned branch probabilities, expected retries, expected loop iterations, composites (recursively)
 * and parallel branches (the critical path).
 *
 * The model, per graph (and per nested graph):
 * - Each transition fires after a finish of its source with a learned probability (times the
 *   source's chance of succeeding: a failed block ends its branch).
 * - Expected visits solve v = e + Pᵀv (exactly per loop; a join "all" runs once per fan-out wave).
 * - A visit of an `llm` block makes 1 + f + … + f^(m−1) attempts on average (f: the per-attempt
 *   failure rate, m: its retry policy's maxAttempts) and waits the matching backoff delays.
 * - Latency is the time until everything a block triggers has finished: with routing "first" the
 *   probability-weighted mean over branches, with routing "all" the expected maximum over the
 *   branches that fire, and a loop counts its expected visits. Computed three times, with each
 *   block's mean, p50 and p95, which gives the critical path by p50 and by p95. (The p95 total is the
 *   length of the p95 critical path: an upper bound, since blocks rarely all hit their p95 at once.)
 */

export interface GraphEstimateLookups {
  /** History of a block (llm blocks; others run in microseconds and may return undefined). */
  block(block: CompiledBlock, path: BlockPath): BlockEstimate | undefined;
  /** Learned branch counts for this graph; without them every branch uses the prior. */
  readonly branches?: BranchCounts | undefined;
}

export interface GraphEstimateOptions {
  /** Finishes of a block needed before its learned branch probabilities replace the prior. */
  readonly minBranchSamples?: number;
}

export interface BlockGraphEstimate {
  readonly blockId: string;
  /** Enclosing composite ids, outermost first ([] at the top). */
  readonly path: BlockPath;
  /** path and id joined with "/": unique across the whole graph. */
  readonly scopedId: string;
  readonly type: BlockType;
  /** Expected activations per run of the top-level graph (loops and branches included). */
  readonly visits: number;
  readonly attemptsPerVisit: number;
  /** Per visit, retries and backoff included. */
  readonly latencyMeanMs: number;
  readonly latencyP50Ms: number;
  readonly latencyP95Ms: number;
  /** Per visit, retries included; null when unknown (no history, or no known price). */
  readonly costPerVisitUsd: number | null;
  /** Expected cost per run of the top-level graph: visits × cost per visit. */
  readonly costUsd: number | null;
  /** Probability that one visit ends ok (after its retries). */
  readonly success: number;
  readonly samples: number;
  readonly hasHistory: boolean;
  readonly fromPreviousVersion?: string | undefined;
  /** Finishes behind its branch probabilities (0: the prior was used). */
  readonly branchSamples: number;
}

export interface GraphEstimateTotals {
  /** Expected cost per run (blocks with unknown cost count as 0: see costComplete). */
  readonly costUsd: number;
  /** False when a block that is expected to run has no history or no known price. */
  readonly costComplete: boolean;
  readonly latencyMeanMs: number;
  readonly latencyP50Ms: number;
  readonly latencyP95Ms: number;
  /** Probability that a run meets no failing block. */
  readonly successRate: number;
  /** Scoped block ids along the critical path by p50 (composites followed by their inside). */
  readonly criticalPath: readonly string[];
  readonly criticalPathP95: readonly string[];
  /** Fewest samples behind any llm block expected to run (0 when one has none, or there is none). */
  readonly samples: number;
  readonly blocksWithoutHistory: readonly string[];
}

export interface GraphEstimate {
  readonly blocks: readonly BlockGraphEstimate[];
  readonly totals: GraphEstimateTotals;
}

export function estimateGraph(
  compiled: CompiledGraph,
  lookups: GraphEstimateLookups,
  opts: GraphEstimateOptions = {},
): GraphEstimate {
  const r = estimateScope(compiled, [], lookups, opts.minBranchSamples ?? 1);
  return {
    blocks: r.entries,
    totals: {
      costUsd: r.cost,
      costComplete: r.costComplete,
      latencyMeanMs: r.latency[0],
      latencyP50Ms: r.latency[1],
      latencyP95Ms: r.latency[2],
      successRate: r.success,
      criticalPath: r.critical[0],
      criticalPathP95: r.critical[1],
      samples: Number.isFinite(r.samples) ? r.samples : 0,
      blocksWithoutHistory: r.missing,
    },
  };
}

export function scopedId(path: BlockPath, id: string): string {
  return path.length === 0 ? id : `${path.join('/')}/${id}`;
}

type Triple = [mean: number, p50: number, p95: number];

interface ScopeResult {
  /** Per-block figures, visits per run of this scope. */
  entries: BlockGraphEstimate[];
  cost: number;
  costComplete: boolean;
  latency: Triple;
  success: number;
  critical: [string[], string[]];
  samples: number;
  missing: string[];
}

interface PerVisit {
  attempts: number;
  latency: Triple;
  cost: number | null;
  success: number;
  samples: number;
  hasHistory: boolean;
  fromPreviousVersion?: string | undefined;
  child?: ScopeResult | undefined;
}

function estimateScope(
  g: CompiledGraph,
  path: BlockPath,
  lookups: GraphEstimateLookups,
  minBranch: number,
): ScopeResult {
  const n = g.blocks.length;
  const per: PerVisit[] = g.blocks.map((b) => perVisit(b, path, lookups, minBranch));
  const { p, samples: branchSamples } = branchProbabilities(g, path, lookups.branches, minBranch);
  // A visit that fails ends its branch: flow leaves a block only when it succeeded.
  const pe = new Float64Array(p.length);
  for (const t of g.transitions) pe[t.index] = (p[t.index] as number) * (per[t.from] as PerVisit).success;
  const topo = computeTopology(
    n,
    adjacencyOf(g.blocks.map((b) => [...new Set(outgoingAll(b).map((t) => t.to))])),
  );
  const { v, inflow } = expectedVisits(g, topo, pe);

  const entries: BlockGraphEstimate[] = [];
  let cost = 0;
  let costComplete = true;
  let success = 1;
  let samples = Number.POSITIVE_INFINITY;
  const missing: string[] = [];
  g.blocks.forEach((b, i) => {
    const f = per[i] as PerVisit;
    const vi = v[i] as number;
    const id = scopedId(path, b.id);
    if (vi > 1e-12) {
      if (f.cost === null) costComplete = false;
      else cost += vi * f.cost;
      success *= f.success ** vi;
      if (b.type === 'llm') {
        samples = Math.min(samples, f.samples);
        if (!f.hasHistory) missing.push(id);
      }
      if (f.child) {
        samples = Math.min(samples, f.child.samples);
        missing.push(...f.child.missing);
        if (!f.child.costComplete) costComplete = false;
      }
    }
    entries.push({
      blockId: b.id,
      path,
      scopedId: id,
      type: b.type,
      visits: vi,
      attemptsPerVisit: f.attempts,
      latencyMeanMs: f.latency[0],
      latencyP50Ms: f.latency[1],
      latencyP95Ms: f.latency[2],
      costPerVisitUsd: f.cost,
      costUsd: f.cost === null ? null : vi * f.cost,
      success: f.success,
      samples: f.samples,
      hasHistory: f.hasHistory,
      fromPreviousVersion: f.fromPreviousVersion,
      branchSamples: branchSamples[i] as number,
    });
    // Nested figures are per run of the child graph: one run per visit of the composite.
    if (f.child) for (const e of f.child.entries) entries.push(scaleEntry(e, vi));
  });

  const latency: Triple = [0, 0, 0];
  const critical: [string[], string[]] = [[], []];
  for (const m of [0, 1, 2] as const) {
    const d = new Float64Array(n);
    per.forEach((f, i) => {
      d[i] = f.latency[m];
    });
    const rest = restTimes(g, topo, pe, v, inflow, d);
    latency[m] = rest.R[g.inputIndex] as number;
    if (m > 0) critical[m - 1] = criticalPath(g, topo, pe, path, rest.next, per, m === 1 ? 0 : 1);
  }
  return { entries, cost, costComplete, latency, success, critical, samples, missing };
}

function scaleEntry(e: BlockGraphEstimate, by: number): BlockGraphEstimate {
  return { ...e, visits: e.visits * by, costUsd: e.costUsd === null ? null : e.costUsd * by };
}

function perVisit(
  b: CompiledBlock,
  path: BlockPath,
  lookups: GraphEstimateLookups,
  minBranch: number,
): PerVisit {
  if (b.type === 'composite') {
    const child = estimateScope(b.child, [...path, b.id], lookups, minBranch);
    return {
      attempts: 1,
      latency: child.latency,
      cost: child.costComplete ? child.cost : null,
      success: child.success,
      samples: Number.isFinite(child.samples) ? child.samples : 0,
      hasHistory: child.missing.length === 0,
      child,
    };
  }
  const est = lookups.block(b, path);
  if (!est) {
    // Only llm blocks do slow, paid work; the others cost nothing and take microseconds.
    return {
      attempts: 1,
      latency: [0, 0, 0],
      cost: b.type === 'llm' ? null : 0,
      success: 1,
      samples: 0,
      hasHistory: b.type !== 'llm',
    };
  }
  const ok = Math.min(1, Math.max(0, est.successRate));
  let attempts = 1;
  let wait = 0;
  let success = ok;
  if (b.type === 'llm') {
    // Attempt k (0-based) happens when the k before it failed: probability f^k; it is preceded by
    // the backoff delay of retry k.
    const r = b.recovery.retry;
    const f = 1 - ok;
    attempts = 0;
    let pk = 1;
    for (let k = 0; k < r.maxAttempts; k++) {
      attempts += pk;
      if (k > 0) wait += pk * Math.min(r.baseDelayMs * r.multiplier ** (k - 1), r.maxDelayMs);
      pk *= f;
      if (pk < 1e-15) break;
    }
    success = 1 - f ** r.maxAttempts;
  }
  return {
    attempts,
    latency: [
      attempts * est.latencyMeanMs + wait,
      attempts * est.latencyP50Ms + wait,
      attempts * est.latencyP95Ms + wait,
    ],
    cost: est.costMeanUsd === null ? null : attempts * est.costMeanUsd,
    success,
    samples: est.samples,
    hasHistory: true,
    fromPreviousVersion: est.fromPreviousVersion,
  };
}

interface Rest {
  /** Expected time from a block's start until everything it triggers has finished. */
  readonly R: Float64Array;
  /** Next block on the critical path after this block (or its loop); −1 at the end. */
  readonly next: Int32Array;
}

function restTimes(
  g: CompiledGraph,
  topo: Topology,
  pe: Float64Array,
  v: Float64Array,
  inflow: Float64Array,
  d: Float64Array,
): Rest {
  const n = g.blocks.length;
  const R = new Float64Array(n);
  const next = new Int32Array(n).fill(-1);
  // Components are numbered in reverse topological order: successors come first.
  for (let c = 0; c < topo.sccMembers.length; c++) {
    const members = topo.sccMembers[c] as readonly number[];
    if (!topo.sccCyclic[c]) {
      const i = members[0] as number;
      const b = g.blocks[i] as CompiledBlock;
      const kids = outgoingAll(b)
        .filter((t) => (pe[t.index] as number) > 0)
        .map((t) => ({ to: t.to, p: pe[t.index] as number, r: R[t.to] as number }));
      let rest = 0;
      let best = -1;
      let bestTerm = -1;
      if (b.routing === 'first') {
        for (const k of kids) {
          rest += k.p * k.r;
          if (k.p * k.r > bestTerm) [best, bestTerm] = [k.to, k.p * k.r];
        }
      } else {
        // E[max] over branches that fire independently: the longest present branch wins.
        kids.sort((a, b2) => b2.r - a.r);
        let none = 1;
        for (const k of kids) {
          const term = k.r * k.p * none;
          rest += term;
          none *= 1 - Math.min(1, k.p);
          if (term > bestTerm) [best, bestTerm] = [k.to, term];
        }
      }
      R[i] = (d[i] as number) + rest;
      next[i] = best;
      continue;
    }
    // A loop: the time of its expected visits per entry, then the exits weighted by how often
    // each is taken per entry.
    let entries = 0;
    for (const m of members) entries += inflow[m] as number;
    let inside = 0;
    for (const m of members) inside += entries > 0 ? ((v[m] as number) / entries) * (d[m] as number) : 0;
    let rest = 0;
    let best = -1;
    let bestTerm = -1;
    for (const m of members) {
      const w = entries > 0 ? (v[m] as number) / entries : 0;
      for (const t of outgoingAll(g.blocks[m] as CompiledBlock)) {
        if (topo.sccOf[t.to] === c) continue;
        const term = w * (pe[t.index] as number) * (R[t.to] as number);
        rest += term;
        if (term > bestTerm) [best, bestTerm] = [t.to, term];
      }
    }
    for (const m of members) {
      R[m] = inside + rest;
      next[m] = best;
    }
  }
  return { R, next };
}

function criticalPath(
  g: CompiledGraph,
  topo: Topology,
  pe: Float64Array,
  path: BlockPath,
  next: Int32Array,
  per: readonly PerVisit[],
  which: 0 | 1,
): string[] {
  const out: string[] = [];
  const emit = (i: number): void => {
    out.push(scopedId(path, (g.blocks[i] as CompiledBlock).id));
    const child = (per[i] as PerVisit).child;
    if (child) out.push(...child.critical[which]);
  };
  const seen = new Set<number>();
  let cur = g.inputIndex;
  while (cur >= 0) {
    const c = topo.sccOf[cur] as number;
    if (seen.has(c)) break;
    seen.add(c);
    if (!topo.sccCyclic[c]) emit(cur);
    else {
      // Members of the loop in the order control first reaches them from where it entered.
      const order = [cur];
      const inOrder = new Set(order);
      for (let q = 0; q < order.length; q++)
        for (const t of outgoingAll(g.blocks[order[q] as number] as CompiledBlock))
          if (topo.sccOf[t.to] === c && (pe[t.index] as number) > 0 && !inOrder.has(t.to)) {
            inOrder.add(t.to);
            order.push(t.to);
          }
      for (const m of order) emit(m);
    }
    cur = next[cur] as number;
  }
  return out;
}
