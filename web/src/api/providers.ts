import type { ModelRef } from '@graphwright/shared';
import { useEffect, useState } from 'react';
import { errorMessage } from './errors';
import { api } from './trpc';

/** One provider as `provider.list` describes it (no keys: the server never sends them). */
export type ProviderInfo = Awaited<ReturnType<typeof api.provider.list.query>>[number];

export type ProvidersState =
  | { status: 'loading' }
  | { status: 'ready'; providers: readonly ProviderInfo[] }
  | { status: 'error'; message: string };

let cached: Promise<readonly ProviderInfo[]> | undefined;

export function loadProviders(): Promise<readonly ProviderInfo[]> {
  const p =
    cached ??
    api.provider.list.query().catch((e: unknown) => {
      cached = undefined;
      throw e;
    });
  cached = p;
  return p;
}

/** The providers and their models, fetched once per page load. */
export function useProviders(): ProvidersState {
  const [state, setState] = useState<ProvidersState>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    loadProviders().then(
      (providers) => live && setState({ status: 'ready', providers }),
      (e: unknown) => live && setState({ status: 'error', message: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/** The model a new LLM block gets: the server's default provider's first model, else the first configured one. */
export function defaultModelOf(providers: readonly ProviderInfo[]): ModelRef | undefined {
  const usable = providers.filter((p) => p.configured && p.models.length > 0);
  const pick = usable.find((p) => p.isDefault) ?? usable.find((p) => !p.simulated) ?? usable[0];
  const model = pick?.models[0];
  return pick && model ? { provider: pick.id, model: model.id } : undefined;
}

/** How a provider is labelled in the model picker. */
export function providerLabel(p: ProviderInfo): string {
  const tags = [p.simulated ? 'simulated' : undefined, p.configured ? undefined : 'not configured'].filter(
    Boolean,
  );
  return tags.length > 0 ? `${p.name} (${tags.join(', ')})` : p.name;
}

export function priceLabel(m: ProviderInfo['models'][number]): string {
  if (m.inputPer1M === null || m.outputPer1M === null) return '';
  return `$${m.inputPer1M}/$${m.outputPer1M} per 1M tokens`;
}
