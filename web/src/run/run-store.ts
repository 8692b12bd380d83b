import type { BlockGraphEstimate, GraphEstimateTotals, RunEvent } from '@graphwright/shared';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EditorStore } from '../store/store';
import type { BlockStatus } from '../store/types';
import type { ConnectionState } from './follow';
import { applyRunEvents, foldRun, initialRunState, type RunState, topLevelStatuses } from './run-state';

export interface EstimateInfo {
  readonly version: number;
  /** By scoped block id (path/id). */
  readonly blocks: ReadonlyMap<string, BlockGraphEstimate>;
  readonly totals: GraphEstimateTotals;
}

export type DockTab = 'run' | 'timeline' | 'history' | 'compare';
export type InspectorTab = 'config' | 'run';

export interface RunStoreState {
  readonly runId: string | undefined;
  /** The graph version the shown run used (from run.get or run.start). */
  readonly version: number | undefined;
  /** The fold of every event received for the run. */
  readonly live: RunState | undefined;
  /** While replaying: the run as it was at this time. */
  readonly replayAt: number | undefined;
  /** What the canvas and the panels show: `live`, or the replay. */
  readonly shown: RunState | undefined;
  readonly connection: ConnectionState | 'idle';
  readonly connectionDetail: string | undefined;
  readonly estimate: EstimateInfo | undefined;
  readonly dockOpen: boolean;
  readonly tab: DockTab;
  readonly inspectorTab: InspectorTab;
  readonly compare: readonly [string, string] | undefined;
  /** Bumped when the list of runs may have changed. */
  readonly historyKey: number;
  readonly busy: boolean;
  /** Browser clock minus server clock when the server's is ahead (event times are the server's); else 0. */
  readonly clockOffset: number;
  /** What the person typed into the run inputs form, per field (raw text). */
  readonly inputDraft: Readonly<Record<string, string>>;
  /** Blocks to pause before / after in the next run. */
  readonly breakpoints: ReadonlyMap<string, { readonly before: boolean; readonly after: boolean }>;
  readonly actions: RunStoreActions;
}

export interface RunStoreActions {
  /** Shows a run: its stored events replay, then live ones follow. */
  show(runId: string, version?: number): void;
  /** Stops showing a run and clears the canvas statuses. */
  clear(): void;
  /** Events arrive here (batched into the state). */
  receive(event: RunEvent): void;
  setConnection(state: ConnectionState | 'idle', detail?: string): void;
  setVersion(version: number): void;
  setEstimate(estimate: EstimateInfo | undefined): void;
  setReplay(at: number | undefined): void;
  /** Every event of the shown run so far, in order. */
  events(): readonly RunEvent[];
  setDock(open: boolean, tab?: DockTab): void;
  setInspectorTab(tab: InspectorTab): void;
  setCompare(pair: readonly [string, string] | undefined): void;
  setBusy(busy: boolean): void;
  setInputDraft(draft: Readonly<Record<string, string>>): void;
  setBreakpoint(blockId: string, when: 'before' | 'after', on: boolean): void;
  refreshHistory(): void;
  /** Applies what is queued now (tests; the store does it on a short timer). */
  flush(): void;
}

export type RunStore = StoreApi<RunStoreState>;

export interface RunStoreOptions {
  /** Where block statuses go (the canvas). */
  readonly editor?: EditorStore;
  /** How long events queue before one state update (token deltas come fast). */
  readonly batchMs?: number;
}

