import { type BlockRunView, blockCost, blockDuration, type RunState } from './run-state';

/** Two runs side by side, per block: status, output, cost and latency, and whether the outputs differ. */

export interface CompareSide {
  readonly status: string;
  readonly durationMs: number | undefined;
  readonly costUsd: number | null | undefined;
  readonly attempts: number;
  readonly hasOutput: boolean;
  readonly output: unknown;
}

export interface CompareRow {
  readonly key: string;
  readonly name: string;
  readonly a: CompareSide | undefined;
  readonly b: CompareSide | undefined;
  readonly outputDiffers: boolean;
}

function side(v: BlockRunView | undefined): CompareSide | undefined {
  if (!v) return undefined;
  return {
    status: v.status,
    durationMs: blockDuration(v),
    costUsd: blockCost(v),
    attempts: v.attempts.length,
    hasOutput: v.hasOutput,
    output: v.output,
  };
}

/** JSON with sorted keys, so that key order never counts as a difference. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([p], [q]) => (p < q ? -1 : 1)))
      : x,
  );
}

/** Rows in the order blocks ran in the first run, then blocks only the second run reached. */
export function compareRuns(a: RunState, b: RunState): CompareRow[] {
  const keys = [...a.order, ...b.order.filter((k) => !a.blocks.has(k))];
  return keys.map((key) => {
    const va = a.blocks.get(key);
    const vb = b.blocks.get(key);
    const sa = side(va);
    const sb = side(vb);
    const outputDiffers =
      (sa?.hasOutput ?? false) !== (sb?.hasOutput ?? false) ||
      (sa?.hasOutput === true && stableJson(sa.output) !== stableJson(sb?.output));
    return { key, name: (va ?? vb)?.name ?? key, a: sa, b: sb, outputDiffers };
  });
}
