/**
 * Provider configuration, server side only. Graphs name a provider id and a model, never a URL or
 * a key, so a shared or imported graph cannot send a key anywhere. Keys stay in environment
 * variables; configuration names the variable, never the value.
 *
 * Sources, later ones adding to earlier ones (an operator entry with the id `openai` replaces the
 * built-in one; `simulated` is reserved):
 *  1. built-ins: `simulated` (always) and `openai` (usable when OPENAI_API_KEY is set);
 *  2. `GW_PROVIDERS`: a JSON array of provider entries;
 *  3. `GW_PROVIDERS_FILE`: a JSON file holding such an array or `{ "providers": [...] }`;
 *  4. entries passed to `createLlmService({ providers })`.
 */
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { z } from 'zod';

/** A key value that cannot leak through JSON, string conversion or console.log by accident. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}

/** Requests in flight per provider unless configured; also its pool's connection cap. */
export const DEFAULT_CONCURRENCY = 32;

const modelSchema = z
  .object({
    id: z.string().min(1).max(200),
    displayName: z.string().min(1).max(200).optional(),
    /** USD per 1M input tokens; leave out when unknown (cost is then reported as unknown). */
    inputPer1M: z.number().nonnegative().optional(),
    outputPer1M: z.number().nonnegative().optional(),
  })
  .strict();

export const providerInputSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'use lowercase letters, digits, "-" and "_" (at most 64)'),
    displayName: z.string().min(1).max(100),
    baseUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://127.0.0.1:11434/v1' })
      .refine((u) => !new URL(u).username && !new URL(u).password, {
        error: 'must not carry credentials: put the key in an environment variable named by apiKeyEnv',
      }),
    /** Name of the environment variable holding the key; leave out for keyless local servers. */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
      .optional(),
    models: z.array(modelSchema).max(500).default([]),
    /** Whether models missing from `models` may be called (their cost is unknown). */
    allowUnlistedModels: z.boolean().default(true),
    /** Requests in flight at once; also the connection cap of the provider's pool. */
    concurrency: z.number().int().min(1).max(1024).default(DEFAULT_CONCURRENCY),
    /** Whole-request limit (ms) unless a block sets its own timeout. */
    timeoutMs: z.number().int().min(1).max(3_600_000).default(120_000),
    /** Longest silence (ms) tolerated between response chunks once the response has started. */
    idleTimeoutMs: z.number().int().min(1).max(3_600_000).default(60_000),
    /** Stream chat completions (token deltas, time to first token); some servers need false. */
    stream: z.boolean().default(true),
    /** How an output schema is requested; `json_object` or `none` for servers without json_schema. */
    structuredOutput: z.enum(['json_schema', 'json_object', 'none']).default('json_schema'),
  })
  .strict();

export type ProviderInput = z.input<typeof providerInputSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;

export interface OpenAICompatibleProvider extends z.infer<typeof providerInputSchema> {
  readonly kind: 'openai-compatible';
  readonly apiKey: Secret | undefined;
  /** Set when the provider is listed but cannot be called, with what to do about it. */
  readonly notConfigured: string | undefined;
}

export interface SimulatedProviderEntry {
  readonly kind: 'simulated';
  readonly id: 'simulated';
  readonly displayName: string;
}

export type ProviderEntry = OpenAICompatibleProvider | SimulatedProviderEntry;

export class ProviderConfigError extends Error {}

/** OpenAI's published standard prices (USD per 1M tokens); an operator entry `openai` overrides. */
export const OPENAI_MODELS: readonly ModelConfig[] = [
  { id: 'gpt-4o-mini', displayName: 'GPT-4o mini', inputPer1M: 0.15, outputPer1M: 0.6 },
  { id: 'gpt-4o', displayName: 'GPT-4o', inputPer1M: 2.5, outputPer1M: 10 },
  { id: 'gpt-4.1', displayName: 'GPT-4.1', inputPer1M: 2, outputPer1M: 8 },
  { id: 'gpt-4.1-mini', displayName: 'GPT-4.1 mini', inputPer1M: 0.4, outputPer1M: 1.6 },
  { id: 'gpt-4.1-nano', displayName: 'GPT-4.1 nano', inputPer1M: 0.1, outputPer1M: 0.4 },
  { id: 'o4-mini', displayName: 'o4-mini', inputPer1M: 1.1, outputPer1M: 4.4 },
];