export function createRunStore(opts: RunStoreOptions = {}): RunStore {
  const batchMs = opts.batchMs ?? 30;
  let all: RunEvent[] = [];
  let pending: RunEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pushed = new Map<string, BlockStatus>();

  /** Pushes the shown run's top-level statuses into the editor store, as a diff. */
  const pushStatuses = (shown: RunState | undefined): void => {
    const editor = opts.editor;
    if (!editor) return;
    const next = shown ? topLevelStatuses(shown) : new Map<string, BlockStatus>();
    const entries: [string, BlockStatus][] = [];
    for (const [id, st] of next) if (pushed.get(id) !== st) entries.push([id, st]);
    for (const id of pushed.keys()) if (!next.has(id)) entries.push([id, 'idle']);
    if (editor.getState().status.size === 0 && pushed.size > 0) {
      // The editor reloaded its document (which clears statuses): push everything again.
      entries.length = 0;
      for (const [id, st] of next) entries.push([id, st]);
    }
    if (entries.length > 0) editor.getState().actions.setStatuses(entries);
    pushed = next;
  };

  const store = createStore<RunStoreState>()((set, get) => {
    const flush = (): void => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      const s = get();
      if (pending.length === 0 || !s.live) return;
      const batch = pending;
      pending = [];
      const live = applyRunEvents(s.live, batch);
      if (live === s.live) return;
      // An event that seems to come from the future says the server's clock is ahead of ours.
      // (Stored events replayed after a reload are old, so only this direction can be trusted.)
      const skew = Date.now() - (batch[batch.length - 1] as RunEvent).at;
      const clockOffset = skew < s.clockOffset - 50 ? skew : s.clockOffset;
      set(s.replayAt === undefined ? { live, shown: live, clockOffset } : { live, clockOffset });
    };

    const actions: RunStoreActions = {
      show(runId, version) {
        if (timer) clearTimeout(timer);
        timer = undefined;
        all = [];
        pending = [];
        const live = initialRunState(runId);
        set({
          runId,
          version,
          live,
          shown: live,
          replayAt: undefined,
          connection: 'connecting',
          connectionDetail: undefined,
          estimate: undefined,
          clockOffset: 0,
        });
      },
      clear() {
        if (timer) clearTimeout(timer);
        timer = undefined;
        all = [];
        pending = [];
        set({
          runId: undefined,
          version: undefined,
          live: undefined,
          shown: undefined,
          replayAt: undefined,
          connection: 'idle',
          connectionDetail: undefined,
          estimate: undefined,
        });
      },
      receive(event) {
        const s = get();
        if (!s.live || event.runId !== s.live.runId) return;
        const last = all[all.length - 1];
        if (last && event.seq <= last.seq) return;
        all.push(event);
        pending.push(event);
        if (!timer) timer = setTimeout(flush, batchMs);
      },
      setConnection(connection, detail) {
        set({ connection, connectionDetail: detail });
      },
      setVersion(version) {
        set({ version });
      },
      setEstimate(estimate) {
        set({ estimate });
      },
      setReplay(at) {
        const s = get();
        if (at === undefined) {
          set({ replayAt: undefined, shown: s.live });
          return;
        }
        if (!s.runId) return;
        set({
          replayAt: at,
          shown: foldRun(
            s.runId,
            all.filter((e) => e.at <= at),
          ),
        });
      },
      events: () => all,
      setDock(open, tab) {
        set(tab ? { dockOpen: open, tab } : { dockOpen: open });
      },
      setInspectorTab(inspectorTab) {
        set({ inspectorTab });
      },
      setCompare(compare) {
        set(compare ? { compare, tab: 'compare', dockOpen: true } : { compare: undefined });
      },
      setBusy(busy) {
        set({ busy });
      },
      setInputDraft(inputDraft) {
        set({ inputDraft });
      },
      setBreakpoint(blockId, when, on) {
        const next = new Map(get().breakpoints);
        const cur = next.get(blockId) ?? { before: false, after: false };
        const b = { ...cur, [when]: on };
        if (b.before || b.after) next.set(blockId, b);
        else next.delete(blockId);
        set({ breakpoints: next });
      },
      refreshHistory() {
        set({ historyKey: get().historyKey + 1 });
      },
      flush,
    };

    return {
      runId: undefined,
      version: undefined,
      live: undefined,
      replayAt: undefined,
      shown: undefined,
      connection: 'idle',
      connectionDetail: undefined,
      estimate: undefined,
      dockOpen: false,
      tab: 'run',
      inspectorTab: 'config',
      compare: undefined,
      historyKey: 0,
      busy: false,
      clockOffset: 0,
      inputDraft: {},
      breakpoints: new Map(),
      actions,
    };
  });

  let lastShown: RunState | undefined;
  store.subscribe((s) => {
    if (s.shown === lastShown) return;
    lastShown = s.shown;
    pushStatuses(s.shown);
  });
  return store;
}
