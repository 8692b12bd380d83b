import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProviders, ProviderConfigError, Secret } from '../../src/llm/config';
import { createLlmService, type LlmService } from '../../src/llm/service';

const CANARY = 'sk-canary-config-5e1d9b7c3a';
const ollama = {
  id: 'ollama',
  displayName: 'Ollama (local)',
  baseUrl: 'http://127.0.0.1:11434/v1',
  models: [{ id: 'llama3.2' }],
  concurrency: 4,
};

let svc: LlmService | undefined;
afterEach(async () => {
  await svc?.close();
  svc = undefined;
});

const signal = new AbortController().signal;
const req = (provider: string, model: string) => ({
  runId: 'r',
  blockId: 'b',
  path: [],
  provider,
  model,
  messages: [{ role: 'user' as const, content: 'hi' }],
  attempt: 1,
  signal,
});

describe('provider configuration', () => {
  it('lists simulated and a not-configured openai when no key is set', async () => {
    svc = createLlmService({ env: {} });
    const list = svc.providers();
    expect(list.map((p) => p.id)).toEqual(['simulated', 'openai']);
    const openai = list.find((p) => p.id === 'openai');
    expect(openai?.configured).toBe(false);
    expect(openai?.status).toBe('not configured: set OPENAI_API_KEY');
    expect(list.find((p) => p.id === 'simulated')).toMatchObject({ simulated: true, isDefault: true });
    expect(svc.defaultModel()).toEqual({ provider: 'simulated', model: 'sim-fast' });

    const started = performance.now();
    const r = await svc.call(req('openai', 'gpt-4o-mini'));
    expect(performance.now() - started).toBeLessThan(500);
    expect(r).toMatchObject({ status: 'auth_error', retryable: false });
    expect(r.error).toContain('not configured: set OPENAI_API_KEY');
    expect(svc.clients()).toEqual([]);
  });

  it('configures openai from OPENAI_API_KEY and never shows the key', () => {
    svc = createLlmService({ env: { OPENAI_API_KEY: CANARY } });
    const info = svc.providers();
    expect(info.find((p) => p.id === 'openai')).toMatchObject({
      configured: true,
      status: 'ready',
      isDefault: true,
    });
    expect(JSON.stringify(info)).not.toContain(CANARY);
    expect(inspect(loadProviders({ env: { OPENAI_API_KEY: CANARY } }), { depth: 10 })).not.toContain(CANARY);
    expect(JSON.stringify(loadProviders({ env: { OPENAI_API_KEY: CANARY } }))).not.toContain(CANARY);
    expect(svc.defaultModel()).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
    const prices = info.find((p) => p.id === 'openai')?.models.find((m) => m.id === 'gpt-4o-mini');
    expect(prices).toMatchObject({ inputPer1M: 0.15, outputPer1M: 0.6 });
  });

  it('adds endpoints from GW_PROVIDERS and GW_PROVIDERS_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-providers-'));
    const file = join(dir, 'providers.json');
    writeFileSync(
      file,
      JSON.stringify({
        providers: [
          { id: 'vllm', displayName: 'vLLM', baseUrl: 'http://127.0.0.1:8000/v1', apiKeyEnv: 'VLLM_KEY' },
        ],
      }),
    );
    const list = loadProviders({ env: { GW_PROVIDERS: JSON.stringify([ollama]), GW_PROVIDERS_FILE: file } });
    expect(list.map((p) => p.id)).toEqual(['simulated', 'openai', 'ollama', 'vllm']);
    const vllm = list.find((p) => p.id === 'vllm');
    expect(vllm?.kind === 'openai-compatible' && vllm.notConfigured).toBe('not configured: set VLLM_KEY');
    const o = list.find((p) => p.id === 'ollama');
    expect(o?.kind === 'openai-compatible' && o.notConfigured).toBeUndefined();
    expect(o?.kind === 'openai-compatible' && o.concurrency).toBe(4);
  });

  it('lets an operator entry replace the built-in openai (e.g. a proxy)', () => {
    const list = loadProviders({
      env: {
        GW_PROVIDERS: JSON.stringify([
          { id: 'openai', displayName: 'OpenAI via proxy', baseUrl: 'http://127.0.0.1:9999/v1' },
        ]),
      },
    });
    expect(list.filter((p) => p.id === 'openai')).toHaveLength(1);
    expect(list.find((p) => p.id === 'openai')?.displayName).toBe('OpenAI via proxy');
  });

  it.each([
    [{ ...ollama, apiKey: 'sk-inline' }, 'apiKeyEnv'],
    [{ ...ollama, id: 'simulated' }, 'reserved'],
    [{ ...ollama, id: 'Bad Id' }, 'lowercase'],
    [{ ...ollama, baseUrl: 'ftp://x' }, 'http(s)'],
    [{ ...ollama, baseUrl: 'http://user:pw@127.0.0.1/v1' }, 'credentials'],
    [{ ...ollama, concurrency: 0 }, 'concurrency'],
    [{ ...ollama, models: [{ id: 'm', inputPer1M: -1 }] }, 'inputPer1M'],
    [{ ...ollama, surprise: true }, 'surprise'],
  ])('rejects %j with a message naming %s', (entry, words) => {
    expect(() => loadProviders({ env: {}, providers: [entry] })).toThrow(ProviderConfigError);
    expect(() => loadProviders({ env: {}, providers: [entry] })).toThrow(words);
  });

  it('rejects duplicate ids, bad JSON and unreadable files', () => {
    expect(() => loadProviders({ env: {}, providers: [ollama, ollama] })).toThrow('twice');
    expect(() => loadProviders({ env: { GW_PROVIDERS: '[{' } })).toThrow('GW_PROVIDERS is not valid JSON');
    expect(() => loadProviders({ env: { GW_PROVIDERS_FILE: '/nonexistent/p.json' } })).toThrow(
      'cannot be read',
    );
  });

  it('keeps a Secret out of strings, JSON and inspection', () => {
    const s = new Secret(CANARY);
    expect(`${s}`).toBe('[redacted]');
    expect(JSON.stringify({ s })).not.toContain(CANARY);
    expect(inspect({ s })).not.toContain(CANARY);
    expect(s.reveal()).toBe(CANARY);
  });

  it('refuses unknown providers and unlisted models when the provider forbids them', async () => {
    svc = createLlmService({ env: {}, providers: [{ ...ollama, allowUnlistedModels: false }] });
    expect(await svc.call(req('nope', 'x'))).toMatchObject({ status: 'invalid_request', retryable: false });
    const r = await svc.call(req('ollama', 'mistral'));
    expect(r).toMatchObject({ status: 'invalid_request' });
    expect(r.error).toContain('llama3.2');
    expect(svc.clients()).toEqual([]);
  });

  it('reads the simulator seed and latency scale from the environment', async () => {
    svc = createLlmService({ env: { GW_SIM_SEED: '42', GW_SIM_LATENCY_SCALE: '0' } });
    const started = performance.now();
    const r = await svc.call(req('simulated', 'sim-smart'));
    expect(r.status).toBe('ok');
    expect(r.latencyMs).toBe(0);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
