import type { BlockPath } from '../engine/events';
import type { CompiledBlock, CompiledGraph, CompiledTransition } from '../graph/compiled';
import type { Topology } from '../graph/topology';

/**
 * How often control flows along each transition, and how often each block runs per run of its
 * graph: branch probabilities learned from transition counts (with a prior where there is no
 * history), then expected visits through acyclic parts and loops (a linear system per strongly
 * connected component).
 */

/** Learned branch statistics for one graph (its own id), keyed by the scope of nested graphs. */
export interface BranchCounts {
  /** How many times the transition from → to with this condition hash was taken. */
  taken(path: BlockPath, from: string, to: string, conditionHash: string): number;
  /** How many times the block finished: the denominator of its branch probabilities. */
  finished(path: BlockPath, blockId: string): number;
}

/** Every transition out of a block, the `else` one last. */
export function outgoingAll(b: CompiledBlock): readonly CompiledTransition[] {
  return b.elseTransition ? [...b.outgoing, b.elseTransition] : b.outgoing;
}

export interface BranchProbabilities {
  /** Probability per transition index that it fires after one finish of its source block. */
  readonly p: Float64Array;
  /** Finishes observed per block (0 where the prior was used). */
  readonly samples: Float64Array;
}

export function branchProbabilities(
  g: CompiledGraph,
  path: BlockPath,
  counts: BranchCounts | undefined,
  minSamples: number,
): BranchProbabilities {
  const p = new Float64Array(g.transitions.length);
  const samples = new Float64Array(g.blocks.length);
  for (const b of g.blocks) {
    const out = outgoingAll(b);
    if (out.length === 0) continue;
    if (counts) {
      const taken = out.map((t) => counts.taken(path, b.id, blockId(g, t.to), t.conditionHash));
      const fin = counts.finished(path, b.id);
      const sum = taken.reduce((s, x) => s + x, 0);
      if (b.routing === 'first' && fin > sum && alwaysTakesOne(b)) {
        // Every finish took a transition, so the unexplained ones went through transitions whose
        // condition has since been edited (a new hash, no history yet): credit them to the current
        // transitions that have none, so editing a condition does not zero its branch.
        const fresh = taken.filter((x) => x === 0).length;
        if (fresh > 0)
          for (let i = 0; i < taken.length; i++) if (taken[i] === 0) taken[i] = (fin - sum) / fresh;
      }
      // Robust to a missing finish count: with routing "first" at most one transition fires per
      // finish, with "all" each fires at most once per finish.
      const denom = b.routing === 'first' ? Math.max(fin, sum) : Math.max(fin, ...taken);
      if (denom > 0 && denom >= minSamples) {
        out.forEach((t, i) => {
          p[t.index] = (taken[i] as number) / denom;
        });
        samples[b.index] = denom;
        continue;
      }
    }
    priorProbabilities(b, p);
  }
  return { p, samples };
}

/** With routing "first", whether every finish takes some transition (an `else` or an unconditional one). */
function alwaysTakesOne(b: CompiledBlock): boolean {
  return b.elseTransition !== undefined || b.outgoing.some((t) => t.when === undefined);
}

/**
 * Without history: with routing "first" the mass is spread evenly over the transitions that can
 * fire (conditional ones up to the first unconditional one, which shadows the rest, else the
 * `else`); with routing "all" an unconditional transition always fires and a conditional one is a
 * coin toss, the `else` firing when none of them does.
 */
function priorProbabilities(b: CompiledBlock, p: Float64Array): void {
  if (b.routing === 'first') {
    const candidates: CompiledTransition[] = [];
    let shadowed = false;
    for (const t of b.outgoing) {
      candidates.push(t);
      if (t.when === undefined) {
        shadowed = true;
        break;
      }
    }
    if (!shadowed && b.elseTransition) candidates.push(b.elseTransition);
    for (const t of candidates) p[t.index] = 1 / candidates.length;
    return;
  }
  let none = 1;
  for (const t of b.outgoing) {
    p[t.index] = t.when === undefined ? 1 : 0.5;
    none *= 1 - (p[t.index] as number);
  }
  if (b.elseTransition) p[b.elseTransition.index] = none;
}

export function blockId(g: CompiledGraph, index: number): string {
  return (g.blocks[index] as CompiledBlock).id;
}

export interface Visits {
  /** Expected activations of each block per run of this graph. */
  readonly v: Float64Array;
  /** Expected activations arriving from outside each block's component (loop entries). */
  readonly inflow: Float64Array;
}

/** Largest loop (component) solved exactly; bigger ones are iterated. */
const MAX_DIRECT_SOLVE = 200;

