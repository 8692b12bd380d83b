/** The LLM service: see service.ts for the entry point, config.ts for provider configuration. */
export { loadProviders, OPENAI_MODELS, ProviderConfigError, type ProviderInput, Secret } from './config';
export { DEFAULT_MAX_RETRY_AFTER_MS, makeRedactor, mapError, parseRetryAfter, statusForHttp } from './errors';
export type { Transport } from './pool';
export { formatMs, MIN_SELECTION_SAMPLES, type Selection, selectModel } from './select';
export {
  createLlmService,
  type LlmService,
  type LlmServiceOptions,
  type PublicModelInfo,
  type PublicProviderInfo,
} from './service';
export {
  DEFAULT_SIM_MODELS,
  realSleep,
  type SimModelSpec,
  type SimulatedOptions,
  SimulatedProvider,
  type Sleep,
} from './simulated';
export { costUsd, estimatePromptTokens, estimateTextTokens } from './tokens';
