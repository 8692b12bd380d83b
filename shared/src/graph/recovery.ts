import { DEFAULT_RETRY, type ResolvedRecovery } from './compiled';
import type { RecoveryPolicy } from './schema';

/** A block's recovery policy with the graph's defaults and the built-in defaults filled in. */
export function resolveRecovery(
  block: RecoveryPolicy | undefined,
  graph: RecoveryPolicy | undefined,
): ResolvedRecovery {
  const retry = { ...DEFAULT_RETRY, ...stripUndefined(graph?.retry), ...stripUndefined(block?.retry) };
  return {
    retry,
    fallback: block?.fallback ?? graph?.fallback ?? [],
    repairAttempts: block?.repair?.maxAttempts ?? graph?.repair?.maxAttempts ?? 1,
  };
}

function stripUndefined<T extends object>(o: T | undefined): Partial<T> {
  if (!o) return {};
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
