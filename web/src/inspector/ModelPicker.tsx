import type { ModelRef } from '@graphwright/shared';
import { useId } from 'react';
import { type ProviderInfo, type ProvidersState, priceLabel, providerLabel } from '../api/providers';
import { Field, TextInput } from './fields';

function modelName(p: ProviderInfo, model: string): string {
  return p.models.find((m) => m.id === model)?.name ?? model;
}

const SEP = '\u001f';
const key = (provider: string, model: string) => `${provider}${SEP}${model}`;

/**
 * Picks a provider and model from the server's provider list. Simulated providers and providers
 * without credentials are labelled as such; a model the list does not know stays selectable and
 * is marked. Without the list (server unreachable) the two names can be typed.
 */
export function ModelPicker({
  label,
  value,
  onChange,
  providers,
  testId,
}: {
  label: string;
  value: ModelRef;
  onChange: (v: ModelRef) => void;
  providers: ProvidersState;
  testId?: string;
}) {
  const id = useId();
  if (providers.status !== 'ready') {
    return (
      <div className="model-free">
        <TextInput
          label={`${label}: provider`}
          value={value.provider}
          onChange={(provider) => onChange({ ...value, provider })}
          testId={testId ? `${testId}-provider` : undefined}
          mono
          hint={
            providers.status === 'loading'
              ? 'Loading providers…'
              : `Provider list unavailable: ${providers.message}`
          }
        />
        <TextInput
          label={`${label}: model`}
          value={value.model}
          onChange={(model) => onChange({ ...value, model })}
          testId={testId ? `${testId}-model` : undefined}
          mono
        />
      </div>
    );
  }
  const list = providers.providers;
  const provider = list.find((p) => p.id === value.provider);
  const known = provider?.models.some((m) => m.id === value.model) ?? false;
  const warning = !provider
    ? `Provider "${value.provider}" is not configured on this server: pick another model.`
    : !known && !provider.allowUnlistedModels
      ? `Model "${value.model}" is not in ${provider.name}'s list: pick another model.`
      : !provider.configured
        ? `${provider.name} is not configured${provider.note ? ` (${provider.note})` : ''}: this block cannot run until it is.`
        : provider.simulated
          ? `${modelName(provider, value.model)}: simulated (realistic latency and tokens, no real LLM call).`
          : `${modelName(provider, value.model)} at ${provider.name}.`;
  return (
    <>
      <Field label={label} htmlFor={id} hint={warning}>
        <select
          id={id}
          className="input"
          value={key(value.provider, value.model)}
          data-testid={testId}
          onChange={(e) => {
            const [p, m] = e.target.value.split(SEP);
            if (p && m) onChange({ provider: p, model: m });
          }}
        >
          {!known && (
            <option value={key(value.provider, value.model)}>
              {value.provider} · {value.model}
              {provider?.allowUnlistedModels ? '' : ' (unknown)'}
            </option>
          )}
          {list.map((p) => (
            <optgroup key={p.id} label={providerLabel(p)}>
              {p.models.map((m) => {
                const price = priceLabel(m);
                return (
                  <option key={m.id} value={key(p.id, m.id)}>
                    {[m.id, p.simulated && 'simulated', !p.configured && 'not configured', price]
                      .filter(Boolean)
                      .join(' · ')}
                  </option>
                );
              })}
            </optgroup>
          ))}
        </select>
      </Field>
      {provider?.allowUnlistedModels && (
        <TextInput
          label={`Model name at ${provider.name}`}
          value={value.model}
          onChange={(model) => model && onChange({ ...value, model })}
          mono
          hint="This endpoint serves models beyond its list: type any model name it knows."
        />
      )}
    </>
  );
}