const OPENAI_BUILTIN: ProviderInput = {
  id: 'openai',
  displayName: 'OpenAI',
  baseUrl: 'https://api.openai.com/v1',
  apiKeyEnv: 'OPENAI_API_KEY',
  models: [...OPENAI_MODELS],
  concurrency: 64,
};

type Env = Readonly<Record<string, string | undefined>>;

function describe(error: z.ZodError, where: string): string {
  const lines = error.issues.map(
    (i) => `  ${where}${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`,
  );
  return lines.join('\n');
}

function resolve(input: unknown, where: string, env: Env): OpenAICompatibleProvider {
  if (input && typeof input === 'object' && 'apiKey' in input) {
    throw new ProviderConfigError(
      `${where}: "apiKey" is not allowed here; put the key in an environment variable and name it in "apiKeyEnv".`,
    );
  }
  const parsed = providerInputSchema.safeParse(input);
  if (!parsed.success)
    throw new ProviderConfigError(`Invalid provider configuration:\n${describe(parsed.error, where)}`);
  const p = parsed.data;
  const value = p.apiKeyEnv ? env[p.apiKeyEnv] : undefined;
  const apiKey = value ? new Secret(value) : undefined;
  const notConfigured = p.apiKeyEnv && !value ? `not configured: set ${p.apiKeyEnv}` : undefined;
  return { ...p, kind: 'openai-compatible', apiKey, notConfigured };
}

function entriesOf(json: unknown, where: string): unknown[] {
  if (Array.isArray(json)) return json;
  if (json && typeof json === 'object' && Array.isArray((json as { providers?: unknown }).providers)) {
    return (json as { providers: unknown[] }).providers;
  }
  throw new ProviderConfigError(`${where}: expected a JSON array of providers or { "providers": [...] }.`);
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ProviderConfigError(`${where} is not valid JSON: ${(e as Error).message}`);
  }
}

export interface LoadProvidersOptions {
  /** Where keys and the GW_PROVIDERS* settings are read; defaults to process.env. */
  readonly env?: Env | undefined;
  /** Extra entries (validated like the others). */
  readonly providers?: readonly unknown[] | undefined;
}

/** Every configured provider, checked; throws ProviderConfigError with what to fix. */
export function loadProviders(opts: LoadProvidersOptions = {}): ProviderEntry[] {
  const env = opts.env ?? process.env;
  const extra: { input: unknown; where: string }[] = [];
  const fromEnv = env.GW_PROVIDERS;
  if (fromEnv?.trim()) {
    entriesOf(parseJson(fromEnv, 'GW_PROVIDERS'), 'GW_PROVIDERS').forEach((input, i) => {
      extra.push({ input, where: `GW_PROVIDERS[${i}]` });
    });
  }
  const file = env.GW_PROVIDERS_FILE;
  if (file?.trim()) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ProviderConfigError(`GW_PROVIDERS_FILE=${file} cannot be read: ${(e as Error).message}`);
    }
    entriesOf(parseJson(text, file), file).forEach((input, i) => {
      extra.push({ input, where: `${file}[${i}]` });
    });
  }
  (opts.providers ?? []).forEach((input, i) => {
    extra.push({ input, where: `providers[${i}]` });
  });

  const byId = new Map<string, ProviderEntry>();
  byId.set('simulated', { kind: 'simulated', id: 'simulated', displayName: 'Simulated (no network)' });
  byId.set('openai', resolve(OPENAI_BUILTIN, 'openai (built-in)', env));
  const seen = new Set<string>();
  for (const { input, where } of extra) {
    const p = resolve(input, where, env);
    if (p.id === 'simulated') throw new ProviderConfigError(`${where}: the id "simulated" is reserved.`);
    if (seen.has(p.id))
      throw new ProviderConfigError(`${where}: the provider id "${p.id}" is configured twice.`);
    seen.add(p.id);
    byId.set(p.id, p);
  }
  return [...byId.values()];
}
