import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import { createEstimateStore, type EstimateState, type EstimateStore } from './estimate-store';

/** Outside an editor (unit tests of the canvas) no estimate arrives: an empty store answers. */
const EMPTY = createEstimateStore();
const EstimateContext = createContext<EstimateStore>(EMPTY);

export function EstimateProvider({ store, children }: { store: EstimateStore; children: ReactNode }) {
  return <EstimateContext.Provider value={store}>{children}</EstimateContext.Provider>;
}

export function useEstimateStore(): EstimateStore {
  return useContext(EstimateContext);
}

/** One narrow slice of the estimate state. */
export function useEstimate<T>(selector: (s: EstimateState) => T): T {
  return useStore(useContext(EstimateContext), selector);
}
