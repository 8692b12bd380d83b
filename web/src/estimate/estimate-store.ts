import type { BlockGraphEstimate, GraphEstimate, GraphEstimateTotals } from '@graphwright/shared';
import { createStore, type StoreApi } from 'zustand/vanilla';

/**
 * What history says about the shown graph: per-block estimates by scoped id, the totals, and the
 * critical path as lookups the canvas reads in O(1) per node and edge. Replaced whole whenever the
 * server pushes a fresh estimate (a run of the graph finished).
 */
export interface EstimateState {
  readonly phase: 'idle' | 'loading' | 'ready' | 'error';
  readonly error: string | undefined;
  /** The saved version the figures are for. */
  readonly version: number | undefined;
  readonly blocks: ReadonlyMap<string, BlockGraphEstimate>;
  readonly totals: GraphEstimateTotals | undefined;
  /** Scoped ids on the critical path (by p50). */
  readonly critical: ReadonlySet<string>;
  /** "from→to" pairs of scoped ids that follow each other on the critical path. */
  readonly criticalSteps: ReadonlySet<string>;
  /** How many estimates have arrived (tests and the header's "updated" cue read it). */
  readonly updates: number;
  readonly visible: boolean;
  /** Scoped id of the block whose history popover is open. */
  readonly popover: string | undefined;
  readonly actions: EstimateActions;
}

export interface EstimateActions {
  loading(): void;
  receive(version: number, estimate: GraphEstimate): void;
  fail(message: string): void;
  setVisible(visible: boolean): void;
  openPopover(scopedId: string | undefined): void;
}

export type EstimateStore = StoreApi<EstimateState>;

const VISIBLE_KEY = 'gw.estimates.visible';

function storedVisible(): boolean {
  try {
    return globalThis.localStorage?.getItem(VISIBLE_KEY) !== 'off';
  } catch {
    return true;
  }
}

export function stepKey(from: string, to: string): string {
  return `${from}\u2192${to}`;
}

/**
 * Consecutive blocks of the critical path within each graph: a composite is followed by its inside
 * in the path, so steps are taken between blocks that share their enclosing graph.
 */
export function criticalSteps(path: readonly string[]): Set<string> {
  const last = new Map<string, string>();
  const steps = new Set<string>();
  for (const id of path) {
    const scope = id.includes('/') ? id.slice(0, id.lastIndexOf('/')) : '';
    const prev = last.get(scope);
    if (prev !== undefined) steps.add(stepKey(prev, id));
    last.set(scope, id);
  }
  return steps;
}

export function createEstimateStore(): EstimateStore {
  return createStore<EstimateState>()((set) => ({
    phase: 'idle',
    error: undefined,
    version: undefined,
    blocks: new Map(),
    totals: undefined,
    critical: new Set(),
    criticalSteps: new Set(),
    updates: 0,
    visible: storedVisible(),
    popover: undefined,
    actions: {
      loading: () => set((s) => (s.phase === 'ready' ? s : { phase: 'loading' })),
      receive(version, estimate) {
        // Before any block has history every path is as long as any other: nothing is critical yet.
        const known = estimate.blocks.some((b) => b.type === 'llm' && b.hasHistory);
        const path = known ? estimate.totals.criticalPath : [];
        const steps = criticalSteps(path);
        set((s) => ({
          phase: 'ready',
          error: undefined,
          version,
          blocks: new Map(estimate.blocks.map((b) => [b.scopedId, b])),
          totals: estimate.totals,
          critical: new Set(path),
          criticalSteps: steps,
          updates: s.updates + 1,
        }));
      },
      fail: (message) => set({ phase: 'error', error: message }),
      setVisible(visible) {
        try {
          globalThis.localStorage?.setItem(VISIBLE_KEY, visible ? 'on' : 'off');
        } catch {
          // Private mode: the choice lasts for this page only.
        }
        set({ visible });
      },
      openPopover: (popover) => set({ popover }),
    },
  }));
}