export function expectedVisits(g: CompiledGraph, topo: Topology, p: Float64Array): Visits {
  const n = g.blocks.length;
  const v = new Float64Array(n);
  const inflow = new Float64Array(n);
  inflow[g.inputIndex] = 1;
  // Tarjan numbers components in reverse topological order: walk them from the last to the first.
  for (let c = topo.sccMembers.length - 1; c >= 0; c--) {
    const members = topo.sccMembers[c] as readonly number[];
    if (!topo.sccCyclic[c]) {
      const i = members[0] as number;
      const b = g.blocks[i] as CompiledBlock;
      let vin = inflow[i] as number;
      if (b.join === 'all' && b.joinAncestors) {
        // A join "all" runs once per wave that a fan-out started, not once per arriving branch.
        let cap = -1;
        for (const a of b.joinAncestors)
          if ((g.blocks[a] as CompiledBlock).routing === 'all') cap = Math.max(cap, v[a] as number);
        if (cap >= 0) vin = Math.min(vin, cap);
      }
      v[i] = Math.min(vin, b.maxVisits);
    } else {
      solveLoop(g, topo, c, p, inflow, v);
    }
    for (const i of members) {
      for (const t of outgoingAll(g.blocks[i] as CompiledBlock)) {
        if (topo.sccOf[t.to] === c) continue;
        inflow[t.to] = (inflow[t.to] as number) + (v[i] as number) * (p[t.index] as number);
      }
    }
  }
  return { v, inflow };
}

/** v = e + Pᵀv restricted to one component (e: inflow from outside), clamped to maxVisits. */
function solveLoop(
  g: CompiledGraph,
  topo: Topology,
  c: number,
  p: Float64Array,
  inflow: Float64Array,
  v: Float64Array,
): void {
  const members = topo.sccMembers[c] as readonly number[];
  const k = members.length;
  const local = new Map<number, number>();
  members.forEach((m, j) => {
    local.set(m, j);
  });
  const internal: [number, number, number][] = []; // [from local, to local, probability]
  for (const m of members)
    for (const t of outgoingAll(g.blocks[m] as CompiledBlock)) {
      const j = local.get(t.to);
      if (j !== undefined && (p[t.index] as number) > 0)
        internal.push([local.get(m) as number, j, p[t.index] as number]);
    }
  const e = members.map((m) => inflow[m] as number);
  const cap = members.map((m) => (g.blocks[m] as CompiledBlock).maxVisits);
  let x = k <= MAX_DIRECT_SOLVE ? solveDirect(k, internal, e) : undefined;
  if (!x || x.some((xi, j) => !Number.isFinite(xi) || xi < -1e-9 || xi > (cap[j] as number)))
    x = solveIterative(k, internal, e, cap);
  members.forEach((m, j) => {
    v[m] = Math.min(Math.max(0, x[j] as number), cap[j] as number);
  });
}

/** Gaussian elimination with partial pivoting on (I − Pᵀ)x = e; undefined when singular. */
function solveDirect(
  k: number,
  internal: readonly [number, number, number][],
  e: readonly number[],
): number[] | undefined {
  const a: Float64Array[] = Array.from({ length: k }, (_, i) => {
    const row = new Float64Array(k + 1);
    row[i] = 1;
    row[k] = e[i] as number;
    return row;
  });
  // Row `to` collects inflow from `from`: x_to − Σ p·x_from = e_to.
  for (const [from, to, prob] of internal) {
    const row = a[to] as Float64Array;
    row[from] = (row[from] as number) - prob;
  }
  for (let col = 0; col < k; col++) {
    let piv = col;
    for (let r = col + 1; r < k; r++)
      if (Math.abs((a[r] as Float64Array)[col] as number) > Math.abs((a[piv] as Float64Array)[col] as number))
        piv = r;
    const pr = a[piv] as Float64Array;
    if (Math.abs(pr[col] as number) < 1e-12) return undefined;
    a[piv] = a[col] as Float64Array;
    a[col] = pr;
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const row = a[r] as Float64Array;
      const f = (row[col] as number) / (pr[col] as number);
      if (f === 0) continue;
      for (let cc = col; cc <= k; cc++) row[cc] = (row[cc] as number) - f * (pr[cc] as number);
    }
  }
  return a.map((row, i) => (row[k] as number) / (row[i] as number));
}

/**
 * Fixed-point iteration with the visit caps applied each sweep: converges for any loop, including
 * one that history says never exits (it then runs until the engine's maxVisits stops it).
 */
function solveIterative(
  k: number,
  internal: readonly [number, number, number][],
  e: readonly number[],
  cap: readonly number[],
): number[] {
  let x = [...e];
  for (let sweep = 0; sweep < 20_000; sweep++) {
    const next = [...e];
    for (const [from, to, prob] of internal) next[to] = (next[to] as number) + prob * (x[from] as number);
    let change = 0;
    for (let j = 0; j < k; j++) {
      next[j] = Math.min(next[j] as number, cap[j] as number);
      change = Math.max(change, Math.abs((next[j] as number) - (x[j] as number)));
    }
    x = next;
    if (change < 1e-9) break;
  }
  return x;
}
