import type { Reducer } from '../../graph/schema';
import { deepFreeze } from './run-ctx';

/** Combines a var's current value with a newly assigned one. Never mutates either. */
export function reduceVar(reducer: Reducer, current: unknown, next: unknown, freeze = false): unknown {
  let v: unknown;
  switch (reducer) {
    case 'replace':
      v = next;
      break;
    case 'append':
      v = Array.isArray(current)
        ? [...current, next]
        : current === null || current === undefined
          ? [next]
          : [current, next];
      break;
    case 'sum':
      v = (typeof current === 'number' ? current : 0) + (typeof next === 'number' ? next : Number(next) || 0);
      break;
    case 'merge':
      v =
        next && typeof next === 'object' && !Array.isArray(next)
          ? { ...(current && typeof current === 'object' ? current : {}), ...next }
          : next;
      break;
  }
  return freeze ? deepFreeze(v) : v;
}
