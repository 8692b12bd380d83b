import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { useStore } from 'zustand';
import { serverNow, useNow } from './format';
import type { RunController } from './run-controller';
import { createRunStore, type RunStore, type RunStoreState } from './run-store';

interface RunContextValue {
  readonly store: RunStore;
  readonly controller: RunController | undefined;
}

/** Outside an editor (unit tests of the canvas) nothing runs: an empty store answers. */
const EMPTY: RunContextValue = { store: createRunStore(), controller: undefined };
const RunContext = createContext<RunContextValue>(EMPTY);

export function RunProvider({
  store,
  controller,
  children,
}: {
  store: RunStore;
  /** undefined on a read-only (shared) view: nothing can be started, resumed or forked there. */
  controller: RunController | undefined;
  children: ReactNode;
}) {
  const value = useMemo(() => ({ store, controller }), [store, controller]);
  return <RunContext.Provider value={value}>{children}</RunContext.Provider>;
}

export function useRunStore(): RunStore {
  return useContext(RunContext).store;
}

/** The run controller; undefined outside an editor and on read-only views. */
export function useRunController(): RunController | undefined {
  return useContext(RunContext).controller;
}

/** One narrow slice of the run state (keep selectors cheap: they run on every event batch). */
export function useRun<T>(selector: (s: RunStoreState) => T): T {
  return useStore(useContext(RunContext).store, selector);
}

/** "Now" in server time for the run views: ticking while `ticking`, or the replay position while replaying. */
export function useRunClock(ticking: boolean, everyMs = 250): number {
  const replayAt = useRun((s) => s.replayAt);
  const offset = useRun((s) => s.clockOffset);
  const now = useNow(ticking && replayAt === undefined, everyMs);
  return replayAt ?? serverNow(now, offset);
}
