import { describe, expect, it } from 'vitest';
import { createLlmService } from '../../src/llm/service';
import { makeCaller, makeServices } from './helpers';

const CANARY = 'sk-canary-5f0c1d2e3a4b5c6d7e8f';

describe('provider router', () => {
  it('lists the simulated provider as ready and openai as not configured without a key', async () => {
    const { caller } = makeCaller();
    const list = await caller.provider.list();
    const sim = list.find((p) => p.id === 'simulated');
    expect(sim?.simulated).toBe(true);
    expect(sim?.models.length).toBeGreaterThan(0);
    const openai = list.find((p) => p.id === 'openai');
    expect(openai?.configured).toBe(false);
    expect(openai?.note).toMatch(/OPENAI_API_KEY/);
  });

  it('never returns a key, its env var value or a base URL', async () => {
    const services = {
      ...makeServices(),
      llm: createLlmService({
        env: { OPENAI_API_KEY: CANARY, LOCAL_KEY: CANARY },
        providers: [
          {
            id: 'local',
            displayName: 'Local vLLM',
            baseUrl: 'http://127.0.0.1:9/v1',
            apiKeyEnv: 'LOCAL_KEY',
            models: [{ id: 'm1' }],
          },
        ],
      }),
    };
    const { caller } = makeCaller(services);
    const text = JSON.stringify([await caller.provider.list(), await caller.provider.defaultModel()]);
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain('127.0.0.1:9');
    expect(text).toContain('Local vLLM');
    await services.llm.close();
  });
});
