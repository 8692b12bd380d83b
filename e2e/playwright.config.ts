import { defineConfig, devices } from '@playwright/test';

import { ACCESS_TOKEN, CANARY_KEY, fakePort, port, tokenPort } from './tests/servers';

const providers = JSON.stringify([
  {
    id: 'fake',
    displayName: 'Fake OpenAI-compatible',
    baseUrl: `http://127.0.0.1:${fakePort}/v1`,
    // The key is a canary: the security tests look for it in every response the browser gets.
    apiKeyEnv: 'GW_E2E_FAKE_KEY',
    models: [{ id: 'echo', inputPer1M: 1, outputPer1M: 2 }],
  },
]);
// Simulated calls take twice their usual time, so a run can be watched, cancelled and reloaded.
const serverEnv = `GW_LOG_LEVEL=warn GW_SIM_SEED=7 GW_SIM_LATENCY_SCALE=2 GW_E2E_FAKE_KEY=${CANARY_KEY} GW_PROVIDERS='${providers}'`;

/** Browser tests against the real server (built web app + API on one port, simulated provider, temp data folder). */
export default defineConfig({
  testDir: './tests',
  outputDir: './artifacts/results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: 'on',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
      },
    },
  ],
  webServer: [
    {
      command: `FAKE_OPENAI_PORT=${fakePort} pnpm -C ../server -s exec tsx ../e2e/support/fake-openai.ts`,
      url: `http://127.0.0.1:${fakePort}/v1/models`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      command: `rm -rf ../data-e2e/main && GW_PORT=${port} GW_DATA_DIR=data-e2e/main ${serverEnv} pnpm -C ../server -s serve`,
      url: `http://127.0.0.1:${port}/`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      command: `rm -rf ../data-e2e/token && GW_PORT=${tokenPort} GW_DATA_DIR=data-e2e/token GW_ACCESS_TOKEN=${ACCESS_TOKEN} ${serverEnv} pnpm -C ../server -s serve`,
      url: `http://127.0.0.1:${tokenPort}/`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
});
