/**
 * Graph topology over block indexes: strongly connected components and ancestor bitsets. Cost is
 * O(V + E) for the components plus O(E · C/32) for the bitsets (C components), which keeps a
 * 1,000-block compile well under a millisecond.
 */

export interface Topology {
  /** Component id of each block. */
  readonly sccOf: Int32Array;
  /** Members of each component; components are numbered in reverse topological order. */
  readonly sccMembers: readonly (readonly number[])[];
  /** Whether a component contains a cycle (more than one member, or a self-loop). */
  readonly sccCyclic: readonly boolean[];
  /** isAncestor(a, b): a can reach b through at least one transition. */
  isAncestor(a: number, b: number): boolean;
  /** Blocks that can reach b (b itself included only when it lies on a cycle). */
  ancestorsOf(b: number): Set<number>;
}

/** How many blocks the short search in isAncestor may visit before the bitsets answer instead. */
const NEAR_SEARCH_BUDGET = 48;

/**
 * Each block's successors (one per transition, in transition order): block i's are
 * to[start[i]] up to to[start[i + 1]]. One list for the whole graph, not one per block.
 */
export interface Adjacency {
  readonly start: Int32Array;
  readonly to: Int32Array;
}

/** The Adjacency of per-block successor lists. */
export function adjacencyOf(lists: readonly (readonly number[])[]): Adjacency {
  const start = new Int32Array(lists.length + 1);
  for (let i = 0; i < lists.length; i++) start[i + 1] = (start[i] as number) + (lists[i] as number[]).length;
  return { start, to: Int32Array.from(lists.flat()) };
}

