/**
 * The LLM service as the engine sees it: one `call` (the engine's injected LlmCaller) that picks a
 * model when a selection policy applies, dispatches to the simulated provider or a pooled
 * OpenAI-compatible client, validates structured output, estimates missing token counts, prices
 * the attempt and removes any secret from what it returns. It never throws: failures are statuses.
 */
import {
  jsonSchemaValidator,
  type LlmCaller,
  type LlmRequest,
  type LlmResponse,
  type ModelEstimates,
  type ModelRef,
  RETRYABLE,
} from '@graphwright/shared';
import { loadProviders, type ModelConfig, type OpenAICompatibleProvider, type ProviderEntry } from './config';
import { DEFAULT_MAX_RETRY_AFTER_MS, makeRedactor } from './errors';
import { callOpenAICompatible, type ProviderResult } from './openai-call';
import { ClientPool, type Transport } from './pool';
import { selectModel } from './select';
import { type SimulatedOptions, SimulatedProvider, type Sleep } from './simulated';
import { costUsd, estimatePromptTokens, estimateTextTokens, type Price } from './tokens';

type Env = Readonly<Record<string, string | undefined>>;

export interface LlmServiceOptions {
  /** Where keys and GW_PROVIDERS, GW_PROVIDERS_FILE, GW_SIM_* are read; defaults to process.env. */
  readonly env?: Env | undefined;
  /** Extra OpenAI-compatible providers, checked like the configuration file's entries. */
  readonly providers?: readonly unknown[] | undefined;
  /** History per block identity and model, for selection policies. */
  readonly estimates?: ModelEstimates | undefined;
  /** The simulated provider's sleep (tests inject an instant one). */
  readonly sleep?: Sleep | undefined;
  /** Seed, latency scale (0 = zero latency) and models of the simulated provider. */
  readonly simulated?: Omit<SimulatedOptions, 'sleep'> | undefined;
  /** `request` (default): the slim fetch over undici.request; `fetch`: undici's fetch. */
  readonly transport?: Transport | undefined;
  /** Cap on a provider's Retry-After (default 60 s). */
  readonly maxRetryAfterMs?: number | undefined;
  /** Wall clock for HTTP-date Retry-After headers. */
  readonly now?: (() => number) | undefined;
}

export interface PublicModelInfo {
  readonly id: string;
  readonly displayName: string;
  /** USD per 1M tokens; null when unknown (costs are then reported as unknown). */
  readonly inputPer1M: number | null;
  readonly outputPer1M: number | null;
}

/** What the UI may show about a provider: never a key, an env var's value or a URL. */
export interface PublicProviderInfo {
  readonly id: string;
  readonly displayName: string;
  readonly simulated: boolean;
  readonly configured: boolean;
  /** "ready", or what to do, e.g. "not configured: set OPENAI_API_KEY". */
  readonly status: string;
  readonly models: readonly PublicModelInfo[];
  /** Whether a model name not in `models` may be used (with unknown cost). */
  readonly allowUnlistedModels: boolean;
  readonly isDefault: boolean;
}

export interface LlmService {
  readonly call: LlmCaller;
  providers(): PublicProviderInfo[];
  /** The provider and model a new block starts with. */
  defaultModel(): ModelRef;
  /** The simulated provider: change its latency or failure rate at run time, reseed it. */
  readonly simulator: SimulatedProvider;
  /** Providers whose pooled client exists (clients are created on first use). */
  clients(): string[];
  close(): Promise<void>;
}

const DEFAULT_OUTPUT_TOKENS = 256;

