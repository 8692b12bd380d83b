/**
 * Graph topology over block indexes: strongly connected components and ancestor bitsets. Cost is
 * O(V + E) for the components plus O(E · V/32) for the bitsets, which keeps a 1,000-block compile
 * well under a millisecond.
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

export function computeTopology(n: number, succ: readonly (readonly number[])[]): Topology {
  // Tarjan's algorithm, iterative (a 5,000-block chain must not overflow the stack).
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const sccOf = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  const members: number[][] = [];
  let next = 0;
  const work: [number, number][] = [];
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    work.push([root, 0]);
    while (work.length > 0) {
      const frame = work[work.length - 1] as [number, number];
      const v = frame[0];
      if (frame[1] === 0 && index[v] === -1) {
        index[v] = next;
        low[v] = next;
        next++;
        stack.push(v);
        onStack[v] = 1;
      }
      const edges = succ[v] as readonly number[];
      if (frame[1] < edges.length) {
        const w = edges[frame[1]] as number;
        frame[1]++;
        if (index[w] === -1) work.push([w, 0]);
        else if (onStack[w]) low[v] = Math.min(low[v] as number, index[w] as number);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]] as number, low[v] as number);
      if (low[v] === index[v]) {
        const comp: number[] = [];
        const id = members.length;
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          sccOf[w] = id;
          comp.push(w);
        } while (w !== v);
        members.push(comp);
      }
    }
  }
  const sccCount = members.length;
  const sccCyclic = members.map(
    (m) => m.length > 1 || (succ[m[0] as number] as readonly number[]).includes(m[0] as number),
  );

  // Ancestor bitsets per component. Tarjan numbers components in reverse topological order, so
  // walking from the last component to the first visits every predecessor before its successors.
  const words = (n + 31) >>> 5;
  let bits: Uint32Array | undefined;
  const bitsOf = (c: number): Uint32Array => {
    bits ??= new Uint32Array(sccCount * words);
    return bits.subarray(c * words, (c + 1) * words);
  };
  let built = false;
  const build = (): void => {
    built = true;
    for (let c = sccCount - 1; c >= 0; c--) {
      const mine = bitsOf(c);
      if (sccCyclic[c])
        for (const m of members[c] as number[]) mine[m >>> 5] = (mine[m >>> 5] as number) | (1 << (m & 31));
      for (const m of members[c] as number[]) {
        for (const w of succ[m] as readonly number[]) {
          const cw = sccOf[w] as number;
          if (cw === c) continue;
          const theirs = bitsOf(cw);
          for (let i = 0; i < words; i++) theirs[i] = (theirs[i] as number) | (mine[i] as number);
          theirs[m >>> 5] = (theirs[m >>> 5] as number) | (1 << (m & 31));
          // Members of my component are ancestors of w too.
          for (const m2 of members[c] as number[])
            theirs[m2 >>> 5] = (theirs[m2 >>> 5] as number) | (1 << (m2 & 31));
        }
      }
    }
  };
  return {
    sccOf,
    sccMembers: members,
    sccCyclic,
    isAncestor(a, b) {
      if (!built) build();
      const row = bitsOf(sccOf[b] as number);
      return ((row[a >>> 5] as number) & (1 << (a & 31))) !== 0;
    },
    ancestorsOf(b) {
      if (!built) build();
      const row = bitsOf(sccOf[b] as number);
      const out = new Set<number>();
      for (let i = 0; i < words; i++) {
        let w = row[i] as number;
        while (w !== 0) {
          const bit = 31 - Math.clz32(w & -w);
          out.add(i * 32 + bit);
          w &= w - 1;
        }
      }
      return out;
    },
  };
}

/** Blocks reachable from `start` (included) following `succ`. */
export function reachableFrom(start: number, succ: readonly (readonly number[])[], n: number): Uint8Array {
  const seen = new Uint8Array(n);
  const queue = [start];
  seen[start] = 1;
  for (let q = 0; q < queue.length; q++) {
    for (const w of succ[queue[q] as number] as readonly number[]) {
      if (!seen[w]) {
        seen[w] = 1;
        queue.push(w);
      }
    }
  }
  return seen;
}
