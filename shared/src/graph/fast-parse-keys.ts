/** Key tables for the fast parser (fast-parse.ts). */

export type Rec = Record<string, unknown>;

/** Every key a block can have, in the order the schema (and so zod's output) lists them. */
export const BLOCK_KEYS = [
  'id',
  'name',
  'description',
  'position',
  'routing',
  'join',
  'assign',
  'timeoutMs',
  'maxVisits',
  'type',
  'fields',
  'value',
  'provider',
  'model',
  'selection',
  'system',
  'messages',
  'outputSchema',
  'temperature',
  'maxTokens',
  'topP',
  'stop',
  'recovery',
  'expr',
  'inputMap',
  'graph',
] as const;

const ALL_KEYS: readonly string[] = [
  ...BLOCK_KEYS,
  'schemaVersion',
  'budget',
  'vars',
  'defaults',
  'limits',
  'blocks',
  'transitions',
  'reducer',
  'initial',
  'retry',
  'fallback',
  'repair',
  'maxAttempts',
  'baseDelayMs',
  'multiplier',
  'maxDelayMs',
  'jitter',
  'maxTotalMs',
  'maxRetryAfterMs',
  'from',
  'to',
  'when',
  'else',
  'label',
  'models',
  'maxP95Ms',
  'minSuccessRate',
  'required',
  'default',
  'x',
  'y',
  'role',
  'content',
  'maxIterations',
  'maxVisitsPerBlock',
  'deadlineMs',
  'maxCostUsd',
  'maxLatencyMs',
];

/**
 * Whether the prototypes are as the fast path assumes: Object.prototype holds none of the keys the
 * schema reads (zod would read an inherited one) and no enumerable property (for...in would list
 * it), and nothing has a toJSON that JSON.stringify would call. Checked once per document.
 */
export function prototypesClean(): boolean {
  for (const k of ALL_KEYS) if (k in Object.prototype) return false;
  for (const _ in Object.prototype) return false;
  return !('toJSON' in Array.prototype);
}
