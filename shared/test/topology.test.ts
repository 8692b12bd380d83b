import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adjacencyOf, computeTopology } from '../src/graph/topology';

/** Who reaches whom through at least one edge, the slow way: a search from every block. */
function reachesSlow(n: number, succ: number[][]): boolean[][] {
  const r: boolean[][] = [];
  for (let a = 0; a < n; a++) {
    const seen = new Array<boolean>(n).fill(false);
    const stack = [...(succ[a] as number[])];
    while (stack.length > 0) {
      const v = stack.pop() as number;
      if (seen[v]) continue;
      seen[v] = true;
      stack.push(...(succ[v] as number[]));
    }
    r.push(seen);
  }
  return r;
}

const graphs = fc.integer({ min: 1, max: 70 }).chain((n) =>
  fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 2 }).map((edges) => {
    const succ: number[][] = Array.from({ length: n }, () => []);
    for (const [a, b] of edges) succ[a]?.push(b);
    return { n, succ };
  }),
);

describe('computeTopology', () => {
  it('answers isAncestor and ancestorsOf as a search from every block does', () => {
    fc.assert(
      fc.property(graphs, ({ n, succ }) => {
        const topo = computeTopology(n, adjacencyOf(succ));
        const slow = reachesSlow(n, succ);
        const wrong: string[] = [];
        for (let b = 0; b < n; b++) {
          const expected: number[] = [];
          for (let a = 0; a < n; a++) {
            if (topo.isAncestor(a, b) !== slow[a]?.[b]) wrong.push(`isAncestor(${a}, ${b})`);
            if (slow[a]?.[b]) expected.push(a);
          }
          const got = [...topo.ancestorsOf(b)].sort((x, y) => x - y);
          if (got.join() !== expected.join()) wrong.push(`ancestorsOf(${b}): ${got} != ${expected}`);
        }
        // Components come in reverse topological order: an edge never goes to a higher one.
        for (let a = 0; a < n; a++)
          for (const b of succ[a] as number[])
            if ((topo.sccOf[b] as number) > (topo.sccOf[a] as number)) wrong.push(`edge ${a}->${b}`);
        expect(wrong).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('answers isAncestor by its short search (before any bitset is built) as the slow search does', () => {
    fc.assert(
      fc.property(
        graphs,
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 20 }),
        ({ n, succ }, pairs) => {
          const slow = reachesSlow(n, succ);
          for (const [x, y] of pairs) {
            const a = x % n;
            const b = y % n;
            // A fresh topology per question: the answer comes from the short search or the first build.
            expect(computeTopology(n, adjacencyOf(succ)).isAncestor(a, b)).toBe(slow[a]?.[b]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds ancestors more than the short search can reach (a long chain and a wide fan-in)', () => {
    const n = 400;
    const chain: number[][] = Array.from({ length: n }, (_, i) => (i + 1 < n ? [i + 1] : []));
    expect(computeTopology(n, adjacencyOf(chain)).isAncestor(0, n - 1)).toBe(true);
    expect(computeTopology(n, adjacencyOf(chain)).isAncestor(n - 1, 0)).toBe(false);
    // 0 fans out to 1..n-2, which all lead to n-1; the search gives up before it meets it only
    // when the budget runs out first, and the bitsets answer.
    const fan: number[][] = Array.from({ length: n }, () => []);
    for (let i = 1; i < n - 1; i++) {
      fan[0]?.push(i);
      fan[i]?.push(n - 1);
    }
    expect(computeTopology(n, adjacencyOf(fan)).isAncestor(0, n - 1)).toBe(true);
    expect(computeTopology(n, adjacencyOf(fan)).isAncestor(1, 2)).toBe(false);
  });
});
