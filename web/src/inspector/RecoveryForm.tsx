import type { ModelRef, RecoveryPolicy, RetryPolicy } from '@graphwright/shared';
import type { ProvidersState } from '../api/providers';
import { FALLBACK_MODEL } from '../store/defaults';
import { NumberInput } from './fields';
import { ModelPicker } from './ModelPicker';
import { withPatch } from './use-block';

function clean<T extends object>(v: T): T | undefined {
  return Object.keys(v).length === 0 ? undefined : v;
}

/** Retry, fallback and repair settings; every field optional (the graph defaults fill the rest). */
export function RecoveryForm({
  value,
  onChange,
  providers,
  testId,
  allowFallback = true,
}: {
  value: RecoveryPolicy | undefined;
  onChange: (field: string, v: RecoveryPolicy | undefined) => void;
  providers: ProvidersState;
  testId: string;
  allowFallback?: boolean;
}) {
  const policy = value ?? {};
  const retry = policy.retry ?? {};
  const setRetry = (field: keyof RetryPolicy, v: number | undefined) =>
    onChange(`retry.${field}`, clean(withPatch(policy, { retry: clean(withPatch(retry, { [field]: v })) })));
  const fallback = policy.fallback ?? [];
  const setFallback = (list: ModelRef[]) =>
    onChange('fallback', clean(withPatch(policy, { fallback: list.length > 0 ? list : undefined })));
  return (
    <div className="recovery" data-testid={testId}>
      <div className="grid-2">
        <NumberInput
          label="Max attempts"
          value={retry.maxAttempts}
          onChange={(v) => setRetry('maxAttempts', v)}
          min={1}
          max={20}
          integer
          placeholder="3"
          testId={`${testId}-max-attempts`}
        />
        <NumberInput
          label="Base delay (ms)"
          value={retry.baseDelayMs}
          onChange={(v) => setRetry('baseDelayMs', v)}
          min={0}
          max={600_000}
          placeholder="500"
        />
        <NumberInput
          label="Backoff multiplier"
          value={retry.multiplier}
          onChange={(v) => setRetry('multiplier', v)}
          min={1}
          max={10}
          placeholder="2"
        />
        <NumberInput
          label="Max delay (ms)"
          value={retry.maxDelayMs}
          onChange={(v) => setRetry('maxDelayMs', v)}
          min={0}
          max={3_600_000}
        />
        <NumberInput
          label="Jitter (0–1)"
          value={retry.jitter}
          onChange={(v) => setRetry('jitter', v)}
          min={0}
          max={1}
        />
        <NumberInput
          label="Max total (ms)"
          value={retry.maxTotalMs}
          onChange={(v) => setRetry('maxTotalMs', v)}
          min={0}
          max={86_400_000}
        />
      </div>
      <NumberInput
        label="Repair attempts on invalid output"
        value={policy.repair?.maxAttempts}
        onChange={(v) =>
          onChange(
            'repair',
            clean(withPatch(policy, { repair: v === undefined ? undefined : { maxAttempts: v } })),
          )
        }
        min={0}
        max={5}
        integer
        hint="Asks again with the schema error when the output does not match its schema."
      />
      {allowFallback && (
        <div className="fallbacks">
          <span className="field-label">Fallback models (tried in order after retries)</span>
          {fallback.map((m, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: fallbacks are positional (tried in order)
            <div className="row" key={i}>
              <ModelPicker
                label={`Fallback ${i + 1}`}
                value={m}
                providers={providers}
                onChange={(v) => setFallback(fallback.map((x, j) => (j === i ? v : x)))}
              />
              <button
                type="button"
                className="btn btn-small"
                aria-label={`Remove fallback ${i + 1}`}
                onClick={() => setFallback(fallback.filter((_, j) => j !== i))}
              >
                ✕
              </button>
            </div>
          ))}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setFallback([...fallback, fallback[fallback.length - 1] ?? FALLBACK_MODEL])}
          >
            + Add fallback
          </button>
        </div>
      )}
    </div>
  );
}