export function computeTopology(n: number, succ: Adjacency): Topology {
  const { start, to } = succ;
  // Tarjan's algorithm, iterative (a 5,000-block chain must not overflow the stack): the work
  // stack holds a block and the index of its next edge.
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const sccOf = new Int32Array(n).fill(-1);
  // Tarjan's stack, as an array and its height (no push, no length changes).
  const stack = new Int32Array(n);
  let height = 0;
  const members: number[][] = [];
  const workV = new Int32Array(n);
  const workE = new Int32Array(n);
  let next = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    let top = 0;
    workV[0] = root;
    workE[0] = 0;
    while (top >= 0) {
      const v = workV[top] as number;
      const e = workE[top] as number;
      if (e === 0 && index[v] === -1) {
        index[v] = next;
        low[v] = next;
        next++;
        stack[height++] = v;
        onStack[v] = 1;
      }
      const first = start[v] as number;
      if (first + e < (start[v + 1] as number)) {
        const w = to[first + e] as number;
        workE[top] = e + 1;
        if (index[w] === -1) {
          top++;
          workV[top] = w;
          workE[top] = 0;
        } else if (onStack[w]) low[v] = Math.min(low[v] as number, index[w] as number);
        continue;
      }
      top--;
      if (top >= 0) {
        const parent = workV[top] as number;
        low[parent] = Math.min(low[parent] as number, low[v] as number);
      }
      if (low[v] === index[v]) {
        // The component is the stack from v up, listed from the top down.
        let from = height - 1;
        while (stack[from] !== v) from--;
        const comp: number[] = new Array(height - from);
        const id = members.length;
        for (let k = 0; k < comp.length; k++) {
          const w = stack[height - 1 - k] as number;
          onStack[w] = 0;
          sccOf[w] = id;
          comp[k] = w;
        }
        height = from;
        members.push(comp);
      }
    }
  }
  const sccCount = members.length;
  const sccCyclic = members.map((m) => m.length > 1 || hasEdge(succ, m[0] as number, m[0] as number));

  // Ancestor bitsets: one row per component, one bit per component. Tarjan numbers components in
  // reverse topological order, so a component's ancestors all have higher numbers: walking from
  // the last component to the first settles each row before it is passed on, and a row holds no
  // bit below its own component's word (the OR starts there).
  const words = (sccCount + 31) >>> 5;
  let bits: Uint32Array | undefined;
  const build = (): Uint32Array => {
    const b = new Uint32Array(sccCount * words);
    for (let c = sccCount - 1; c >= 0; c--) {
      const mine = c * words;
      const first = c >>> 5;
      const self = 1 << (c & 31);
      if (sccCyclic[c]) b[mine + first] = (b[mine + first] as number) | self;
      const comp = members[c] as number[];
      for (let k = 0; k < comp.length; k++) {
        const v = comp[k] as number;
        for (let e = start[v] as number, end = start[v + 1] as number; e < end; e++) {
          const cw = sccOf[to[e] as number] as number;
          if (cw === c) continue;
          const theirs = cw * words;
          for (let i = first; i < words; i++)
            b[theirs + i] = (b[theirs + i] as number) | (b[mine + i] as number);
          // My component is an ancestor of w's too.
          b[theirs + first] = (b[theirs + first] as number) | self;
        }
      }
    }
    return b;
  };
  // Most questions are about a block a few steps upstream: a short search answers them before the
  // bitsets are needed (a 1,000-block graph's take ~0.1 ms to build). Scratch for that search:
  // marks stamped per search, and its stack (each block pushed at most once).
  let mark: Int32Array | undefined;
  let stamp = 0;
  const work = new Int32Array(NEAR_SEARCH_BUDGET + 1);
  /** True when a reaches component cb (lower than a's) within the budget; false: not found. */
  const reachesNear = (a: number, cb: number): boolean => {
    mark ??= new Int32Array(n);
    stamp++;
    let top = 0;
    let pushed = 0;
    work[top++] = a;
    while (top > 0) {
      const v = work[--top] as number;
      for (let e = start[v] as number, end = start[v + 1] as number; e < end; e++) {
        const w = to[e] as number;
        const cw = sccOf[w] as number;
        // In the component: w reaches every member (a cycle joins them when there are several).
        if (cw === cb) return true;
        // Below it: w cannot reach it.
        if (cw < cb || mark[w] === stamp) continue;
        if (pushed === NEAR_SEARCH_BUDGET) return false;
        mark[w] = stamp;
        work[top++] = w;
        pushed++;
      }
    }
    return false;
  };
  return {
    sccOf,
    sccMembers: members,
    sccCyclic,
    isAncestor(a, b) {
      const ca = sccOf[a] as number;
      const cb = sccOf[b] as number;
      // An edge never leads to a higher component: a block reaches only its own and lower ones.
      if (ca < cb) return false;
      if (ca === cb) return sccCyclic[ca] as boolean;
      if (bits === undefined && reachesNear(a, cb)) return true;
      bits ??= build();
      return ((bits[cb * words + (ca >>> 5)] as number) & (1 << (ca & 31))) !== 0;
    },
    ancestorsOf(b) {
      bits ??= build();
      const row = (sccOf[b] as number) * words;
      const out = new Set<number>();
      for (let i = 0; i < words; i++) {
        let w = bits[row + i] as number;
        while (w !== 0) {
          const bit = 31 - Math.clz32(w & -w);
          for (const m of members[i * 32 + bit] as number[]) out.add(m);
          w &= w - 1;
        }
      }
      return out;
    },
  };
}

/** Blocks reachable from `from` (included) following `succ`. */
export function reachableFrom(from: number, succ: Adjacency, n: number): Uint8Array {
  const { start, to } = succ;
  const seen = new Uint8Array(n);
  // Each block enters the queue once.
  const queue = new Int32Array(n);
  let tail = 0;
  queue[tail++] = from;
  seen[from] = 1;
  for (let q = 0; q < tail; q++) {
    const v = queue[q] as number;
    for (let e = start[v] as number, end = start[v + 1] as number; e < end; e++) {
      const w = to[e] as number;
      if (!seen[w]) {
        seen[w] = 1;
        queue[tail++] = w;
      }
    }
  }
  return seen;
}

/** Whether a transition leads from a to b. */
function hasEdge(succ: Adjacency, a: number, b: number): boolean {
  for (let e = succ.start[a] as number, end = succ.start[a + 1] as number; e < end; e++)
    if (succ.to[e] === b) return true;
  return false;
}

/** The blocks a transition leads to from v, in transition order (repeats kept). */
export function successors(succ: Adjacency, v: number): number[] {
  return Array.from(succ.to.subarray(succ.start[v] as number, succ.start[v + 1] as number));
}