function parseReply(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  // Models (local ones especially) like to wrap JSON in a Markdown fence even when asked not to.
  const fenced = /^\s*```(?:json)?\s*\n?([\s\S]*?)\n?\s*```\s*$/i.exec(text);
  try {
    return { ok: true, value: JSON.parse(fenced ? (fenced[1] ?? '') : text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

function simOptionsFromEnv(env: Env): Omit<SimulatedOptions, 'sleep'> {
  const num = (v: string | undefined): number | undefined =>
    v !== undefined && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
  return { seed: num(env.GW_SIM_SEED), latencyScale: num(env.GW_SIM_LATENCY_SCALE) };
}

export function createLlmService(opts: LlmServiceOptions = {}): LlmService {
  const env = opts.env ?? process.env;
  const entries = loadProviders({ env, providers: opts.providers });
  const byId = new Map<string, ProviderEntry>(entries.map((e) => [e.id, e]));
  const modelIndex = new Map<string, Map<string, ModelConfig>>();
  for (const e of entries) {
    if (e.kind === 'openai-compatible') modelIndex.set(e.id, new Map(e.models.map((m) => [m.id, m])));
  }
  const simulator = new SimulatedProvider({
    ...simOptionsFromEnv(env),
    ...opts.simulated,
    sleep: opts.sleep,
  });
  const pool = new ClientPool({ transport: opts.transport });
  const now = opts.now ?? Date.now;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const keys = entries.flatMap((e) =>
    e.kind === 'openai-compatible' && e.apiKey ? [e.apiKey.reveal()] : [],
  );
  const redact = makeRedactor(() => keys);
  const openaiReady =
    (byId.get('openai') as OpenAICompatibleProvider | undefined)?.notConfigured === undefined;
  const defaultRef: ModelRef =
    openaiReady && byId.has('openai')
      ? { provider: 'openai', model: 'gpt-4o-mini' }
      : { provider: 'simulated', model: 'sim-fast' };

  /** The model's price; undefined when unknown; 'unavailable' when it cannot be called at all. */
  function priceOf(ref: ModelRef): Price | undefined | 'unavailable' {
    const entry = byId.get(ref.provider);
    if (!entry) return 'unavailable';
    if (entry.kind === 'simulated') return simulator.model(ref.model) ?? 'unavailable';
    if (entry.notConfigured) return 'unavailable';
    const m = modelIndex.get(entry.id)?.get(ref.model);
    return m ?? (entry.allowUnlistedModels ? undefined : 'unavailable');
  }

  function respond(
    req: LlmRequest,
    provider: string,
    model: string,
    price: Price | undefined,
    r: ProviderResult,
    selectionReason: string | undefined,
  ): LlmResponse {
    let status = r.status;
    let error = r.error;
    let output: unknown;
    const text = r.text;
    // When text came back the prompt was processed: count it even if the provider did not.
    const produced = status === 'ok' || (text !== undefined && text.length > 0);
    const estimated = produced && (r.tokensIn === undefined || r.tokensOut === undefined);
    const tokensIn = r.tokensIn ?? (produced ? estimatePromptTokens(req.messages) : 0);
    const tokensOut = r.tokensOut ?? (produced ? estimateTextTokens(text ?? '') : 0);
    if (status === 'ok' && req.outputSchema) {
      const cut = r.finishReason === 'length' ? ' (the reply was cut off at the max tokens limit)' : '';
      const parsed = parseReply(text ?? '');
      if (!parsed.ok) {
        status = 'invalid_output';
        error = `The reply is not valid JSON${cut}: ${parsed.error}`;
      } else {
        const check = jsonSchemaValidator(req.outputSchema)(parsed.value);
        if (check.valid) output = parsed.value;
        else {
          status = 'invalid_output';
          error = `The reply does not match the output schema${cut}: ${check.errors.join('; ')}`;
        }
      }
    }
    return {
      status,
      retryable: RETRYABLE[status],
      retryAfterMs: r.retryAfterMs,
      text,
      output,
      error: error === undefined ? undefined : redact(error),
      provider,
      model,
      tokensIn,
      tokensOut,
      tokensEstimated: estimated || undefined,
      costUsd: costUsd(tokensIn, tokensOut, price),
      latencyMs: r.latencyMs,
      ttftMs: r.ttftMs,
      finishReason: r.finishReason,
      selectionReason,
      raw: r.raw,
    };
  }

  const fail = (status: LlmResponse['status'], error: string): ProviderResult => ({
    status,
    error,
    latencyMs: 0,
  });

  async function dispatch(req: LlmRequest): Promise<LlmResponse> {
    let provider = req.provider;
    let model = req.model;
    let reason: string | undefined;
    if (req.selection) {
      const chosen = selectModel(req.selection, {
        estimates: opts.estimates,
        identity: req.identity,
        priceOf,
        promptTokens: estimatePromptTokens(req.messages),
        outputTokens: req.maxTokens ?? DEFAULT_OUTPUT_TOKENS,
      });
      if (chosen) {
        provider = chosen.provider;
        model = chosen.model;
        reason = chosen.reason;
      } else {
        reason = 'no model in the selection policy is available; using the block model';
      }
    }
    const entry = byId.get(provider);
    if (!entry) {
      const known = [...byId.keys()].join(', ');
      return respond(
        req,
        provider,
        model,
        undefined,
        fail('invalid_request', `Unknown provider "${provider}": configured providers are ${known}.`),
        reason,
      );
    }
    if (entry.kind === 'simulated') {
      const price = simulator.model(model);
      return respond(req, provider, model, price, await simulator.call(req, model), reason);
    }
    const price = modelIndex.get(entry.id)?.get(model);
    if (entry.notConfigured) {
      return respond(
        req,
        provider,
        model,
        price,
        fail('auth_error', `${entry.displayName} is ${entry.notConfigured}.`),
        reason,
      );
    }
    if (!price && !entry.allowUnlistedModels) {
      const list = entry.models.map((m) => m.id).join(', ');
      return respond(
        req,
        provider,
        model,
        undefined,
        fail('invalid_request', `${entry.displayName} does not offer "${model}": use one of ${list}.`),
        reason,
      );
    }
    if (req.signal.aborted)
      return respond(req, provider, model, price, fail('cancelled', 'The request was cancelled.'), reason);
    const r = await callOpenAICompatible(pool.get(entry), entry, req, model, { now, maxRetryAfterMs });
    return respond(req, provider, model, price, r, reason);
  }

  const call: LlmCaller = async (req) => {
    try {
      return await dispatch(req);
    } catch (e) {
      // Unreachable by design; the engine's contract is that the caller never throws.
      const r = fail(
        'server_error',
        `Internal error in the LLM service: ${(e as Error)?.message ?? String(e)}`,
      );
      return respond(req, req.provider, req.model, undefined, r, undefined);
    }
  };

  return {
    call,
    simulator,
    defaultModel: () => defaultRef,
    clients: () => pool.created(),
    providers() {
      return entries.map((e): PublicProviderInfo => {
        if (e.kind === 'simulated') {
          return {
            id: e.id,
            displayName: e.displayName,
            simulated: true,
            configured: true,
            status: 'ready',
            allowUnlistedModels: false,
            isDefault: defaultRef.provider === e.id,
            models: simulator.models().map((m) => ({
              id: m.id,
              displayName: `${m.displayName} (simulated)`,
              inputPer1M: m.inputPer1M,
              outputPer1M: m.outputPer1M,
            })),
          };
        }
        return {
          id: e.id,
          displayName: e.displayName,
          simulated: false,
          configured: e.notConfigured === undefined,
          status: e.notConfigured ?? 'ready',
          allowUnlistedModels: e.allowUnlistedModels,
          isDefault: defaultRef.provider === e.id,
          models: e.models.map((m) => ({
            id: m.id,
            displayName: m.displayName ?? m.id,
            inputPer1M: m.inputPer1M ?? null,
            outputPer1M: m.outputPer1M ?? null,
          })),
        };
      });
    },
    close: () => pool.close(),
  };
}
